/**
 * A generated corpus of invalid configs (issue 9): every one must exit 2 at its exact line through the
 * built CLI, with no AWS connection, no child, no stack trace and no hang. Needs dist/ (node scripts/build.js).
 * All of them run `validate` through dist/main.js's `run` in a few batch processes (config-corpus-batch.js);
 * one placement of each mistake also runs `exec`, both in a batch and as its own `node dist/cli.js`
 * process, whose child would leave a marker file. The AWS endpoint is a loopback listener that counts
 * connections.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CLI, runCli } from '../helpers/cli';
import { recordHardening } from '../helpers/hardening-report';

const ARN = 'arn:aws:iam::123456789012:role/App';

/** A bad line for store `a`, as written (indented 4 inside the store). */
interface Bad {
  family: string;
  line: string;
}

const bombLine = (() => {
  const parts = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) parts.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  return `session_policy: {${parts.join(', ')}}`;
})();

const BAD: Bad[] = [
  ...['0', '1', '899', '43201', '100000', '-5', '1.5', 'abc', '"15 minutes"'].map((v) => ({ family: 'duration', line: `duration_seconds: ${v}` })),
  ...['1m', '13h', '2d', 'soon'].map((v) => ({ family: 'duration', line: `duration: ${v}` })),
  ...['"a b"', 'x', `"${'n'.repeat(65)}"`, '"é-name"', '"a/b"'].map((v) => ({ family: 'session-name', line: `role_session_name: ${v}` })),
  ...['x', '"has space"', `"${'e'.repeat(1225)}"`].map((v) => ({ family: 'external-id', line: `external_id: ${v}` })),
  ...['short', '"has space here"'].map((v) => ({ family: 'serial', line: `serial_number: ${v}` })),
  ...['a', '"alice smith"', '"aws:me"'].map((v) => ({ family: 'source-identity', line: `source_identity: ${v}` })),
  ...['rol_session_name: x', 'duraton: 1h', 'regoin: us-east-1', 'extrnal_id: abc', 'tag: {a: b}', 'polcy_arns: []', 'credential_from: x'].map((l) => ({ family: 'unknown-key', line: l })),
  ...['"pre-${VAR"', '"${VAR:default}"', '"${}"', '"${1X}"'].map((v) => ({ family: 'interpolation', line: `region: ${v}` })),
  ...['!Ref Region', '!Sub "${AWS::Region}"', '!GetAtt a.b', '!!binary aGk='].map((v) => ({ family: 'unknown-tag', line: `region: ${v}` })),
  ...['\u0007', '\u001b', '\u0000', '\u007f', '\u0085x'.slice(1) + '\u0008'].map((c) => ({ family: 'control-char', line: `region: us-east-1${c}` })),
  { family: 'unclosed-quote', line: 'region: "us-east-1' },
  { family: 'unclosed-quote', line: "region: 'us-east-1" },
  { family: 'unclosed-flow', line: 'tags: {Team: ops' },
  { family: 'unclosed-flow', line: 'policy_arns: [arn:aws:iam::aws:policy/ReadOnlyAccess' },
  { family: 'alias', line: 'region: *nope' },
  { family: 'alias', line: bombLine },
  { family: 'depth', line: `session_policy: ${'['.repeat(80)}${']'.repeat(80)}` },
  { family: 'duplicate', line: 'type: aws.sts' },
  { family: 'duplicate', line: `role_arn: ${ARN}` },
  ...['{"aws:cost": z}', '{"bad!": v}', '{Team: "a<b>"}', '{Team: a, team: b}', `{"${'k'.repeat(129)}": v}`].map((v) => ({ family: 'tags', line: `tags: ${v}` })),
  ...['[nope]', '[arn:aws:iam::123456789012:role/NotAPolicy]', `[${Array(11).fill('arn:aws:iam::aws:policy/ReadOnlyAccess').join(', ')}]`].map((v) => ({ family: 'policy-arns', line: `policy_arns: ${v}` })),
  { family: 'transitive', line: 'transitive_tag_keys: [Project]' },
  { family: 'policy', line: 'session_policy: "{not json"' },
  { family: 'policy', line: `session_policy: '${JSON.stringify({ Statement: [{ Resource: 'x'.repeat(2100) }] })}'` },
  ...['"arn:aws:iam::123:role/A"', 'nope', '"arn:aws:iam::123456789012:user/A"', `"arn:aws:iam::123456789012:role/${'p'.repeat(513)}/A"`].map((v) => ({ family: 'role-arn', line: `role_arn: ${v}` })),
  { family: 'token', line: 'token_code: "12345"' },
  { family: 'operation', line: 'operation: get-session-tokn' },
  { family: 'type', line: 'cache: {refresh_before: soon}' },
  { family: 'over-indent', line: '  region: us-east-1' },
  { family: 'complex-key', line: '? [a, b]' },
];

