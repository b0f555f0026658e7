#!/usr/bin/env node
/**
 * `npm run bench`: the performance targets, each measured side by side with its baseline in one run. `npm run
 * bench` runs this on Node 22 from the npm registry's `node` package; the node running this file runs every
 * measured command (NODE below).
 *
 *   a. warm path: `dsops exec -- true` with every session cached vs a minimal exec wrapper in node
 *      (`child_process.spawn('true')`, then wait), and peak RSS vs `node -e 0`
 *   s. secrets: a cached two-hop chain plus 3 secrets of one store (one BatchGetSecretValue) vs `node -e 0`;
 *      and the same env as a cold CI run (fresh cache dir: 2 AssumeRole + 1 batch read) vs `node -e 0`
 *   b. cold path: a two-branch role graph behind a latency proxy vs the same run without it, against the
 *      critical path's injected latency (800 ms; a level-by-level scheduler would pay 1,200 ms)
 *   c. calls: one STS call per distinct session, BatchGetSecretValue for ≥2 secrets (moto's recorder)
 *   d. scale: validate + plan on 5,000 stores / 50,000 vars, and growth against a 10× smaller config
 *
 * Starts moto_server and bench/latency-proxy.js itself on free loopback ports, in a temp dir. Prints one line per
 * target (figure, target, PASS/FAIL) and a summary. Exits 0 when targets fail (it is a report); 1 when the harness
 * itself breaks. Uses hyperfine and /usr/bin/time when installed, its own timings otherwise.
 * Env: BENCH_RUNS (warm-path runs per command, default 100), BENCH_COLD_RUNS (default 5), BENCH_SCALE_RUNS (default 5),
 *      BENCH_ONLY=warm,secrets,cold,calls,scale (a subset), BENCH_NO_HYPERFINE=1 / BENCH_NO_TIME=1 (exercise the fallbacks).
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startLatencyProxy } = require('./latency-proxy');
const { startMoto, motoPost, resetRecording, recordedCalls, seedSecret, ROOT_KEY } = require('../scripts/moto-server');

// The SDK (used here only to seed secrets) would print a Node-version notice into the report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const NODE = process.execPath;
const WARM_RUNS = Math.max(30, Number(process.env.BENCH_RUNS ?? 100));
const COLD_RUNS = Math.max(3, Number(process.env.BENCH_COLD_RUNS ?? 5));
const SCALE_RUNS = Math.max(3, Number(process.env.BENCH_SCALE_RUNS ?? 5));

const CRITICAL_PATH_MS = 800; // root 100 + A1 (Slow) 500 + A2 100 + secret A 100; B: 100 + 100 + 500 + 100
const LEVEL_BY_LEVEL_MS = 1200; // 100 + max(500,100) + max(100,500) + 100

const results = []; // { name, figure, target, pass, note }
let harnessBroken = false;

// ---------------------------------------------------------------- small utilities

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (ms) => `${ms.toFixed(1)} ms`;
const has = (cmd) =>
  !(cmd === 'hyperfine' && process.env.BENCH_NO_HYPERFINE) && spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
const hasGnuTime = () =>
  !process.env.BENCH_NO_TIME &&
  fs.existsSync('/usr/bin/time') &&
  (spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' }).stderr ?? '').includes('Maximum resident');

function line(name, figure, target, pass, note) {
  results.push({ name, figure, target, pass, note });
  const status = pass === undefined ? 'INFO' : pass ? 'PASS' : 'FAIL';
  process.stdout.write(`${figure.padEnd(14)} ${target.padEnd(62)} ${status}${note ? `   (${note})` : ''}\n`);
}

function info(text) {
  process.stdout.write(`  · ${text}\n`);
}

/** Runs a command to completion; resolves { code, stdout, stderr, ms } (wall time from spawn to exit). */
function run(cmd, args, { cwd, env, stdout = 'pipe', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', stdout, 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: out, stderr: err, ms });
      });
    });
  });
}

async function mustRun(what, cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.trim().slice(-800)}`);
  return r;
}

// ---------------------------------------------------------------- moto


const count = (calls, action) => calls.filter((c) => c.action === action).length;


// ---------------------------------------------------------------- config

const BENCH_YAML = `version: 1
secretStores:
  # a. warm path: a two-hop chain; the env reads only STS keys
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/JumpRole
  target:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/TargetRole
    credentials_from: jump
  # s. the everyday deploy: the same chain, plus a few secrets of one store read with its session
  app:
    type: aws.secretsmanager
    credentials_from: target

  # b. cold path: root, then two branches of two hops, each ending in a Secrets Manager read
  root:
    type: aws.sts
    role_arn: arn:aws:iam::100000000000:role/BenchRoot
  a1:
    type: aws.sts
    role_arn: arn:aws:iam::200000000001:role/SlowBranchA1
    credentials_from: root
  a2:
    type: aws.sts
    role_arn: arn:aws:iam::200000000002:role/BranchA2
    credentials_from: a1
  secretsA:
    type: aws.secretsmanager
    credentials_from: a2
  b1:
    type: aws.sts
    role_arn: arn:aws:iam::300000000001:role/BranchB1
    credentials_from: root
  b2:
    type: aws.sts
    role_arn: arn:aws:iam::300000000002:role/SlowBranchB2
    credentials_from: b1
  secretsB:
    type: aws.secretsmanager
    credentials_from: b2

  # c. calls: two stores with identical session parameters and the same source, one store with several secrets
  shared1:
    type: aws.sts
    role_arn: arn:aws:iam::400000000001:role/Shared
    credentials_from: root
  shared2:
    type: aws.sts
    role_arn: arn:aws:iam::400000000001:role/Shared
    credentials_from: root
  vault:
    type: aws.secretsmanager
    credentials_from: shared1
