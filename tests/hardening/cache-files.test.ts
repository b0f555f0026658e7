/**
 * Nothing in the cache dir can crash, hang or hijack dsops (issue 8 item 4, issue 9 item 3).
 *
 * Every name dsops reads there (sts-*.json sessions, their .lock dirs and .owner records, and what `cache list` /
 * `cache clear` enumerate) is replaced by something hostile: a FIFO, a socket, a directory, a 0-byte file, a 100 MB file,
 * random bytes, valid JSON of the wrong shape, a symlink. The built CLI (dist/cli.js) then runs in fresh
 * processes against moto. Each case must be a miss that is replaced, with no hang (runs are killed after a
 * bound, which fails the case), no crash and no stack trace. The symlink race of issue 9 is reproduced
 * through a proxy that holds the STS call until the test has planted the link.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { CliResult, project, runCli } from '../helpers/cli';
import { recordHardening } from '../helpers/hardening-report';
import { awsEnv, callsOf, describeMoto, motoUrl, resetMoto } from '../helpers/moto';
import { pollUntil } from '../helpers/poll';

const ROLE = 'arn:aws:iam::111111111111:role/Deploy';
const YAML = `version: 1
secretStores:
  solo:
    type: aws.sts
    role_arn: ${ROLE}
envs:
  prod:
    KEY: { from: { store: solo, key: AccessKeyId } }
`;
const PRINT_KEY = [process.execPath, '-e', 'process.stdout.write(process.env.KEY || "")'];
/** Any run still going after this is a hang: runCli kills it, and the case fails on its exit code. */
const HANG_BOUND_MS = 20_000;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const OTHER_UID = 65534;

const cacheOf = (cwd: string) => path.join(cwd, '.cache');
const sessionFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^sts-[0-9a-f]+\.json$/.test(f)) : []);
const assumes = async () => (await callsOf('AssumeRole')).length;

const exec = (cwd: string, env: Record<string, string> = {}, flags: string[] = []) =>
  runCli(['exec', '-e', 'prod', ...flags, '--', ...PRINT_KEY], { cwd, env: awsEnv(env), timeoutMs: HANG_BOUND_MS });
const cli = (cwd: string, args: string[]) => runCli(args, { cwd, env: awsEnv(), timeoutMs: HANG_BOUND_MS });