/** `fillers` valid stores before `a`, so the same mistake sits on many different lines. */
function configWith(bad: Bad, fillers: number): { text: string; line: number } {
  const lines = ['version: 1', 'secretStores:'];
  for (let i = 0; i < fillers; i++) lines.push(`  f${i}:`, '    type: aws.secretsmanager');
  lines.push('  a:', '    type: aws.sts', `    role_arn: ${ARN}`);
  const line = lines.length + 1;
  lines.push(`    ${bad.line}`);
  if (bad.family === 'complex-key') lines.push('    : c');
  lines.push('  sm:', '    type: aws.secretsmanager', '    credentials_from: a', 'envs:', '  e:', '    X: {from: {store: sm, key: app/db}}', '');
  return { text: lines.join('\n'), line };
}

const CASES = BAD.flatMap((bad) => [0, 1, 2, 5, 8, 13, 21].map((fillers, i) => ({ bad, fillers, exec: i === 0, ...configWith(bad, fillers) })));

let server: net.Server;
let connections = 0;
let endpoint = '';
let root = '';

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.js first`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-corpus-'));
  server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(root, { recursive: true, force: true });
});

/** Runs `jobs` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const awsEnv = () => ({ AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'AKIDCORPUS', AWS_SECRET_ACCESS_KEY: 'corpus', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' });

/** What must hold for one run of one case; empty when it held. */
function problemsOf(c: (typeof CASES)[number], dir: string, r: { code: number | null; stderr: string }): string[] {
  const lines = [...r.stderr.matchAll(/dsops\.yaml:(\d+):\d+: error\[/gm)].map((m) => Number(m[1]));
  const problems: string[] = [];
  if (r.code !== 2) problems.push(`exit ${r.code}`);
  if (!lines.includes(c.line)) problems.push(`not located at line ${c.line} (got ${lines.join(',') || 'none'})`);
  if (/^\s{4}at |unexpected failure|Maximum call stack|batch runner/m.test(r.stderr)) problems.push('stack trace or unexpected failure');
  if (fs.existsSync(path.join(dir, 'ran'))) problems.push('the child ran');
  return problems;
}

const describeCase = (c: (typeof CASES)[number], cmd: string) => `${c.bad.family} [${cmd}] ${JSON.stringify(c.bad.line.slice(0, 60))} +${c.fillers}`;
const EXEC = ['exec', '--env', 'e', '--', 'sh', '-c', 'touch ran'];

test(`${CASES.length} invalid configs: exit 2 at their own line, no call, no child, no trace`, async () => {
  expect(CASES.length).toBeGreaterThanOrEqual(500);
  const failures: string[] = [];
  const dirs = CASES.map((c, i) => {
    const dir = path.join(root, `c${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'dsops.yaml'), c.text);
    return dir;
  });

  // Every case, validate and (for one placement of each mistake) exec, through the built CLI's entry in
  // a few batch processes: node's start-up is paid per batch, not per config.
  const jobs = CASES.flatMap((c, i) => {
    const env = { ...awsEnv(), PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dirs[i], DSOPS_CACHE_DIR: path.join(dirs[i], '.cache') };
    const config = ['--config', path.join(dirs[i], 'dsops.yaml')];
    return [
      { i, cmd: 'validate', args: ['validate', ...config], env },
      ...(c.exec ? [{ i, cmd: 'exec', args: [...config, ...EXEC], env }] : []),
    ];
  });
  const batches = 3;
  await pool([...Array(batches).keys()], batches, async (b) => {
    const mine = jobs.filter((_, j) => j % batches === b);
    const file = path.join(root, `batch-${b}.json`);
    fs.writeFileSync(file, JSON.stringify(mine.map((j) => ({ args: j.args, env: j.env }))));
    const r = await runNode([BATCH, file], root);
    if (r.code !== 0) {
      failures.push(`batch ${b} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
      return;
    }
    const results = JSON.parse(r.stdout) as { code: number; stderr: string }[];
    results.forEach((res, k) => {
      const job = mine[k];
      const p = problemsOf(CASES[job.i], dirs[job.i], res);
      if (p.length) failures.push(`${describeCase(CASES[job.i], job.cmd)}: ${p.join('; ')}\n${res.stderr.slice(0, 300)}`);
    });
  });

  // And one placement of each mistake as a user runs it, one process each: `exec` with its child,
  // so exit codes, stack traces and the child are seen from outside.
  await pool(CASES.filter((c) => c.exec), 3, async (c) => {
    const dir = dirs[CASES.indexOf(c)];
    const r = await runCli(EXEC, { cwd: dir, env: awsEnv(), timeoutMs: 30_000 });
    const p = problemsOf(c, dir, { code: r.signal ? null : r.code, stderr: r.stderr });
    if (p.length) failures.push(`${describeCase(c, 'exec, own process')}: ${p.join('; ')}\n${r.stderr.slice(0, 300)}`);
  });

  expect(failures).toEqual([]);
  expect(connections).toBe(0);
  recordHardening('config-corpus', { badInputs: CASES.length });
}, 180_000);

const BATCH = path.join(__dirname, 'config-corpus-batch.js');

/** `node args...` in `cwd`, bounded: a hang in dsops shows as a killed batch, not a stuck suite. */
function runNode(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