envs:
  warm:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
  secrets:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
    DB_PASSWORD: { from: { store: app, key: "app/db#password" } }
    API_TOKEN: { from: { store: app, key: "app/api-token" } }
    SIGNING_KEY: { from: { store: app, key: "app/signing#key" } }
  cold:
    A_VALUE: { from: { store: secretsA, key: "bench/a#value" } }
    B_VALUE: { from: { store: secretsB, key: "bench/b#value" } }
  calls:
    SHARED1_KEY: { from: { store: shared1, key: AccessKeyId } }
    SHARED2_KEY: { from: { store: shared2, key: AccessKeyId } }
    ONE: { from: { store: vault, key: "calls/one" } }
    TWO_USER: { from: { store: vault, key: "calls/two#user" } }
    TWO_PASS: { from: { store: vault, key: "calls/two#pass" } }
    THREE_X: { from: { store: vault, key: "calls/three#x" } }
`;

/**
 * A generated config: `units` groups of 5 stores (an STS root → hop → hop chain and two Secrets Manager stores
 * on its hops), so 5 × units stores, and vars spread over 7 envs: `all` (40% of the vars, touching every store)
 * and team0..team5 (10% each, a slice of the stores).
 */
function scaleYaml(units, totalVars) {
  const out = ['version: 1', 'secretStores:'];
  const acct = (i) => String(500000000000 + i);
  for (let u = 0; u < units; u++) {
    out.push(
      `  r${u}:`,
      '    type: aws.sts',
      `    role_arn: arn:aws:iam::${acct(u)}:role/Root${u}`,
      `  h${u}:`,
      '    type: aws.sts',
      `    role_arn: arn:aws:iam::${acct(u)}:role/Hop${u}`,
      `    credentials_from: r${u}`,
      '    duration: 1h',
      `  d${u}:`,
      '    type: aws.sts',
      `    role_arn: arn:aws:iam::${acct(u)}:role/Deploy${u}`,
      `    role_session_name: dsops-bench-${u}`,
      `    credentials_from: h${u}`,
      `  s${u}:`,
      '    type: aws.secretsmanager',
      `    credentials_from: d${u}`,
      `  t${u}:`,
      '    type: aws.secretsmanager',
      `    credentials_from: h${u}`,
    );
  }
  out.push('envs:');
  const stsKeys = ['AccessKeyId', 'SecretAccessKey', 'SessionToken'];
  const varLine = (i, u) => {
    switch (i % 5) {
      case 0:
        return `    V${i}: { from: { store: d${u}, key: ${stsKeys[(i / 5) % 3 | 0]} } }`;
      case 1:
      case 2:
        return `    V${i}: { from: { store: s${u}, key: "app/u${u}/s${i % 7}#field${i % 3}" } }`;
      case 3:
        return `    V${i}: { from: { store: t${u}, key: "shared/u${u}/k${i % 4}" } }`;
      default:
        return `    V${i}: "literal-${i}"`;
    }
  };
  const allVars = Math.round(totalVars * 0.4);
  out.push('  all:');
  for (let i = 0; i < allVars; i++) out.push(varLine(i, i % units));
  const teamVars = Math.round((totalVars - allVars) / 6);
  for (let t = 0; t < 6; t++) {
    out.push(`  team${t}:`);
    const from = Math.floor((units / 6) * t);
    const span = Math.max(1, Math.floor(units / 6));
    for (let i = 0; i < teamVars; i++) out.push(varLine(i, from + (i % span)));
  }
  return { text: out.join('\n') + '\n', stores: units * 5, vars: allVars + teamVars * 6 };
}

// ---------------------------------------------------------------- timing helpers

/**
 * Wall times of `commands`, run side by side: hyperfine -N when installed, else our own timings. Either way the
 * commands are interleaved (hyperfine in short rounds whose order flips each round), so load from other work on the
 * machine drifting during the run biases no command. Returns per-command medians and minimums over all runs.
 */
async function compareWallTimes(commands, { cwd, env, dir, runs }) {
  // Short rounds: this machine's speed drifts by 10-20% over seconds, and a drift that lands on one
  // command's block of runs would move its median; ten rounds spread every command across the run.
  const rounds = runs >= 50 ? 10 : 4;
  const perRound = Math.ceil(runs / rounds);
  if (has('hyperfine')) {
    const times = commands.map(() => []);
    const cpu = commands.map(() => []);
    const exitCodes = commands.map(() => new Set());
    let ok = true;
    for (let round = 0; round < rounds && ok; round++) {
      const order = round % 2 ? [...commands.keys()].reverse() : [...commands.keys()];
      const json = path.join(dir, `hyperfine-${round}.json`);
      const args = ['-N', '--warmup', '3', '--runs', String(perRound), '--export-json', json, '--style', 'none'];
      // --prepare is given once per command or not at all (hyperfine pairs them in order).
      const prepared = commands.some((c) => c.prepare);
      for (const k of order) {
        if (prepared) args.push('--prepare', (commands[k].prepare ?? ['true']).join(' '));
        args.push('-n', commands[k].name, commands[k].argv.join(' '));
      }
      const r = await run('hyperfine', args, { cwd, env, stdout: 'ignore', timeoutMs: 240_000 });
      if (r.code !== 0 || !fs.existsSync(json)) {
        info(`hyperfine failed (${r.code}): ${r.stderr.trim().slice(-300)}; falling back to own timings`);
        ok = false;
        break;
      }
      const data = JSON.parse(fs.readFileSync(json, 'utf8'));
      data.results.forEach((res, i) => {
        const k = order[i];
        times[k].push(...res.times.map((t) => t * 1000));
        // CPU time (user + system, mean of the round) suffers less than wall time from other load on the machine.
        cpu[k].push((res.user + res.system) * 1000);
        for (const c of res.exit_codes ?? [0]) exitCodes[k].add(c);
      });
    }
    if (ok) {
      return {
        tool: `hyperfine -N, ${rounds} rounds × ${perRound} runs each (order flipped each round, 3 warmups a round)`,
        medians: times.map(median),
        mins: times.map((t) => Math.min(...t)),
        cpu: cpu.map(median),
        exitCodes: exitCodes.map((x) => [...x]),
      };
    }
  }
  const times = commands.map(() => []);
  const prepare = (c) => (c.prepare ? run(c.prepare[0], c.prepare.slice(1), { cwd, env, stdout: 'ignore' }) : undefined);
  for (let i = 0; i < 3; i++) for (const c of commands) await prepare(c), await run(c.argv[0], c.argv.slice(1), { cwd, env, stdout: 'ignore' });
  const exitCodes = commands.map(() => new Set());
  for (let i = 0; i < runs; i++) {
    // Alternate the order each round so drift and caching favour neither.
    const order = i % 2 ? [...commands.keys()].reverse() : [...commands.keys()];
    for (const k of order) {
      const c = commands[k];
      await prepare(c);
      const r = await run(c.argv[0], c.argv.slice(1), { cwd, env, stdout: 'ignore' });
      times[k].push(r.ms);
      exitCodes[k].add(r.code);
    }
  }
  return { tool: `own alternating timings, ${runs} runs each after 3 warmups`, medians: times.map(median), mins: times.map((t) => Math.min(...t)), exitCodes: exitCodes.map((x) => [...x]) };
}

/** Peak RSS (KiB) per command, median of `runs` alternating runs: /usr/bin/time -v, else a --require probe. */
async function comparePeakRss(commands, { cwd, env, dir, runs }) {
  const useTime = hasGnuTime();
  const probe = path.join(dir, 'rss-probe.js');
  if (!useTime) {
    fs.writeFileSync(
      probe,
      "'use strict';\nprocess.on('exit', () => { try { require('fs').appendFileSync(process.env.BENCH_RSS_FILE, process.resourceUsage().maxRSS + '\\n'); } catch {} });\n",
    );
  }
  const rss = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < commands.length; k++) {
      const argv = commands[k].argv;
      if (useTime) {
        const r = await run('/usr/bin/time', ['-v', ...argv], { cwd, env, stdout: 'ignore' });
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
        if (!m) throw new Error(`/usr/bin/time gave no RSS for ${argv.join(' ')}: ${r.stderr.slice(-300)}`);
        rss[k].push(Number(m[1]));
      } else {
        const file = path.join(dir, `rss-${k}-${i}.txt`);
        // node -r probe <args>: the probe is loaded in both commands, so it cancels out of the ratio.
        await run(argv[0], ['-r', probe, ...argv.slice(1)], { cwd, env: { ...env, BENCH_RSS_FILE: file }, stdout: 'ignore' });
        rss[k].push(Number(fs.readFileSync(file, 'utf8').trim().split('\n')[0]));
      }
    }
  }
  return { tool: useTime ? `/usr/bin/time -v, median of ${runs}` : `process.resourceUsage().maxRSS via --require probe, median of ${runs}`, medians: rss.map(median) };
}

// ---------------------------------------------------------------- the sections

async function warmPath(ctx) {
  process.stdout.write('\n[a] warm path: every STS session cached, nothing to fetch\n');
  const { project, env, motoUrl, dir } = ctx;
  await mustRun('pre-warm dsops exec --env warm', NODE, [CLI, 'exec', '--env', 'warm', '--', 'true'], { cwd: project, env });
  await resetRecording(motoUrl);
  await mustRun('warm dsops exec --env warm', NODE, [CLI, 'exec', '--env', 'warm', '--', 'true'], { cwd: project, env });
  const calls = await recordedCalls(motoUrl);
  const warmCalls = calls.length;
  info(`a warm run made ${warmCalls} AWS call(s) (expected 0: both hops come from the cache in ${env.DSOPS_CACHE_DIR})`);

  // For context, not a target: a minimal exec wrapper in node (child_process.spawn of `true`, then wait).
  const spawnTrue = path.join(dir, 'spawn-true.js');
  fs.writeFileSync(spawnTrue, "require('child_process').spawn('true', { stdio: 'inherit' }).on('exit', (c) => { process.exitCode = c; });\n");
  const commands = [
    { name: 'node -e 0', argv: [NODE, '-e', '0'] },
    { name: 'dsops exec --env warm -- true', argv: [NODE, CLI, 'exec', '--env', 'warm', '--', 'true'] },
    { name: 'node spawn-true.js', argv: [NODE, spawnTrue] },
  ];
  const wall = await compareWallTimes(commands, { cwd: project, env, dir, runs: WARM_RUNS });
  const [nodeMs, dsopsMs, floorMs] = wall.medians;
  ctx.nodeStartMs = nodeMs;
  if (wall.exitCodes[1].some((c) => c !== 0)) throw new Error(`warm dsops exec exited with ${wall.exitCodes[1].join(',')}`);
  info(`${wall.tool}: node -e 0 median ${fmtMs(nodeMs)}, exec wrapper ${fmtMs(floorMs)}, dsops exec ${fmtMs(dsopsMs)} (+${fmtMs(dsopsMs - floorMs)} over the wrapper)`);
  info(`fastest runs (less sensitive to other load on the machine): node ${fmtMs(wall.mins[0])}, wrapper ${fmtMs(wall.mins[2])}, dsops ${fmtMs(wall.mins[1])}, ratio to the wrapper ${(wall.mins[1] / wall.mins[2]).toFixed(2)}×`);
  info(`for context: dsops exec = ${(dsopsMs / nodeMs).toFixed(2)}× node -e 0; the wrapper alone = ${(floorMs / nodeMs).toFixed(2)}× node -e 0`);
  cpuInfo(wall, ['node -e 0', 'dsops', 'wrapper'], 2, 1);
  info(`compile cache: ${compileCacheSummary(env.DSOPS_CACHE_DIR)}`);
  const ratio = dsopsMs / floorMs;
  line('warm wall', `${ratio.toFixed(2)}×`, `median(dsops exec --env warm -- true) / median(node exec wrapper) ≤ 1.15`, ratio <= 1.15 && warmCalls === 0, warmCalls ? `${warmCalls} AWS calls on a warm run` : undefined);

  // The issue's own baseline ("node -e 0 about 100 ms") was taken in this machine's default environment,
  // where NODE_EXTRA_CA_CERTS makes every node start parse a CA bundle. Shown for comparison only: the
  // target above is judged in the clean environment, where dsops's fixed cost weighs more.
  const ambient = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^NODE_EXTRA_CA_CERTS$/.test(k)));
  if (Object.keys(ambient).length) {
    const asIs = await compareWallTimes(commands.slice(0, 2), { cwd: project, env: { ...env, ...ambient }, dir, runs: Math.max(10, Math.floor(WARM_RUNS / 2)) });
    const [n2, d2] = asIs.medians;
    info(`for comparison, with this machine's NODE_EXTRA_CA_CERTS passed through: node -e 0 ${fmtMs(n2)}, dsops ${fmtMs(d2)} = ${(d2 / n2).toFixed(2)}× (not the target)`);
  }

  const mem = await comparePeakRss(commands.slice(0, 2), { cwd: project, env, dir, runs: 10 });
  const [nodeKb, dsopsKb] = mem.medians;
  info(`${mem.tool}: node -e 0 ${(nodeKb / 1024).toFixed(1)} MiB, dsops exec ${(dsopsKb / 1024).toFixed(1)} MiB`);
  const rssRatio = dsopsKb / nodeKb;
  line('warm RSS', `${rssRatio.toFixed(2)}×`, 'peak RSS(dsops exec --env warm -- true) / peak RSS(node -e 0) ≤ 1.3', rssRatio <= 1.3);

  // Where the time goes: which modules a warm run loads beyond what `node -e 0` loads (for whoever optimises start-up).
  const probe = path.join(dir, 'module-probe.js');
  fs.writeFileSync(
    probe,
    "'use strict';\nprocess.on('exit', () => { const ks = Object.keys(require.cache).filter((k) => k !== __filename); const pkgs = new Map(); for (const k of ks) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(k); const p = m ? m[1] : k.includes('/dist/') ? 'dsops dist' : 'other'; pkgs.set(p, (pkgs.get(p) || 0) + 1); } const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)); require('fs').writeFileSync(process.env.BENCH_MODULES_FILE, JSON.stringify({ total: ks.length, pkgs: [...pkgs].sort((a, b) => b[1] - a[1]), builtins })); });\n",
  );
  const modules = async (argv) => {
    const file = path.join(dir, `modules-${Date.now()}.json`);
    await run(argv[0], ['-r', probe, ...argv.slice(1)], { cwd: project, env: { ...env, BENCH_MODULES_FILE: file }, stdout: 'ignore' });
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  };
  const [m0, m1] = [await modules(commands[0].argv), await modules(commands[1].argv)];
  if (m0 && m1) {
    const extra = m1.builtins.filter((b) => !m0.builtins.includes(b) && !b.startsWith('internal/'));
    const extraInternal = m1.builtins.filter((b) => !m0.builtins.includes(b)).length;
    info(`a warm run requires ${m1.total} CommonJS file(s) (${m1.pkgs.map(([p, n]) => `${p} ${n}`).join(', ')}) and ${extraInternal} more node built-in modules than node -e 0: ${extra.join(', ') || 'none'}`);
  }
  await profile('warm exec -- true', commands[1].argv, { cwd: project, env, dir });
}

