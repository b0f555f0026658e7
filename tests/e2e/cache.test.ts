/**
 * The persistent STS session cache through the built CLI (dist/cli.js), against moto.
 * Every run is a separate dsops process with its own temp DSOPS_CACHE_DIR; STS calls are counted from
 * moto's recorder, so "0 calls" means no request reached AWS.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as lockfile from 'proper-lockfile';
import { CLI, CliResult, project, runCli } from '../helpers/cli';
import { awsEnv, callsOf, describeMoto, resetMoto, resetRecording, ROOT_KEY, seedSecret } from '../helpers/moto';
import { pollUntil } from '../helpers/poll';

const MFA = 'arn:aws:iam::111111111111:mfa/tester';
const JUMP = 'arn:aws:iam::111111111111:role/JumpRole';
const TARGET = 'arn:aws:iam::222222222222:role/TargetRole';

/** A two-hop chain; `jumpExtra`/`targetExtra` are extra YAML lines for each store, `top` goes before secretStores. */
function chain(opts: { jumpExtra?: string; targetExtra?: string; top?: string } = {}): string {
  return `version: 1
${opts.top ?? ''}
secretStores:
  jump:
    type: aws.sts
    role_arn: ${JUMP}
${opts.jumpExtra ?? ''}
  target:
    type: aws.sts
    role_arn: ${TARGET}
    credentials_from: jump
${opts.targetExtra ?? ''}
envs:
  prod:
    KEY: { from: { store: target, key: AccessKeyId } }
`;
}

/** One store; `extra` is extra YAML for it. */
function single(extra = '', top = ''): string {
  return `version: 1
${top}
secretStores:
  solo:
    type: aws.sts
    role_arn: ${JUMP}
${extra}
envs:
  prod:
    KEY: { from: { store: solo, key: AccessKeyId } }
`;
}

/** The child prints the injected KEY, so a test can tell which session it got. */
const PRINT_KEY = [process.execPath, '-e', 'process.stdout.write(process.env.KEY || "")'];