/** Neither a hang (killed by the bound), nor a crash, nor a stack trace. */
function expectClean(r: CliResult, code = 0): void {
  expect({ signal: r.signal, code: r.code, stderr: r.stderr }).toEqual({ signal: null, code, stderr: expect.any(String) });
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/unexpected failure|Error:/);
}

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Puts one hostile thing at `file`: what a crash, a mistake or an attacker can leave at a cache name. */
async function plant(kind: string, file: string, tmp: string): Promise<void> {
  switch (kind) {
    case 'FIFO':
      execFileSync('mkfifo', ['-m', '600', file]);
      return;
    case 'socket': {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((r) => server.listen(file, r));
      return;
    }
    case 'directory':
      fs.mkdirSync(file);
      fs.writeFileSync(path.join(file, 'inside'), 'x');
      return;
    case '0-byte file':
      fs.writeFileSync(file, '', { mode: 0o600 });
      return;
    case '100 MB file':
      // Sparse: 100 MB to fstat and to a reader without a cap, nothing on disk.
      fs.writeFileSync(file, '', { mode: 0o600 });
      fs.truncateSync(file, 100 * 1024 * 1024);
      return;
    case 'random bytes': {
      const bytes = Buffer.alloc(8192);
      let x = 2463534242;
      for (let i = 0; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      fs.writeFileSync(file, bytes, { mode: 0o600 });
      return;
    }
    case 'JSON of the wrong shape':
      fs.writeFileSync(
        file,
        JSON.stringify({ format: 2, key: 'k', store: 'solo', operation: 'assume-role', region: [], createdAt: '2020-01-01T00:00:00Z', expiration: '2999-01-01T00:00:00Z', credentials: { accessKeyId: 7, secretAccessKey: {} } }),
        { mode: 0o600 },
      );
      return;
    case 'symlink': {
      const target = path.join(tmp, 'link-target');
      fs.writeFileSync(target, 'link target bytes', { mode: 0o644 });
      fs.symlinkSync(target, file);
      return;
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** Runs exec once, then removes the session file it wrote: the path of a session the next run must fetch. */
async function sessionGone(cwd: string): Promise<string> {
  const dir = cacheOf(cwd);
  expectClean(await exec(cwd));
  const [name] = sessionFiles(dir);
  const file = path.join(dir, name);
  fs.rmSync(file);
  return file;
}

const KINDS = ['FIFO', 'socket', 'directory', '0-byte file', '100 MB file', 'random bytes', 'JSON of the wrong shape', 'symlink'];

describeMoto('hostile cache files against the built CLI (fresh processes, moto)', () => {
  beforeEach(resetMoto);

  describe.each(KINDS)('a %s at a session file name', (kind) => {
    it('exec: a miss, one AssumeRole, replaced by a 0600 session file; then cache list and cache clear cope', async () => {
      const cwd = project(YAML);
      const dir = cacheOf(cwd);
      const first = await exec(cwd);
      expectClean(first);
      const [name] = sessionFiles(dir);
      const file = path.join(dir, name);

      fs.rmSync(file);
      await plant(kind, file, cwd);
      const second = await exec(cwd);
      expectClean(second);
      expect(second.stdout).toMatch(/^[A-Z0-9]{16,}$/);
      expect(second.stdout).not.toBe(first.stdout);
      expect(await assumes()).toBe(2);
      // Replaced: a regular file of ours, 0600, holding the new session; the next run hits it.
      const st = fs.lstatSync(file);
      expect({ file: st.isFile(), mode: st.mode & 0o777, uid: st.uid }).toEqual({ file: true, mode: 0o600, uid: process.getuid!() });
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).credentials.accessKeyId).toBe(second.stdout);
      if (kind === 'symlink') expect(fs.readFileSync(path.join(cwd, 'link-target'), 'utf8')).toBe('link target bytes');
      const third = await exec(cwd);
      expectClean(third);
      expect(third.stdout).toBe(second.stdout);
      expect(await assumes()).toBe(2);

      // cache list and cache clear enumerate the same names: a second planted copy beside the good file.
      const other = path.join(dir, `sts-${'f'.repeat(16)}.json`);
      await plant(kind, other, cwd);
      const list = await cli(cwd, ['cache', 'list']);
      expectClean(list);
      expect(list.stdout.split('\n').find((l) => l.includes(other))).toMatch(/unusable: /);
      expect(list.stdout.split('\n').find((l) => l.includes(file))).toMatch(/^solo /);
      const json = await cli(cwd, ['cache', 'list', '--json']);
      expectClean(json);
      const rows = JSON.parse(json.stdout).sessions as { file: string; store: string; expires_in: string }[];
      expect(rows.find((r) => r.file === other)?.expires_in).toMatch(/^unusable: /);

      const clear = await cli(cwd, ['cache', 'clear']);
      expectClean(clear);
      expect(clear.stderr).toMatch(/removed 2 cached sessions/);
      expect(sessionFiles(dir)).toEqual([]);
      expect(fs.existsSync(other)).toBe(false);
      if (kind === 'symlink') expect(fs.readFileSync(path.join(cwd, 'link-target'), 'utf8')).toBe('link target bytes');
      // exec, exec (hit), list, list --json, clear: five runs that met a planted name; two plantings.
      recordHardening('cache-files', { badInputs: 5, faults: 2 });
    });

    it('cache clear STORE skips it, and a plain cache clear removes it', async () => {
      const cwd = project(YAML);
      const dir = cacheOf(cwd);
      fs.mkdirSync(dir, { mode: 0o700 });
      const file = path.join(dir, `sts-${'e'.repeat(16)}.json`);
      await plant(kind, file, cwd);
      const some = await cli(cwd, ['cache', 'clear', 'solo']);
      expectClean(some);
      expect(fs.lstatSync(file)).toBeDefined();
      const all = await cli(cwd, ['cache', 'clear']);
      expectClean(all);
      expect(fs.existsSync(file) || fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined).toBe(false);
      recordHardening('cache-files', { badInputs: 2, faults: 1 });
    });
  });

  describe.each(KINDS)('a %s at every other name dsops keeps in the cache dir (parsed configs, compiled code)', (kind) => {
    it('exec and cache list neither hang nor crash; cache clear too, except as noted', async () => {
      const cwd = project(YAML);
      const dir = cacheOf(cwd);
      expectClean(await exec(cwd));
      expectClean(await exec(cwd));
      // Whatever else a warm run leaves beside the sessions today; read through the same trusted reader.
      const others = fs.readdirSync(dir).filter((f) => !/^sts-/.test(f));
      for (const name of others) {
        const file = path.join(dir, name);
        // Node's compile cache is a folder (compile/, Node >= 22.1).
        fs.rmSync(file, { recursive: true, force: true });
        await plant(kind, file, cwd);
      }
      const r = await exec(cwd);
      expectClean(r);
      expect(r.stdout).toMatch(/^[A-Z0-9]{16,}$/);
      expectClean(await cli(cwd, ['cache', 'list']));
      expectClean(await cli(cwd, ['cache', 'clear']));
      recordHardening('cache-files', { badInputs: 3, faults: others.length });
    });
  });

  describe.each(['0-byte file', 'FIFO', 'socket', 'symlink', 'directory'])('a %s where a lock dir goes', (kind) => {
    it('exec neither hangs nor waits for the lock timeout: it is removed and the session written', async () => {
      const cwd = project(YAML);
      const file = await sessionGone(cwd);
      const lockPath = `${file}.lock`;
      if (kind === 'symlink') {
        // A link to a fresh directory would pass for a live lock held by someone else.
        fs.mkdirSync(path.join(cwd, 'fresh-dir'));
        fs.symlinkSync(path.join(cwd, 'fresh-dir'), lockPath);
      } else {
        await plant(kind, lockPath, cwd);
      }
      // The smallest lock budget: a planted name taken for a held lock would end in "timed out", exit 1.
      const r = await exec(cwd, { DSOPS_LOCK_TIMEOUT: '0.1' });
      expectClean(r);
      expect(r.stderr).not.toMatch(/timed out/);
      expect(fs.lstatSync(lockPath, { throwIfNoEntry: false })).toBeUndefined();
      expect(fs.lstatSync(file).isFile()).toBe(true);
      if (kind === 'symlink') expect(fs.existsSync(path.join(cwd, 'fresh-dir'))).toBe(true);
      recordHardening('cache-files', { badInputs: 1, faults: 1 });
    });
  });

  describe.each(['FIFO', 'socket', 'directory', '100 MB file', 'random bytes', 'pid then terminal escapes', 'symlink'])(
    'a %s at a lock\'s owner record (<session>.owner)',
    (kind) => {
      it('a waiter shows the wait without a pid and times out cleanly; a holder replaces it; list skips it and clear removes it', async () => {
        const cwd = project(YAML);
        const dir = cacheOf(cwd);
        const file = await sessionGone(cwd);
        const owner = `${file}.owner`;
        const put = async () => {
          if (kind === 'pid then terminal escapes') fs.writeFileSync(owner, '4242\x1b[2J\x1b]0;pwned\x07\n', { mode: 0o600 });
          else await plant(kind, owner, cwd);
        };

        // A held lock (a fresh lock dir, as another run leaves it) with the planted record: the waiter reads it.
        fs.mkdirSync(`${file}.lock`);
        await put();
        const waiter = await exec(cwd, { DSOPS_LOCK_TIMEOUT: '0.5' }, ['-v']);
        expectClean(waiter, 1);
        expect(waiter.stderr).toContain('store solo: waiting for another dsops process that is fetching this session');
        expect(waiter.stderr).toContain('store solo: timed out after');
        expect(waiter.stderr).not.toMatch(/\(pid /);
        expect(waiter.stderr).not.toContain('\x1b');
        expect(waiter.stderr).not.toContain('link target bytes');
        expect(await assumes()).toBe(1);

        // The lock is free: this run holds it, writes its own record over whatever is there, and removes it.
        fs.rmdirSync(`${file}.lock`);
        const holder = await exec(cwd);
        expectClean(holder);
        expect(holder.stdout).toMatch(/^[A-Z0-9]{16,}$/);
        expect(await assumes()).toBe(2);
        expect(fs.lstatSync(owner, { throwIfNoEntry: false })).toBeUndefined();
        if (kind === 'symlink') expect(fs.readFileSync(path.join(cwd, 'link-target'), 'utf8')).toBe('link target bytes');

        // A leftover record (a run killed while holding a lock) is no session: list never shows it, clear removes it.
        await put();
        const list = await cli(cwd, ['cache', 'list']);
        expectClean(list);
        expect(list.stdout).not.toContain('.owner');
        expect(list.stdout.trim().split('\n')).toHaveLength(2); // the header and the one session
        const json = await cli(cwd, ['cache', 'list', '--json']);
        expectClean(json);
        expect((JSON.parse(json.stdout).sessions as { file: string }[]).map((r) => r.file)).toEqual([file]);
        const clear = await cli(cwd, ['cache', 'clear']);
        expectClean(clear);
        expect(clear.stderr).toMatch(/removed 1 cached session /);
        expect(fs.lstatSync(owner, { throwIfNoEntry: false })).toBeUndefined();
        if (kind === 'symlink') expect(fs.readFileSync(path.join(cwd, 'link-target'), 'utf8')).toBe('link target bytes');
        // waiter, holder, list, list --json, clear: five runs that met the planted name; two plantings.
        recordHardening('cache-files', { badInputs: 5, faults: 2 });
      });
    },
  );

  it('cache clear STORE removes that session\'s owner record with it, and leaves other stores\' records', async () => {
    const cwd = project(YAML);
    const dir = cacheOf(cwd);
    expectClean(await exec(cwd));
    const [name] = sessionFiles(dir);
    const mine = path.join(dir, `${name}.owner`);
    const other = path.join(dir, `sts-${'d'.repeat(16)}.json.owner`);
    for (const f of [mine, other]) fs.writeFileSync(f, '4242\n', { mode: 0o600 });
    const r = await cli(cwd, ['cache', 'clear', 'solo']);
    expectClean(r);
    expect(fs.existsSync(mine)).toBe(false);
    expect(fs.existsSync(other)).toBe(true);
    recordHardening('cache-files', { badInputs: 1, faults: 1 });
  });

  describe('the cache dir itself', () => {
    it('shared and writable by others (1777): not read, not written; one warning; exit 0', async () => {
      const cwd = project(YAML);
      const dir = cacheOf(cwd);
      fs.mkdirSync(dir);
      fs.chmodSync(dir, 0o1777);
      for (let i = 0; i < 2; i++) {
        const r = await exec(cwd);
        expectClean(r);
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/warning: session cache .* is not safe to use: other users can write to it \(mode 1777\); running without it/)]);
      }
      expect(await assumes()).toBe(2);
      // Sessions only: the parsed-config and code caches are another area's (they should use checkCacheDir too).
      expect(sessionFiles(dir)).toEqual([]);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.lock'))).toEqual([]);
      expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
      // cache list and clear say why exec ignores the dir, and change nothing about it.
      for (const args of [['cache', 'list'], ['cache', 'clear']]) {
        const r = await cli(cwd, args);
        expectClean(r);
        expect(r.stderr).toMatch(/warning: session cache .* is not safe to use: other users can write to it \(mode 1777\); exec runs without it/);
      }
      expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
      recordHardening('cache-files', { badInputs: 4, faults: 1 });
    });

    (isRoot ? it : it.skip)('owned by another user: refused even at 0700 (needs root to set up)', async () => {
      const cwd = project(YAML);
      const dir = cacheOf(cwd);
      fs.mkdirSync(dir, { mode: 0o700 });
      fs.chownSync(dir, OTHER_UID, OTHER_UID);
      const r = await exec(cwd);
      expectClean(r);
      expect(r.stderr).toMatch(new RegExp(`not safe to use: it belongs to uid ${OTHER_UID}`));
      expect(sessionFiles(dir)).toEqual([]);
      recordHardening('cache-files', { badInputs: 1, faults: 1 });
    });

    it.each(['FIFO', '0-byte file'])('a %s where the cache dir should be: runs without the cache, one warning', async (kind) => {
      const cwd = project(YAML);
      await plant(kind, cacheOf(cwd), cwd);
      const r = await exec(cwd);
      expectClean(r);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/warning: session cache .* is not writable \((EEXIST|ENOTDIR)\); running without it/)]);
      expectClean(await cli(cwd, ['cache', 'list']));
      expectClean(await cli(cwd, ['cache', 'clear']));
      recordHardening('cache-files', { badInputs: 3, faults: 1 });
    });
  });

  describe('issue 9 item 3: a symlink planted while dsops waits on STS', () => {
    /** Forwards to moto, but holds every request until `release()`: the window an attacker has. */
    async function holdingProxy(target: string) {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let held = 0;
      const server = http.createServer((req, res) => {
        held++;
        const body: Buffer[] = [];
        req.on('data', (c: Buffer) => body.push(c));
        req.on('end', () => {
          void released.then(() => {
            const u = new URL(target);
            const fwd = http.request({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
              res.writeHead(up.statusCode ?? 502, up.headers);
              up.pipe(res);
            });
            fwd.on('error', () => res.destroy());
            fwd.end(Buffer.concat(body));
          });
        });
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, held: () => held, release };
    }

    it('regression: the session lands in a new 0600 file of ours, never in the link target (write-file-atomic followed it and chowned)', async () => {
      const proxy = await holdingProxy(motoUrl!);
      const cwd = project(YAML);
      const dir = cacheOf(cwd);
      const victim = path.join(cwd, 'attacker-owned');
      fs.writeFileSync(victim, '', { mode: 0o666 });
      fs.chmodSync(victim, 0o666);
      if (isRoot) fs.chownSync(victim, OTHER_UID, OTHER_UID);

      const running = exec(cwd, { AWS_ENDPOINT_URL_STS: proxy.url });
      // dsops holds the session's lock and its AssumeRole is in flight: the name is empty, and about to be written.
      const lockDir = await pollUntil('dsops to hold the lock with its STS call in flight', () =>
        proxy.held() > 0 && fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.json.lock')) : undefined,
      );
      const file = path.join(dir, lockDir.slice(0, -'.lock'.length));
      fs.symlinkSync(victim, file);
      proxy.release();
      const r = await running;
      expectClean(r);

      expect(fs.readFileSync(victim, 'utf8')).toBe('');
      if (isRoot) expect(fs.statSync(victim).uid).toBe(OTHER_UID);
      const st = fs.lstatSync(file);
      expect({ file: st.isFile(), mode: st.mode & 0o777, uid: st.uid }).toEqual({ file: true, mode: 0o600, uid: process.getuid!() });
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).credentials.accessKeyId).toBe(r.stdout);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      recordHardening('cache-files', { badInputs: 1, faults: 1 });
    });
  });
});