/** An info line comparing CPU time (hyperfine only), the figure least moved by other load on the machine. */
function cpuInfo(wall, names, a, b) {
  if (!wall.cpu) return;
  const each = names.map((n, i) => `${n} ${fmtMs(wall.cpu[i])}`).join(', ');
  info(`CPU time (user + system, median of round means): ${each}; ${names[b]} / ${names[a]} = ${(wall.cpu[b] / wall.cpu[a]).toFixed(2)}× (for context: the targets are wall time)`);
}

/** What Node's compile cache holds in the dsops cache dir (none on Node < 22.1). */
function compileCacheSummary(cacheDir) {
  const dir = path.join(cacheDir, 'compile');
  if (!fs.existsSync(dir)) return `none (node ${process.versions.node})`;
  const files = fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
  const kib = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1024;
  return `${files.length} file(s), ${kib.toFixed(0)} KiB in ${dir}`;
}

/** CPU profile of `argv`, mean of `runs` runs, summarised (where the milliseconds go). */
async function profile(label, argv, { cwd, env, dir, runs = 5, prepare }) {
  const profDir = path.join(dir, `prof-${label}`);
  for (let i = 0; i < runs; i++) {
    if (prepare) await run(prepare[0], prepare.slice(1), { cwd, env, stdout: 'ignore' });
    await run(NODE, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '200', ...argv.slice(1)], { cwd, env, stdout: 'ignore' });
  }
  const top = summariseProfiles(profDir);
  if (top) {
    info(`CPU profile of ${label}, mean of ${runs} runs: ${top.total}; by package: ${top.byPackage}`);
    info(`  top functions by self time: ${top.byFunction}`);
  }
}