function exec(cwd: string, opts: { flags?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return runCli(['exec', '-e', 'prod', ...(opts.flags ?? []), '--', ...PRINT_KEY], {
    cwd,
    env: awsEnv(opts.env),
    timeoutMs: opts.timeoutMs,
  });
}

async function ok(r: Promise<CliResult>): Promise<CliResult> {
  const res = await r;
  if (res.code !== 0) throw new Error(`dsops exited ${res.code} (${res.signal}):\n${res.stderr}`);
  return res;
}

const cacheOf = (cwd: string) => path.join(cwd, '.cache');
/** The session entries in a cache dir (other dsops caches may share the dir). */
const jsonFiles = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^sts-.*\.json$/.test(f)).sort().map((f) => path.join(dir, f)) : [];
const lockDirs = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.lock')) : []);
const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
const fileOf = (dir: string, store: string): string => {
  const f = jsonFiles(dir).find((x) => readJson(x).store === store);
  if (!f) throw new Error(`no cache file for store ${store} in ${dir}`);
  return f;
};
const assumes = async () => (await callsOf('AssumeRole')).length;
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describeMoto('dsops exec with the session cache (built CLI, moto)', () => {
  beforeEach(resetMoto);

  describe('reuse across runs', () => {
    it('the second run makes 0 STS calls and injects the same session; dir 0700, files 0600', async () => {
      const cwd = project(chain());
      const first = await ok(exec(cwd));
      expect(first.stdout).toMatch(/^[A-Z0-9]{16,}$/);
      expect(await assumes()).toBe(2);

      const second = await ok(exec(cwd));
      expect(second.stdout).toBe(first.stdout);
      expect(await assumes()).toBe(2);

      expect(mode(cacheOf(cwd))).toBe(0o700);
      const files = jsonFiles(cacheOf(cwd));
      expect(files).toHaveLength(2);
      for (const f of files) expect(mode(f)).toBe(0o600);
      expect(lockDirs(cacheOf(cwd))).toEqual([]);
    });

    it('editing external_id or duration makes exactly 1 call; going back hits the old entry', async () => {
      const cwd = project(single());
      await ok(exec(cwd));
      expect(await assumes()).toBe(1);

      fs.writeFileSync(path.join(cwd, 'dsops.yaml'), single('    external_id: ext-abc-123'));
      await ok(exec(cwd));
      const calls = await callsOf('AssumeRole');
      expect(calls).toHaveLength(2);
      expect(calls[1].params.get('ExternalId')).toBe('ext-abc-123');

      fs.writeFileSync(path.join(cwd, 'dsops.yaml'), single('    duration: 30m'));
      await ok(exec(cwd));
      expect(await callsOf('AssumeRole')).toHaveLength(3);
      expect((await callsOf('AssumeRole'))[2].params.get('DurationSeconds')).toBe('1800');

      // Each edit was a run of its own; running any of them again is a hit.
      fs.writeFileSync(path.join(cwd, 'dsops.yaml'), single('    external_id: ext-abc-123'));
      await ok(exec(cwd));
      fs.writeFileSync(path.join(cwd, 'dsops.yaml'), single());
      await ok(exec(cwd));
      expect(await assumes()).toBe(3);
    });

    it('editing the upstream hop invalidates the downstream hop too (its key includes the upstream key)', async () => {
      const cwd = project(chain());
      await ok(exec(cwd));
      fs.writeFileSync(path.join(cwd, 'dsops.yaml'), chain({ jumpExtra: '    external_id: ext-jump-1' }));
      await ok(exec(cwd));
      const arns = (await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'));
      expect(arns).toEqual([JUMP, TARGET, JUMP, TARGET]);
    });

    it('a dsops-${USER}-${TIMESTAMP} session name hits the cache on the second run', async () => {
      const cwd = project(single('    role_session_name: dsops-${USER}-${TIMESTAMP}'));
      await ok(exec(cwd));
      const [call] = await callsOf('AssumeRole');
      expect(call.params.get('RoleSessionName')).toMatch(/^dsops-tester-\d{8}T\d{6}Z$/);
      // The second run's TIMESTAMP must differ from the first's: wait until the clock has left that second.
      const firstStamp = call.params.get('RoleSessionName')!.slice(-16);
      await pollUntil('the UTC second to change', () => new Date().toISOString().replace(/[-:]|\.\d+/g, '') !== firstStamp, { everyMs: 50 });
      await ok(exec(cwd));
      expect(await assumes()).toBe(1);
      // And a refresh now sends a new, later name: the name really is volatile.
      await ok(exec(cwd, { flags: ['--refresh'] }));
      const names = (await callsOf('AssumeRole')).map((c) => c.params.get('RoleSessionName'));
      expect(names).toHaveLength(2);
      expect(names[1]).not.toBe(names[0]);
    });

    it('secret values are never written to disk: only STS sessions are cached', async () => {
      await seedSecret('222222222222', 'prod/db', JSON.stringify({ password: 'pw-never-on-disk-7f3a' }));
      await resetRecording();
      const cwd = project(`${chain()}    DB_PASSWORD: { from: { store: secrets, key: "prod/db#password" } }\n`.replace(
        'envs:',
        '  secrets:\n    type: aws.secretsmanager\n    credentials_from: target\nenvs:',
      ));
      const print = [process.execPath, '-e', 'process.stdout.write(process.env.DB_PASSWORD || "")'];
      const first = await ok(runCli(['exec', '-e', 'prod', '--', ...print], { cwd, env: awsEnv() }));
      expect(first.stdout).toBe('pw-never-on-disk-7f3a');
      const second = await ok(runCli(['exec', '-e', 'prod', '--', ...print], { cwd, env: awsEnv() }));
      expect(second.stdout).toBe('pw-never-on-disk-7f3a');
      // Sessions came from the cache; the secret was read again.
      expect(await assumes()).toBe(2);
      expect(await callsOf('GetSecretValue')).toHaveLength(2);
      const files = fs.readdirSync(cacheOf(cwd)).map((f) => path.join(cacheOf(cwd), f));
      expect(jsonFiles(cacheOf(cwd))).toHaveLength(2);
      for (const f of files) {
        if (fs.statSync(f).isFile()) expect(fs.readFileSync(f, 'utf8')).not.toContain('pw-never-on-disk-7f3a');
      }
    });

    it('8 parallel cold dsops exec processes on a two-hop chain make exactly 1 AssumeRole per hop', async () => {
      const cwd = project(chain());
      const results = await Promise.all(Array.from({ length: 8 }, () => exec(cwd, { timeoutMs: 60_000 })));
      for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
      const arns = (await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'));
      expect(arns.sort()).toEqual([JUMP, TARGET]);
      expect(lockDirs(cacheOf(cwd))).toEqual([]);
    });
  });

  describe('MFA', () => {
    const MFA_STORE = single(`    serial_number: ${MFA}\n    token_code: \${MFA_TOKEN}`);

    it('MFA_TOKEN=123456 on the first run; unset on the second still succeeds with 0 calls', async () => {
      const cwd = project(MFA_STORE);
      const first = await ok(exec(cwd, { env: { MFA_TOKEN: '123456' } }));
      const [call] = await callsOf('AssumeRole');
      expect(call.params.get('SerialNumber')).toBe(MFA);
      expect(call.params.get('TokenCode')).toBe('123456');

      const second = await ok(exec(cwd));
      expect(second.stdout).toBe(first.stdout);
      expect(await assumes()).toBe(1);
    });

    it('no code and no terminal: exit 1, and no lock and no cache file remain', async () => {
      const cwd = project(MFA_STORE);
      const r = await exec(cwd);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/needs an MFA code for device .*mfa\/tester/);
      expect(jsonFiles(cacheOf(cwd))).toEqual([]);
      expect(lockDirs(cacheOf(cwd))).toEqual([]);
      expect(await assumes()).toBe(0);
    });

    const GST = `version: 1
secretStores:
  mfa:
    type: aws.sts
    operation: get-session-token
    serial_number: ${MFA}
    token_code: \${MFA_TOKEN}
  deploy:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/Deploy
    credentials_from: mfa
  audit:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Audit
    credentials_from: mfa
envs:
  prod:
    KEY: { from: { store: deploy, key: AccessKeyId } }
    AUDIT_KEY: { from: { store: audit, key: AccessKeyId } }
`;

    it('a get-session-token root with two roles on top needs a single code', async () => {
      const cwd = project(GST);
      await ok(exec(cwd, { env: { MFA_TOKEN: '123456' } }));
      const gst = await callsOf('GetSessionToken');
      expect(gst).toHaveLength(1);
      expect(gst[0].signedBy).toBe(ROOT_KEY);
      expect(gst[0].params.get('TokenCode')).toBe('123456');
      const root = readJson(fileOf(cacheOf(cwd), 'mfa'));
      expect(root.operation).toBe('get-session-token');
      const roles = await callsOf('AssumeRole');
      expect(roles.map((c) => c.params.get('RoleArn')).sort()).toEqual([
        'arn:aws:iam::222222222222:role/Deploy',
        'arn:aws:iam::333333333333:role/Audit',
      ]);
      for (const c of roles) {
        expect(c.signedBy).toBe(root.credentials.accessKeyId);
        expect(c.params.get('TokenCode')).toBeNull();
      }

      // The code is spent; the next run needs none.
      await ok(exec(cwd));
      expect(await callsOf('GetSessionToken')).toHaveLength(1);
      expect(await assumes()).toBe(2);
    });

    it('two roles on one MFA device are refused at validation, pointing at get-session-token', async () => {
      const cwd = project(`version: 1
secretStores:
  a:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/A
    serial_number: ${MFA}
  b:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/B
    serial_number: ${MFA}
envs:
  prod:
    KEY: { from: { store: a, key: AccessKeyId } }
    KEY2: { from: { store: b, key: AccessKeyId } }
`);
      const r = await exec(cwd, { env: { MFA_TOKEN: '123456' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/MFA device/);
      expect(r.stderr).toMatch(/get-session-token/);
      expect(await assumes()).toBe(0);
    });
  });

  describe('flags and settings', () => {
    it('--no-cache neither reads nor writes: no files, a call every time', async () => {
      const cwd = project(single());
      await ok(exec(cwd, { flags: ['--no-cache'] }));
      await ok(exec(cwd, { flags: ['--no-cache'] }));
      expect(await assumes()).toBe(2);
      expect(fs.existsSync(cacheOf(cwd))).toBe(false);

      // With a valid entry present, --no-cache still does not read it (and does not touch it).
      const cached = await ok(exec(cwd));
      const file = jsonFiles(cacheOf(cwd))[0];
      const before = fs.readFileSync(file, 'utf8');
      const bypass = await ok(exec(cwd, { flags: ['--no-cache'] }));
      expect(bypass.stdout).not.toBe(cached.stdout);
      expect(await assumes()).toBe(4);
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
    });

    it('--refresh makes new calls and rewrites the entries, which later runs use', async () => {
      const cwd = project(chain());
      const first = await ok(exec(cwd));
      const before = jsonFiles(cacheOf(cwd)).map((f) => fs.readFileSync(f, 'utf8'));
      const refreshed = await ok(exec(cwd, { flags: ['--refresh'] }));
      expect(await assumes()).toBe(4);
      expect(refreshed.stdout).not.toBe(first.stdout);
      const after = jsonFiles(cacheOf(cwd)).map((f) => fs.readFileSync(f, 'utf8'));
      expect(after).toHaveLength(2);
      after.forEach((text, i) => expect(text).not.toBe(before[i]));
      const third = await ok(exec(cwd));
      expect(third.stdout).toBe(refreshed.stdout);
      expect(await assumes()).toBe(4);
    });

    it('cache: false on a store turns the cache off for that store only', async () => {
      const cwd = project(chain({ targetExtra: '    cache: false' }));
      await ok(exec(cwd));
      await ok(exec(cwd));
      const arns = (await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'));
      expect(arns).toEqual([JUMP, TARGET, TARGET]);
      expect(jsonFiles(cacheOf(cwd)).map((f) => readJson(f).store)).toEqual(['jump']);
    });

    it('cache: false at the top level turns it off everywhere', async () => {
      const cwd = project(chain({ top: 'cache: false' }));
      await ok(exec(cwd));
      await ok(exec(cwd));
      expect(await assumes()).toBe(4);
      expect(jsonFiles(cacheOf(cwd))).toEqual([]);
    });

    it('a 15-minute session is reused by default (a quarter as margin), not never', async () => {
      const cwd = project(single('    duration: 15m'));
      await ok(exec(cwd));
      await ok(exec(cwd));
      expect(await assumes()).toBe(1);
      expect((await callsOf('AssumeRole'))[0].params.get('DurationSeconds')).toBe('900');
    });

    it('global cache: {refresh_before: 15m} makes a 15-minute session unusable; a store setting wins', async () => {
      // Global margin ≥ the session's life: every run calls.
      const cwd = project(single('    duration: 15m', 'cache: { refresh_before: 15m }'));
      await ok(exec(cwd));
      await ok(exec(cwd));
      expect(await assumes()).toBe(2);

      // Same global setting, but the store says 1m: reused.
      fs.writeFileSync(path.join(cwd, 'dsops.yaml'), single('    duration: 15m\n    cache: { refresh_before: 1m }', 'cache: { refresh_before: 15m }'));
      await ok(exec(cwd));
      await ok(exec(cwd));
      expect(await assumes()).toBe(2);
    });

    it('per-store cache: {refresh_before: 10m} on a 15-minute session: reused; 15m: never', async () => {
      const cwd = project(single('    duration: 15m\n    cache: { refresh_before: 10m }'));
      await ok(exec(cwd));
      await ok(exec(cwd));
      expect(await assumes()).toBe(1);

      const cwd2 = project(single('    duration: 15m\n    cache: { refresh_before: 15m }'));
      await ok(exec(cwd2));
      await ok(exec(cwd2));
      expect(await assumes()).toBe(3);
    });
  });

  describe('dsops cache list / clear', () => {
    it('list shows store, role, operation, expiry and file, never a credential; --json too', async () => {
      const cwd = project(chain());
      await ok(exec(cwd));
      const files = jsonFiles(cacheOf(cwd));
      const secrets = files.flatMap((f) => {
        const c = readJson(f).credentials;
        return [c.accessKeyId, c.secretAccessKey, c.sessionToken];
      });
      expect(secrets.every((s) => typeof s === 'string' && s.length > 8)).toBe(true);

      const text = await ok(runCli(['cache', 'list'], { cwd }));
      expect(text.stdout).toMatch(/STORE\s+ROLE\s+OPERATION\s+EXPIRES IN\s+FILE/);
      for (const [store, role] of [['jump', JUMP], ['target', TARGET]]) {
        const line = text.stdout.split('\n').find((l) => l.startsWith(store + ' '));
        expect(line).toBeDefined();
        expect(line).toContain(role);
        expect(line).toContain('assume-role');
        expect(line).toMatch(/\b(59m|1h 0m)/);
        expect(line).toContain(fileOf(cacheOf(cwd), store));
      }

      const json = await ok(runCli(['cache', 'list', '--json'], { cwd }));
      const parsed = JSON.parse(json.stdout) as { dir: string; sessions: Record<string, unknown>[] };
      expect(parsed.dir).toBe(cacheOf(cwd));
      expect(parsed.sessions).toHaveLength(2);
      for (const s of parsed.sessions) {
        expect(s).toEqual(
          expect.objectContaining({ store: expect.any(String), role: expect.any(String), operation: 'assume-role', expires_in: expect.any(String), file: expect.any(String) }),
        );
        expect(files).toContain(s.file);
      }

      for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) {
        for (const s of secrets) expect(out).not.toContain(s);
        expect(out).not.toMatch(/secretAccessKey|sessionToken|accessKeyId/i);
      }
    });

    it('list shows an unusable file as such, and clear removes it', async () => {
      const cwd = project(chain());
      await ok(exec(cwd));
      const junk = path.join(cacheOf(cwd), `sts-${'0'.repeat(32)}.json`);
      fs.writeFileSync(junk, '{"format":1,"creden', { mode: 0o600 });
      const r = await ok(runCli(['cache', 'list'], { cwd }));
      const line = r.stdout.split('\n').find((l) => l.includes(junk));
      expect(line).toMatch(/unusable: it is not valid JSON/);
      await ok(runCli(['cache', 'clear', 'jump'], { cwd }));
      expect(fs.existsSync(junk)).toBe(true);
      await ok(runCli(['cache', 'clear'], { cwd }));
      expect(fs.existsSync(junk)).toBe(false);
      expect(jsonFiles(cacheOf(cwd))).toEqual([]);
    });

    it('list with nothing cached says so', async () => {
      const cwd = project(chain());
      const r = await ok(runCli(['cache', 'list'], { cwd }));
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/no cached sessions/);
      const j = await ok(runCli(['cache', 'list', '--json'], { cwd }));
      expect(JSON.parse(j.stdout).sessions).toEqual([]);
    });

    it('clear STORE removes that store\'s session only; clear removes all', async () => {
      const cwd = project(chain());
      await ok(exec(cwd));
      const cleared = await ok(runCli(['cache', 'clear', 'target'], { cwd }));
      expect(cleared.stderr).toMatch(/removed 1 cached session\b/);
      expect(jsonFiles(cacheOf(cwd)).map((f) => readJson(f).store)).toEqual(['jump']);

      await ok(exec(cwd));
      expect((await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'))).toEqual([JUMP, TARGET, TARGET]);

      const all = await ok(runCli(['cache', 'clear'], { cwd }));
      expect(all.stderr).toMatch(/removed 2 cached sessions/);
      expect(jsonFiles(cacheOf(cwd))).toEqual([]);
      await ok(exec(cwd));
      expect(await assumes()).toBe(5);
    });

    it('clear with several stores, and with an unknown one', async () => {
      const cwd = project(chain());
      await ok(exec(cwd));
      // Regression (issue 13): an unknown store said "removed 0" and exited 0.
      const unknown = await runCli(['cache', 'clear', 'nope'], { cwd });
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('dsops: error: cache clear: store "nope" is not defined in');
      expect(unknown.stderr).toContain('known stores: jump, target');
      expect(jsonFiles(cacheOf(cwd))).toHaveLength(2);
      await ok(runCli(['cache', 'clear', 'jump', 'target'], { cwd }));
      expect(jsonFiles(cacheOf(cwd))).toEqual([]);
    });
  });

  describe('bad, untrusted and unusable cache files', () => {
    it.each([
      ['corrupt', () => 'definitely { not json'],
      ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
      ['unknown format version', (text: string) => JSON.stringify({ ...JSON.parse(text), format: 999 })],
    ])('a %s file is a miss and is replaced; the note appears only with -v', async (_what, spoil) => {
      const cwd = project(single());
      await ok(exec(cwd));
      const file = jsonFiles(cacheOf(cwd))[0];
      const good = fs.readFileSync(file, 'utf8');

      fs.writeFileSync(file, spoil(good));
      const quiet = await ok(exec(cwd));
      expect(quiet.stderr).toBe('');
      expect(await assumes()).toBe(2);
      expect(readJson(file).format).toBe(2);
      expect(mode(file)).toBe(0o600);

      fs.writeFileSync(file, spoil(good));
      const verbose = await ok(exec(cwd, { flags: ['-v'] }));
      expect(verbose.stderr).toContain(`ignoring cache file ${file}`);
      expect(verbose.stderr).not.toMatch(/warning/);
      expect(await assumes()).toBe(3);

      await ok(exec(cwd));
      expect(await assumes()).toBe(3);
    });

    it('a world-readable (0644) cache file is deleted and STS is called again', async () => {
      const cwd = project(single());
      const first = await ok(exec(cwd));
      const file = jsonFiles(cacheOf(cwd))[0];
      fs.chmodSync(file, 0o644);
      const second = await ok(exec(cwd));
      expect(second.stderr).toMatch(/warning: .*untrusted cache file .*644/);
      expect(second.stdout).not.toBe(first.stdout);
      expect(await assumes()).toBe(2);
      expect(mode(file)).toBe(0o600);
      expect(readJson(file).credentials.accessKeyId).toBe(second.stdout);
    });

    it('an unusable cache dir (parent is a regular file): runs, warns exactly once, exit 0', async () => {
      const cwd = project(chain());
      fs.writeFileSync(path.join(cwd, 'blocker'), 'not a dir');
      const env = { DSOPS_CACHE_DIR: path.join(cwd, 'blocker', 'cache') };
      const r = await exec(cwd, { env });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^[A-Z0-9]{16,}$/);
      const warnings = r.stderr.split('\n').filter((l) => /warning/.test(l));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/session cache .*blocker\/cache is not writable \(ENOTDIR\); running without it/);
      expect(r.stderr.trim()).toBe(warnings[0]);
      expect(await assumes()).toBe(2);
      await ok(exec(cwd, { env }));
      expect(await assumes()).toBe(4);
    });
  });

  describe('locks', () => {
    it('a lock left by a dead process is broken: the run succeeds promptly', async () => {
      const cwd = project(single());
      await ok(exec(cwd));
      const file = jsonFiles(cacheOf(cwd))[0];
      fs.rmSync(file);
      const lockDir = `${file}.lock`;
      fs.mkdirSync(lockDir);
      // proper-lockfile judges staleness by the file system's clock, so this is real time.
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(lockDir, old, old);

      // The smallest lock budget: a dead lock that had to be waited out would end in "timed out", exit 1.
      const r = await ok(exec(cwd, { env: { DSOPS_LOCK_TIMEOUT: '0.1' }, flags: ['-v'] }));
      expect(r.stderr).not.toMatch(/waiting for another dsops process/);
      expect(await assumes()).toBe(2);
      expect(fs.existsSync(lockDir)).toBe(false);
      expect(fs.existsSync(file)).toBe(true);
    });

    it('a live lock is waited for, boundedly: DSOPS_LOCK_TIMEOUT=1 gives exit 1 and a clear message naming the holder', async () => {
      const cwd = project(single());
      await ok(exec(cwd));
      const file = jsonFiles(cacheOf(cwd))[0];
      fs.rmSync(file);
      const release = await lockfile.lock(file, { realpath: false, stale: 10_000, update: 1000 });
      // The holder's record, as a dsops holder writes it (this test process stands in for that run).
      fs.writeFileSync(`${file}.owner`, String(process.pid), { mode: 0o600 });
      try {
        // Bounded: runCli kills a run still going after 20 s, which would show as signal SIGKILL, not exit 1.
        const r = await exec(cwd, { env: { DSOPS_LOCK_TIMEOUT: '1' }, flags: ['-v'], timeoutMs: 20_000 });
        expect({ code: r.code, signal: r.signal }).toEqual({ code: 1, signal: null });
        expect(r.stderr).toMatch(/waiting for another dsops process/);
        expect(r.stderr).toMatch(new RegExp(`timed out after 1s waiting for another dsops process \\(pid ${process.pid}\\) to finish`));
        expect(r.stderr).toMatch(/DSOPS_LOCK_TIMEOUT/);
        expect(await assumes()).toBe(1);
      } finally {
        fs.rmSync(`${file}.owner`, { force: true });
        await release();
      }
      // Once the holder is gone, runs go through.
      await ok(exec(cwd));
      expect(await assumes()).toBe(2);
    });

    it('interrupted (SIGINT) while holding the lock mid-call: no lock and no entry are left', async () => {
      // An STS endpoint that accepts connections and never answers keeps dsops inside the lock.
      const sockets: net.Socket[] = [];
      const hang = net.createServer((s) => sockets.push(s));
      await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
      const port = (hang.address() as net.AddressInfo).port;
      try {
        const cwd = project(single());
        const child = spawn(process.execPath, [CLI, 'exec', '-e', 'prod', '--', ...PRINT_KEY], {
          cwd,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, USER: 'tester', DSOPS_CACHE_DIR: cacheOf(cwd), ...awsEnv({ AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}` }) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
        await pollUntil('dsops to take the lock with its STS call in flight', () => lockDirs(cacheOf(cwd)).length > 0 && sockets.length > 0);
        child.kill('SIGINT');
        const [code, signal] = await exited;
        expect(code === 130 || signal === 'SIGINT').toBe(true);
        expect(lockDirs(cacheOf(cwd))).toEqual([]);
        expect(jsonFiles(cacheOf(cwd))).toEqual([]);
      } finally {
        for (const s of sockets) s.destroy();
        hang.close();
      }
    });
  });
});
