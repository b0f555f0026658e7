/**
 * The cache dir as an attacker or an accident leaves it: what sits at a name dsops reads or writes may be
 * a FIFO, a socket, a directory, a link, a huge or random file. Each is a miss (or untrusted), never a hang
 * or a crash, and a write never goes through a link.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { Credentials } from '../../src/aws/credentials';
import { cachedSession } from '../../src/cache/cached-session';
import { checkCacheDir } from '../../src/cache/dir-trust';
import { keepNewest } from '../../src/cache/keep-newest';
import { CACHE_FORMAT, entryFile, listEntries, readEntry, SessionEntry } from '../../src/cache/session-file';
import { readTrustedFile, readTrustedJson } from '../../src/cache/trusted-file';
import { removeCacheEntry, writePrivateFile } from '../../src/cache/write-private';
import type { StsSpec } from '../../src/stores/aws-sts/types';
import { Logger } from '../../src/log';
import { sessionEntry, stsSpec } from '../helpers/session-fixtures';

const KEY = 'k'.repeat(40);
const T0 = Date.UTC(2030, 0, 1);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** An unprivileged uid for files "someone else" owns (only root can make them). */
const OTHER_UID = 65534;

const entry = (over: Partial<SessionEntry> = {}): SessionEntry => sessionEntry(KEY, T0, over);

const spec: StsSpec = stsSpec();

let tmp: string;
let dir: string;
const servers: net.Server[] = [];
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-hostile-'));
  dir = path.join(tmp, 'cache');
  fs.mkdirSync(dir, { mode: 0o700 });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Puts one hostile thing at `file`. Each kind is what a crash, a mistake or an attacker can leave. */
async function plant(kind: string, file: string): Promise<void> {
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
    case 'empty file':
      fs.writeFileSync(file, '', { mode: 0o600 });
      return;
    case '100 MB file': {
      // Sparse: the size is real to fstat, the disk is not filled.
      fs.writeFileSync(file, '', { mode: 0o600 });
      fs.truncateSync(file, 100 * 1024 * 1024);
      return;
    }
    case 'random bytes': {
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
      fs.writeFileSync(file, bytes, { mode: 0o600 });
      return;
    }
    case 'JSON of the wrong shape':
      // Every field present, but not the types a session needs: taken as a hit, it would fail far from here.
      fs.writeFileSync(file, JSON.stringify({ ...entry(), credentials: { accessKeyId: 12345, secretAccessKey: ['x'] }, region: {} }), { mode: 0o600 });
      return;
    case 'symlink': {
      const target = path.join(tmp, 'link-target.json');
      fs.writeFileSync(target, JSON.stringify(entry()), { mode: 0o600 });
      fs.symlinkSync(target, file);
      return;
    }
    case 'dangling symlink':
      fs.symlinkSync(path.join(tmp, 'nowhere'), file);
      return;
    default:
      throw new Error(kind);
  }
}

const KINDS: [string, 'bad' | 'untrusted'][] = [
  ['FIFO', 'bad'],
  ['socket', 'bad'],
  ['directory', 'bad'],
  ['empty file', 'bad'],
  ['100 MB file', 'bad'],
  ['random bytes', 'bad'],
  ['JSON of the wrong shape', 'bad'],
  ['symlink', 'untrusted'],
  ['dangling symlink', 'untrusted'],
];

describe('readTrustedFile / readEntry: every hostile kind of file is a miss, at once', () => {
  it.each(KINDS)('a %s is %s', async (kind, expected) => {
    const file = entryFile(dir, KEY);
    await plant(kind, file);
    const r = readEntry(file, KEY);
    expect(r.kind).toBe(expected);
    expect('reason' in r && r.reason).toEqual(expect.any(String));
  });

  it('the size cap is read from the descriptor, before any byte is read', () => {
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, 'x'.repeat(2000), { mode: 0o600 });
    expect(readTrustedFile(file, { maxBytes: 1999 })).toEqual({ kind: 'bad', reason: expect.stringContaining('2000 bytes') });
    expect(readTrustedFile(file, { maxBytes: 2000 }).kind).toBe('ok');
  });

  it('a FIFO nobody writes to does not block the open: it is not a regular file', async () => {
    const file = path.join(dir, 'fifo');
    await plant('FIFO', file);
    expect(readTrustedJson(file)).toEqual({ kind: 'bad', reason: 'it is a FIFO, not a regular file' });
  });

  (isRoot ? it : it.skip)('a file another user owns is untrusted, even at 0600 (needs root to create)', () => {
    const file = entryFile(dir, KEY);
    fs.writeFileSync(file, JSON.stringify(entry()), { mode: 0o600 });
    fs.chownSync(file, OTHER_UID, OTHER_UID);
    expect(readEntry(file, KEY)).toEqual({ kind: 'untrusted', reason: 'it belongs to another user' });
  });

  it('listEntries reports each hostile name without hanging', async () => {
    const names: string[] = [];
    for (const [i, [kind]] of KINDS.entries()) {
      const file = entryFile(dir, `${KEY}-${i}`);
      await plant(kind, file);
      names.push(file);
    }
    const list = listEntries(dir);
    expect(list.map((e) => e.file).sort()).toEqual(names.sort());
    for (const e of list) expect(['bad', 'untrusted']).toContain(e.result.kind);
  });
});