async function secretsPath(ctx) {
  process.stdout.write('\n[s] the everyday deploy: two-hop chain + 3 secrets of one store\n');
  const { project, env, motoUrl, dir } = ctx;
  // A script file, not `sh -c '...'`: hyperfine -N splits a command line on spaces, quotes or not.
  fs.writeFileSync(path.join(project, 'check-secrets.sh'), 'test "$DB_PASSWORD" = pw && test "$API_TOKEN" = tok && test "$SIGNING_KEY" = k\n');
  const check = ['exec', '--env', 'secrets', '--', 'sh', 'check-secrets.sh'];
  const argv = [NODE, CLI, ...check];

  // Warm: the chain's sessions come from the cache; the secrets are read on every run (never cached).
  await mustRun('pre-warm exec --env secrets', NODE, [CLI, ...check], { cwd: project, env });
  await resetRecording(motoUrl);
  await mustRun('warm exec --env secrets', NODE, [CLI, ...check], { cwd: project, env });
  const warm = await recordedCalls(motoUrl);
  info(`a warm run: ${count(warm, 'AssumeRole')} AssumeRole, ${count(warm, 'BatchGetSecretValue')} BatchGetSecretValue, ${count(warm, 'GetSecretValue')} GetSecretValue`);
  const warmCallsOk = count(warm, 'AssumeRole') === 0 && count(warm, 'BatchGetSecretValue') === 1 && count(warm, 'GetSecretValue') === 0;
  const node = { name: 'node -e 0', argv: [NODE, '-e', '0'] };
  const w = await compareWallTimes([node, { name: 'dsops exec --env secrets (warm)', argv }], { cwd: project, env, dir, runs: Math.max(30, WARM_RUNS >> 1) });
  if (w.exitCodes[1].some((c) => c !== 0)) throw new Error(`warm exec --env secrets exited with ${w.exitCodes[1].join(',')}`);
  info(`${w.tool}: node -e 0 ${fmtMs(w.medians[0])}, warm with secrets ${fmtMs(w.medians[1])} (fastest ${fmtMs(w.mins[0])} / ${fmtMs(w.mins[1])})`);
  cpuInfo(w, ['node -e 0', 'dsops'], 0, 1);
  const wr = w.medians[1] / w.medians[0];
  line('warm secrets', `${wr.toFixed(2)}×`, 'median(warm exec, 2 cached hops + 3 secrets, 1 batch) / median(node -e 0) ≤ 2.0', wr <= 2.0 && warmCallsOk);

  // Cold CI: the same env with a fresh cache dir each run (no sessions, no compiled code).
  const coldCache = path.join(dir, 'ci-cache');
  const coldEnv = { ...env, DSOPS_CACHE_DIR: coldCache };
  const fresh = ['rm', '-rf', coldCache];
  await resetRecording(motoUrl);
  await run(fresh[0], fresh.slice(1));
  await mustRun('cold exec --env secrets', NODE, [CLI, ...check], { cwd: project, env: coldEnv });
  const cold = await recordedCalls(motoUrl);
  info(`a cold run: ${count(cold, 'AssumeRole')} AssumeRole, ${count(cold, 'BatchGetSecretValue')} BatchGetSecretValue, ${count(cold, 'GetSecretValue')} GetSecretValue`);
  const coldCallsOk = count(cold, 'AssumeRole') === 2 && count(cold, 'BatchGetSecretValue') === 1 && count(cold, 'GetSecretValue') === 0;
  const c = await compareWallTimes([node, { name: 'dsops exec --env secrets (fresh cache dir)', argv, prepare: fresh }], { cwd: project, env: coldEnv, dir, runs: Math.max(20, WARM_RUNS >> 2) });
  if (c.exitCodes[1].some((x) => x !== 0)) throw new Error(`cold exec --env secrets exited with ${c.exitCodes[1].join(',')}`);
  info(`${c.tool}: node -e 0 ${fmtMs(c.medians[0])}, cold CI run ${fmtMs(c.medians[1])} (fastest ${fmtMs(c.mins[0])} / ${fmtMs(c.mins[1])})`);
  cpuInfo(c, ['node -e 0', 'dsops'], 0, 1);
  const cr = c.medians[1] / c.medians[0];
  line('cold CI', `${cr.toFixed(2)}×`, 'median(exec, fresh cache dir: 2 AssumeRole + 1 batch) / median(node -e 0) ≤ 2.5', cr <= 2.5 && coldCallsOk);

  await profile('warm exec --env secrets', argv, { cwd: project, env, dir });
  await profile('cold exec --env secrets', argv, { cwd: project, env: coldEnv, dir, prepare: fresh });
}

