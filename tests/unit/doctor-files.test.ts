/** doctor's cache dir and stale lock checks, on real temp dirs; the uid is injected to play another user. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkCacheDirModes } from '../../src/doctor/cache-dir-check';
import { DoctorFs, nodeFs } from '../../src/doctor/doctor-fs';
import { checkStaleLocks, recordedHolder } from '../../src/doctor/stale-locks';
import { spawnSync } from 'child_process';

const asUid = (uid: number): DoctorFs => ({ ...nodeFs, uid: () => uid });
const mine = asUid(process.getuid!());

function cacheDir(mode: number): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-doctor-')), 'cache');
  fs.mkdirSync(dir);
  fs.chmodSync(dir, mode);
  return dir;
}

describe('cache dir modes', () => {
  test('ours and 0700: ok, with the mode', () => {
    const dir = cacheDir(0o700);
    expect(checkCacheDirModes(dir, mine)).toEqual({ name: 'cache dir', status: 'ok', detail: `${dir} is yours (mode 700)` });
  });

  test('missing: ok, made on first use', () => {
    const r = checkCacheDirModes(path.join(os.tmpdir(), 'dsops-no-such-dir', 'cache'), mine);
    expect(r.status).toBe('ok');
    expect(r.detail).toContain('created 0700 on first use');
  });

  test.each([
    [0o755, 'readable', '755'],
    [0o744, 'readable', '744'],
    [0o750, 'readable', '750'],
    [0o770, 'writable', '770'],
    [0o707, 'writable', '707'],
  ])('mode %o: FAIL naming the dir and the mode, hint chmod 700', (mode, how, shown) => {
    const dir = cacheDir(mode as number);
    const r = checkCacheDirModes(dir, mine);
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(`${dir} is ${how} by group or others (mode ${shown})`);
    expect(r.hint).toBe(`chmod 700 ${dir}`);
  });

  test("someone else's dir: FAIL naming its owner", () => {
    const dir = cacheDir(0o700);
    const r = checkCacheDirModes(dir, asUid(4242));
    expect(r.status).toBe('fail');
    expect(r.detail).toContain(`belongs to uid ${fs.statSync(dir).uid}, not to you (uid 4242)`);
  });

  test('a file where the dir should be: FAIL', () => {
    const dir = cacheDir(0o700);
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, '');
    expect(checkCacheDirModes(file, mine).status).toBe('fail');
  });

  test('a session file others can read, or a link at a session name: FAIL naming them', () => {
    const dir = cacheDir(0o700);
    fs.writeFileSync(path.join(dir, 'sts-aaaa.json'), '{}', { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'sts-bbbb.json'), '{}', { mode: 0o600 });
    fs.chmodSync(path.join(dir, 'sts-bbbb.json'), 0o644);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'sts-cccc.json'));
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), '', { mode: 0o644 });
    const r = checkCacheDirModes(dir, mine);
    expect(r.status).toBe('fail');
    expect(r.detail).toBe(`${dir}: session files not 0600 or not yours: sts-bbbb.json (mode 644), sts-cccc.json (not a regular file)`);
    expect(r.hint).toMatch(/dsops cache clear/);
  });

  test('session files of another uid: FAIL', () => {
    const dir = cacheDir(0o700);
    fs.writeFileSync(path.join(dir, 'sts-aaaa.json'), '{}', { mode: 0o600 });
    // We are uid 7 and the dir is ours; the file in it (really ours) then belongs to someone else.
    const other: DoctorFs = { ...mine, stat: (p) => Object.assign(fs.statSync(p), { uid: 7 }), uid: () => 7 };
    const r = checkCacheDirModes(dir, other);
    expect(r.detail).toContain(`sts-aaaa.json (uid ${fs.statSync(path.join(dir, 'sts-aaaa.json')).uid})`);
  });
});

describe('stale locks', () => {
  const STALE_MS = 10_000;

  function withLock(ageMs: number, nowMs: number, name = 'sts-aaaa.json.lock'): string {
    const dir = cacheDir(0o700);
    const lock = path.join(dir, name);
    fs.mkdirSync(lock);
    const t = (nowMs - ageMs) / 1000;
    fs.utimesSync(lock, t, t);
    return dir;
  }

  const now = Date.parse('2026-11-30T12:00:00Z');

  test('a lock older than the stale time: warn, naming it, with how to remove it', () => {
    const dir = withLock(60_000, now);
    const r = checkStaleLocks(dir, now, STALE_MS);
    expect(r.status).toBe('warn');
    expect(r.detail).toBe(`a stale session lock (older than 10 s or its holder gone: left by a run that died): ${path.join(dir, 'sts-aaaa.json.lock')}`);
    expect(r.hint).toContain(`rmdir ${path.join(dir, 'sts-aaaa.json.lock')}`);
  });

  test('a lock a live run keeps fresh: ok', () => {
    expect(checkStaleLocks(withLock(2_000, now), now, STALE_MS).status).toBe('ok');
  });

  test('a file named like a lock is not a lock dir (exec removes it itself): ok', () => {
    const dir = cacheDir(0o700);
    fs.writeFileSync(path.join(dir, 'sts-x.json.lock'), '');
    const t = (now - 60_000) / 1000;
    fs.utimesSync(path.join(dir, 'sts-x.json.lock'), t, t);
    expect(checkStaleLocks(dir, now, STALE_MS).status).toBe('ok');
  });

  test('a fresh lock whose recorded holder no longer runs: warn, naming the pid', () => {
    const dir = withLock(1_000, now);
    const holder = (session: string) => (session === path.join(dir, 'sts-aaaa.json') ? { pid: 4242, alive: false } : undefined);
    const r = checkStaleLocks(dir, now, STALE_MS, undefined, holder);
    expect(r.status).toBe('warn');
    expect(r.detail).toContain(`${path.join(dir, 'sts-aaaa.json.lock')} (pid 4242, no longer running)`);
    expect(r.hint).toMatch(new RegExp(`rmdir ${path.join(dir, 'sts-aaaa.json.lock')}$`));
  });

  test('a fresh lock whose holder still runs: ok', () => {
    const dir = withLock(1_000, now);
    expect(checkStaleLocks(dir, now, STALE_MS, undefined, () => ({ pid: 1, alive: true })).status).toBe('ok');
  });

  test('recordedHolder: this process is alive; a pid that has exited is not; no record is unknown', async () => {
    const dir = cacheDir(0o700);
    const session = path.join(dir, 'sts-cccc.json');
    expect(recordedHolder(session)).toBeUndefined();
    fs.writeFileSync(`${session}.owner`, String(process.pid), { mode: 0o600 });
    expect(recordedHolder(session)).toEqual({ pid: process.pid, alive: true });
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const gone = Number(child.stdout.toString());
    fs.writeFileSync(`${session}.owner`, String(gone), { mode: 0o600 });
    expect(recordedHolder(session)).toEqual({ pid: gone, alive: false });
  });

  test('no cache dir: ok', () => {
    expect(checkStaleLocks(path.join(os.tmpdir(), 'dsops-no-such-dir'), now, STALE_MS).status).toBe('ok');
  });

  test('several: counted', () => {
    const dir = withLock(60_000, now);
    fs.mkdirSync(path.join(dir, 'sts-bbbb.json.lock'));
    const t = (now - 30_000) / 1000;
    fs.utimesSync(path.join(dir, 'sts-bbbb.json.lock'), t, t);
    expect(checkStaleLocks(dir, now, STALE_MS).detail).toMatch(/^2 stale session locks/);
  });
});