describe('writePrivateFile: never through a link, never chowned', () => {
  it('replaces a symlink at the name; the link target keeps its bytes', async () => {
    const target = path.join(tmp, 'victim.json');
    fs.writeFileSync(target, 'victim', { mode: 0o644 });
    const file = path.join(dir, 'sts-x.json');
    fs.symlinkSync(target, file);
    await writePrivateFile(file, 'session');
    expect(fs.readFileSync(target, 'utf8')).toBe('victim');
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('session');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  (isRoot ? it : it.skip)('regression: a link to another user\'s file does not hand them the new file (write-file-atomic chowned it)', async () => {
    const target = path.join(tmp, 'theirs.json');
    fs.writeFileSync(target, '', { mode: 0o644 });
    fs.chownSync(target, OTHER_UID, OTHER_UID);
    const file = path.join(dir, 'sts-x.json');
    fs.symlinkSync(target, file);
    await writePrivateFile(file, 'session');
    expect(fs.statSync(file).uid).toBe(process.getuid!());
    expect(fs.statSync(target).size).toBe(0);
  });

  it.each(['FIFO', 'socket', 'directory', 'dangling symlink'])('replaces a %s at the name', async (kind) => {
    const file = path.join(dir, 'sts-x.json');
    await plant(kind, file);
    await writePrivateFile(file, 'session');
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('session');
  });

  it('is exactly 0600 whatever the umask, and leaves no temp file', async () => {
    const old = process.umask(0o477);
    try {
      const file = path.join(dir, 'sts-x.json');
      await writePrivateFile(file, 'a');
      await writePrivateFile(file, 'b');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['sts-x.json']);
    } finally {
      process.umask(old);
    }
  });

  it('a failed rename leaves no temp file behind', async () => {
    const file = path.join(dir, 'sub', 'sts-x.json');
    await expect(writePrivateFile(file, 'a')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('removeCacheEntry removes a link, never its target, and a directory with its contents', async () => {
    const file = path.join(dir, 'sts-x.json');
    const targetDir = path.join(tmp, 'keep');
    fs.mkdirSync(targetDir);
    fs.writeFileSync(path.join(targetDir, 'precious'), 'p');
    fs.symlinkSync(targetDir, file);
    removeCacheEntry(file);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(path.join(targetDir, 'precious'), 'utf8')).toBe('p');
    await plant('directory', file);
    removeCacheEntry(file);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('checkCacheDir: a dir others can write to, or that is not ours, is refused (as ssh does)', () => {
  it('our own dir with wide modes is tightened to 0700 and used', () => {
    fs.chmodSync(dir, 0o777);
    expect(checkCacheDir(dir, false)).toEqual({ kind: 'ok' });
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o700);
  });

  it('a shared sticky dir (1777, like /tmp) is refused and left as it is', () => {
    fs.chmodSync(dir, 0o1777);
    expect(checkCacheDir(dir, true)).toEqual({ kind: 'refused', reason: expect.stringContaining('other users can write to it') });
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
  });

  it('a sticky dir only we can write to is fine', () => {
    fs.chmodSync(dir, 0o1700);
    expect(checkCacheDir(dir, false)).toEqual({ kind: 'ok' });
  });

  (isRoot ? it : it.skip)('another user\'s dir is refused, even at 0700 (needs root to create)', () => {
    fs.chownSync(dir, OTHER_UID, OTHER_UID);
    expect(checkCacheDir(dir, true)).toEqual({ kind: 'refused', reason: expect.stringContaining(`uid ${OTHER_UID}`) });
  });

  it('missing: created 0700 with create, reported missing without', () => {
    const sub = path.join(tmp, 'new', 'cache');
    expect(checkCacheDir(sub, false)).toEqual({ kind: 'missing' });
    expect(fs.existsSync(sub)).toBe(false);
    expect(checkCacheDir(sub, true)).toEqual({ kind: 'ok' });
    expect(fs.statSync(sub).mode & 0o777).toBe(0o700);
  });
});

describe('cachedSession against hostile names', () => {
  let calls: number;
  let lines: string[];
  const provider = async (): Promise<Credentials> => {
    calls++;
    return { accessKeyId: `ASIANEW${calls}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(T0 + 3600_000) };
  };
  const make = (d: string, p: () => Promise<Credentials> = provider, lockTimeoutMs = 5000) =>
    cachedSession(p, { spec, key: KEY, region: 'us-east-1' }, {
      dir: d,
      log: new Logger('verbose', (l) => lines.push(l)),
      refresh: false,
      lockTimeoutMs,
      now: () => T0,
    });
  beforeEach(() => {
    calls = 0;
    lines = [];
  });

  it.each(KINDS.map(([k]) => k))('a %s at the session name: a miss, replaced by a real 0600 session file', async (kind) => {
    const file = entryFile(dir, KEY);
    await plant(kind, file);
    expect((await make(dir)()).accessKeyId).toBe('ASIANEW1');
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const r = readEntry(file, KEY);
    expect(r.kind === 'hit' && r.entry.credentials.accessKeyId).toBe('ASIANEW1');
    // and the next run hits it
    expect((await make(dir)()).accessKeyId).toBe('ASIANEW1');
    expect(calls).toBe(1);
  });

  it('regression: a symlink planted at the name while the STS call is in flight never receives the session', async () => {
    const file = entryFile(dir, KEY);
    const target = path.join(tmp, 'attacker.json');
    fs.writeFileSync(target, '', { mode: 0o666 });
    if (isRoot) fs.chownSync(target, OTHER_UID, OTHER_UID);
    // The provider stands for STS: it runs after the lock is taken and the name was found empty.
    const racing = async () => {
      fs.symlinkSync(target, file);
      return provider();
    };
    const creds = await make(dir, racing)();
    expect(fs.readFileSync(target, 'utf8')).toBe('');
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
    expect(fs.statSync(file).uid).toBe(process.getuid!());
    expect(fs.readFileSync(file, 'utf8')).toContain(creds.accessKeyId);
  });

  it.each(['empty file', 'FIFO', 'symlink', 'socket', 'directory'])('a %s where the lock dir goes is removed; the run neither hangs nor waits', async (kind) => {
    const lockPath = entryFile(dir, KEY) + '.lock';
    if (kind === 'symlink') {
      const elsewhere = path.join(tmp, 'elsewhere');
      fs.mkdirSync(elsewhere);
      fs.symlinkSync(elsewhere, lockPath);
    } else {
      await plant(kind, lockPath);
    }
    // 1 ms of lock budget: had the planted thing been taken for a held lock, this would time out.
    expect((await make(dir, provider, 1)()).accessKeyId).toBe('ASIANEW1');
    expect(fs.existsSync(lockPath)).toBe(false);
    expect(lines.some((l) => l.includes('it is not a lock directory'))).toBe(true);
    expect(readEntry(entryFile(dir, KEY), KEY).kind).toBe('hit');
  });

  it('a cache dir others can write to: not read, not written, one warning for many sessions', async () => {
    fs.chmodSync(dir, 0o1777);
    const file = entryFile(dir, KEY);
    fs.writeFileSync(file, JSON.stringify(entry()), { mode: 0o600 });
    const log = new Logger('normal', (l) => lines.push(l));
    const opts = { dir, log, refresh: false, lockTimeoutMs: 1000, now: () => T0 };
    const a = cachedSession(provider, { spec, key: KEY, region: 'us-east-1' }, opts);
    const b = cachedSession(provider, { spec: { ...spec, name: 'other' }, key: 'b'.repeat(32), region: 'us-east-1' }, opts);
    expect((await a()).accessKeyId).toBe('ASIANEW1'); // the planted-looking entry was not used
    await b();
    expect(calls).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/warning: session cache .* is not safe to use: other users can write to it \(mode 1777\); running without it/)]);
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
  });
});

describe('keepNewest', () => {
  it('tolerates names that vanished, and removes links as links', () => {
    const files = ['a', 'b', 'c'].map((n) => path.join(dir, n));
    for (const f of files) fs.writeFileSync(f, path.basename(f), { mode: 0o600 });
    const target = path.join(tmp, 'kept');
    fs.writeFileSync(target, 'k');
    const link = path.join(dir, 'link');
    fs.symlinkSync(target, link);
    const old = new Date('2000-01-01T00:00:00Z');
    fs.lutimesSync(link, old, old);
    keepNewest([...files, link, path.join(dir, 'gone')], 3);
    expect(fs.existsSync(link)).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe('k');
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'b', 'c']);
  });
});