/** Summarises --cpu-prof profiles: mean self time by package (dsops dist, node internals, node_modules/...) and by function. */
function summariseProfiles(profDir) {
  try {
    const files = fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    if (!files.length) return undefined;
    const groups = new Map();
    const fns = new Map();
    let total = 0;
    for (const file of files) {
      const prof = JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8'));
      const byId = new Map(prof.nodes.map((n) => [n.id, n]));
      for (let i = 0; i < prof.samples.length; i++) {
        const n = byId.get(prof.samples[i]);
        const us = prof.timeDeltas[i] ?? 0;
        const url = n.callFrame.url || '';
        const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
        const g = m ? m[1] : url.includes('/dist/') ? 'dsops dist' : url.startsWith('node:') ? 'node internals' : n.callFrame.functionName ? `(${n.callFrame.functionName})` : '(other)';
        groups.set(g, (groups.get(g) ?? 0) + us);
        const f = `${n.callFrame.functionName || '(anonymous)'}${url ? ` ${url.replace(/^.*\//, '')}` : ''}`;
        fns.set(f, (fns.get(f) ?? 0) + us);
        total += us;
      }
    }
    const fmt = (map, k) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([g, us]) => `${g} ${(us / files.length / 1000).toFixed(1)} ms`)
        .join(', ');
    return { total: `${(total / files.length / 1000).toFixed(0)} ms sampled a run`, byPackage: fmt(groups, 6), byFunction: fmt(fns, 8) };
  } catch {
    return undefined;
  }
}

async function coldPath(ctx) {
  process.stdout.write('\n[b] cold path: root → two branches of two hops → a secret each, --no-cache\n');
  const { project, env, proxy, motoUrl } = ctx;
  const check = ['exec', '--no-cache', '--env', 'cold', '--', 'sh', '-c', 'test "$A_VALUE" = value-a && test "$B_VALUE" = value-b'];
  const direct = env;
  const slowed = { ...env, AWS_ENDPOINT_URL: proxy.url };

  // One run of each first: correctness, and the calls the graph makes.
  await resetRecording(motoUrl);
  await mustRun('cold run against moto', NODE, [CLI, ...check], { cwd: project, env: direct });
  const calls = await recordedCalls(motoUrl);
  proxy.clearLog();
  await mustRun('cold run through the latency proxy', NODE, [CLI, ...check], { cwd: project, env: slowed });
  const injected = proxy.log.map((e) => `${e.action}${e.roleArn ? ` ${e.roleArn.split('/').pop()}` : ''} +${e.delayMs}`);
  info(`calls per cold run: ${count(calls, 'AssumeRole')} AssumeRole, ${count(calls, 'GetSecretValue')} GetSecretValue, ${count(calls, 'BatchGetSecretValue')} Batch; through the proxy: ${injected.join(', ')}`);

  const withMs = [];
  const withoutMs = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const pair = i % 2 ? [[slowed, withMs], [direct, withoutMs]] : [[direct, withoutMs], [slowed, withMs]];
    for (const [e, into] of pair) {
      const r = await mustRun('cold run', NODE, [CLI, ...check], { cwd: project, env: e });
      into.push(r.ms);
    }
  }
  const w = median(withMs);
  const wo = median(withoutMs);
  info(`${COLD_RUNS} alternating runs each: with latency median ${fmtMs(w)} [${withMs.map((x) => x.toFixed(0)).join(', ')}], without ${fmtMs(wo)} [${withoutMs.map((x) => x.toFixed(0)).join(', ')}]`);
  info(`added ${fmtMs(w - wo)}; critical path carries ${CRITICAL_PATH_MS} ms of injected latency, a level-by-level scheduler ${LEVEL_BY_LEVEL_MS} ms`);
  const figure = (w - wo) / CRITICAL_PATH_MS;
  line('cold path', `${figure.toFixed(2)}×`, `(with latency − without) / ${CRITICAL_PATH_MS} ms critical path ≤ 1.1`, figure <= 1.1, `level-by-level would be ${(LEVEL_BY_LEVEL_MS / CRITICAL_PATH_MS).toFixed(2)}×`);
  const assumes = count(calls, 'AssumeRole');
  line('cold calls', `${assumes} STS`, 'one AssumeRole per distinct session in the cold graph: 5', assumes === 5);
}

async function callCounts(ctx) {
  process.stdout.write('\n[c] calls (moto recorder)\n');
  const { project, env, motoUrl } = ctx;
  await resetRecording(motoUrl);
  const check = [
    'exec', '--no-cache', '--env', 'calls', '--', 'sh', '-c',
    'test "$SHARED1_KEY" = "$SHARED2_KEY" && test "$ONE" = one && test "$TWO_USER" = u && test "$TWO_PASS" = p && test "$THREE_X" = 3',
  ];
  const r = await run(NODE, [CLI, ...check], { cwd: project, env });
  const calls = await recordedCalls(motoUrl);
  const assumes = calls.filter((c) => c.action === 'AssumeRole');
  const byRole = new Map();
  for (const c of assumes) byRole.set(c.roleArn, (byRole.get(c.roleArn) ?? 0) + 1);
  const batch = count(calls, 'BatchGetSecretValue');
  const single = count(calls, 'GetSecretValue');
  info(`exec --env calls: exit ${r.code}; AssumeRole ${[...byRole].map(([a, n]) => `${a.split('/').pop()}×${n}`).join(', ')}; BatchGetSecretValue ${batch}; GetSecretValue ${single}${r.code ? `; stderr: ${r.stderr.trim().slice(-300)}` : ''}`);
  const stsOk = r.code === 0 && assumes.length === 2 && [...byRole.values()].every((n) => n === 1);
  line('STS calls', `${assumes.length} for 2`, 'one STS call per distinct session (two stores share one session)', stsOk);
  const smOk = r.code === 0 && batch === 1 && single === 0;
  line('SM calls', `${batch}B+${single}G`, '3 secrets (4 vars, 2 #fields of one) → 1 BatchGetSecretValue, 0 GetSecretValue', smOk);
}

async function scale(ctx) {
  process.stdout.write('\n[d] scale: validate + plan on a generated config (no network)\n');
  const { dir, env } = ctx;
  const configs = [
    { label: 'big', ...scaleYaml(1000, 50_000) },
    { label: 'small', ...scaleYaml(100, 5_000) },
  ];
  let cacheDirs = 0;
  const freshCache = () => path.join(dir, `config-cache-${cacheDirs++}`);
  /** One `validate` then one `plan --env all`, both with `cacheDir` as DSOPS_CACHE_DIR (validate fills the parsed-config cache). */
  const pair = async (cfg, cwd, cacheDir) => {
    const e = { ...env, DSOPS_CACHE_DIR: cacheDir };
    const v = await mustRun(`validate (${cfg.label})`, NODE, [CLI, 'validate'], { cwd, env: e, stdout: 'ignore', timeoutMs: 180_000 });
    const p = await mustRun(`plan --env all (${cfg.label})`, NODE, [CLI, 'plan', '--env', 'all'], { cwd, env: e, stdout: 'ignore', timeoutMs: 180_000 });
    return { validate: v.ms, plan: p.ms, total: v.ms + p.ms };
  };
  const summarise = (runs) => ({ validate: median(runs.map((r) => r.validate)), plan: median(runs.map((r) => r.plan)), total: median(runs.map((r) => r.total)), n: runs.length });
  const timeOne = async (cfg) => {
    const cwd = path.join(dir, `scale-${cfg.label}`);
    fs.mkdirSync(cwd, { recursive: true });
    fs.writeFileSync(path.join(cwd, 'dsops.yaml'), cfg.text);
    // First sight of the file: an empty cache dir each run, so validate parses the YAML and checks the schema.
    const fresh = [await pair(cfg, cwd, freshCache())];
    const freshRuns = fresh[0].total > 10_000 ? 1 : SCALE_RUNS; // a very slow run is not repeated: the 5-minute budget
    while (fresh.length < freshRuns) fresh.push(await pair(cfg, cwd, freshCache()));
    // Seen before: one cache dir throughout (the parsed-config cache hits after the first pair).
    const kept = freshCache();
    await pair(cfg, cwd, kept);
    const cached = [];
    for (let i = 0; i < SCALE_RUNS; i++) cached.push(await pair(cfg, cwd, kept));
    return { fresh: summarise(fresh), cached: summarise(cached), bytes: Buffer.byteLength(cfg.text) };
  };
  const big = await timeOne(configs[0]);
  const small = await timeOne(configs[1]);
  for (const [cfg, t] of [[configs[0], big], [configs[1], small]]) {
    info(`${cfg.label}: ${cfg.stores} stores, ${cfg.vars} vars, 7 envs, ${(t.bytes / 1e6).toFixed(1)} MB`);
    for (const k of ['fresh', 'cached']) {
      const r = t[k];
      info(`  ${k === 'fresh' ? 'first run (no parsed-config cache)' : 'config seen before (cache hit)  '}: validate ${fmtMs(r.validate)} + plan --env all ${fmtMs(r.plan)} = ${fmtMs(r.total)} (median of ${r.n})`);
    }
  }
  line('scale 5k/50k', `${(big.fresh.total / 1000).toFixed(2)} s`, 'validate + plan --env all, 5,000 stores / 50,000 vars, first run ≤ 2 s', big.fresh.total <= 2000);
  line('scale cached', `${(big.cached.total / 1000).toFixed(2)} s`, 'the same config seen before (same cache dir) ≤ 2 s', big.cached.total <= 2000);

  const nodeMs = ctx.nodeStartMs ?? median(await Promise.all([0, 1, 2, 3, 4].map(() => run(NODE, ['-e', '0']).then((r) => r.ms))));
  const base = 2 * nodeMs; // two processes: validate, then plan
  const growth = (x, y) => (x - base) / (y - base);
  info(`growth = (big − 2 × node start-up) / (small − 2 × node start-up), node -e 0 = ${fmtMs(nodeMs)} measured in [a]: node's own start-up is paid once per`);
  info(`  process whatever the config size, so it is taken out of both; what remains is dsops's work, which should grow ≈ 10× for a 10× config`);
  info(`  first run: (${fmtMs(big.fresh.total)} − ${fmtMs(base)}) / (${fmtMs(small.fresh.total)} − ${fmtMs(base)}) = ${growth(big.fresh.total, small.fresh.total).toFixed(1)}×;` +
    ` cached: (${fmtMs(big.cached.total)} − ${fmtMs(base)}) / (${fmtMs(small.cached.total)} − ${fmtMs(base)}) = ${growth(big.cached.total, small.cached.total).toFixed(1)}×`);
  const g = growth(big.fresh.total, small.fresh.total);
  line('scale growth', `${g.toFixed(1)}×`, 'time(10× config) / time(config), first run, node start-up subtracted ≤ 11', g <= 11);
  const gc = growth(big.cached.total, small.cached.total);
  line('growth cached', `${gc.toFixed(1)}×`, 'the same, config seen before ≤ 11', gc <= 11);
}

// ---------------------------------------------------------------- main

async function main() {
  const cpus = os.cpus();
  let model = cpus[0]?.model ?? 'unknown';
  try {
    model = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {}
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(cpus.length);
  const hf = has('hyperfine') ? spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).stdout.trim() : 'not installed (own timings)';
  process.stdout.write(`dsops bench — ${new Date().toISOString()}\n`);
  process.stdout.write(`machine: nproc ${nproc}, CPU ${model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}\n`);
  process.stdout.write(`node ${process.version}; ${hf}; /usr/bin/time -v ${hasGnuTime() ? 'present' : 'absent (RSS via a --require probe)'}\n`);
  const dropped = Object.keys(process.env).filter((k) => /^NODE_(OPTIONS|EXTRA_CA_CERTS|COMPILE_CACHE|DEBUG|V8_COVERAGE)$/.test(k));
  if (dropped.length) {
    process.stdout.write(`note: ${dropped.join(', ')} set here but not passed to measured commands (they change node's own start-up: e.g. NODE_EXTRA_CA_CERTS makes every node process, the baseline included, parse a CA bundle at start)\n`);
  }
  process.stdout.write(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at start; figures are ratios against baselines measured in this same run\n`);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run node scripts/build.js first (npm run bench does)`);
  if (!has('moto_server')) throw new Error('moto_server not found: pip install "moto[server]"');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-bench-'));
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'dsops.yaml'), BENCH_YAML);
  let moto;
  let proxy;
  const cleanup = async () => {
    await proxy?.close().catch(() => undefined);
    if (moto && moto.proc.exitCode === null) moto.proc.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
  try {
    const started = Date.now();
    moto = await startMoto(dir);
    proxy = await startLatencyProxy({ target: moto.url, delayMs: 100, slowMs: 500, slowPattern: 'Slow' });
    process.stdout.write(`moto ${moto.url}; latency proxy ${proxy.url} (+100 ms a request, +500 ms for AssumeRole of *Slow* roles)\n`);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      USER: 'bench',
      AWS_ACCESS_KEY_ID: ROOT_KEY,
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: moto.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(dir, 'aws-config-none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws-credentials-none'),
      DSOPS_CACHE_DIR: path.join(dir, 'cache'),
    };
    await motoPost(moto.url, '/moto-api/reset');
    await seedSecret(moto.url, '200000000002', 'bench/a', JSON.stringify({ value: 'value-a' }));
    await seedSecret(moto.url, '300000000002', 'bench/b', JSON.stringify({ value: 'value-b' }));
    await seedSecret(moto.url, '222222222222', 'app/db', JSON.stringify({ password: 'pw' }));
    await seedSecret(moto.url, '222222222222', 'app/api-token', 'tok');
    await seedSecret(moto.url, '222222222222', 'app/signing', JSON.stringify({ key: 'k' }));
    await seedSecret(moto.url, '400000000001', 'calls/one', 'one');
    await seedSecret(moto.url, '400000000001', 'calls/two', JSON.stringify({ user: 'u', pass: 'p' }));
    await seedSecret(moto.url, '400000000001', 'calls/three', JSON.stringify({ x: 3 }));
    await resetRecording(moto.url);

    const ctx = { dir, project, env, motoUrl: moto.url, proxy };
    const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
    for (const [label, section] of [
      ['warm path', warmPath],
      ['secrets', secretsPath],
      ['cold path', coldPath],
      ['calls', callCounts],
      ['scale', scale],
    ]) {
      if (only.length && !only.some((o) => label.startsWith(o))) continue;
      try {
        await section(ctx);
      } catch (e) {
        harnessBroken = true;
        line(label, 'ERROR', `the ${label} measurement could not run`, false, e.message.split('\n')[0].slice(0, 300));
      }
    }

    process.stdout.write(`\nsummary (${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}):\n`);
    for (const r of results) {
      process.stdout.write(`  ${r.pass === undefined ? 'INFO' : r.pass ? 'PASS' : 'FAIL'}  ${r.name.padEnd(14)} ${r.figure.padEnd(14)} ${r.target}\n`);
    }
    const failed = results.filter((r) => r.pass === false).length;
    process.stdout.write(`${results.length - failed} of ${results.length} targets met${harnessBroken ? '; the harness broke in at least one section' : ''}\n`);
  } finally {
    await cleanup();
  }
  return harnessBroken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
