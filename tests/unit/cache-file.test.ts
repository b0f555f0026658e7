import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lockfile from 'proper-lockfile';
import type { Credentials } from '../../src/aws/credentials';
import { cacheDir } from '../../src/cache/cache-dir';
import { cachedSession } from '../../src/cache/cached-session';
import { digest64 } from '../../src/cache/digest';
import { CACHE_FORMAT, ensureDir, entryFile, listEntries, readEntry, SessionEntry, writeEntry } from '../../src/cache/session-file';
import type { StsSpec } from '../../src/stores/aws-sts/types';
import { Logger } from '../../src/log';
import { sessionEntry, stsSpec } from '../helpers/session-fixtures';
import { lockTimeoutSeconds } from '../../src/cli/session-cache';
import { pollUntil } from '../helpers/poll';

const KEY = 'a'.repeat(32);
/** The injected clock: cache decisions never read the wall clock here. */
const T0 = Date.UTC(2030, 0, 1);
const mode = (p: string) => fs.statSync(p).mode & 0o777;

const entry = (over: Partial<SessionEntry> = {}): SessionEntry => sessionEntry(KEY, T0, over);

const spec: StsSpec = stsSpec();

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-cachefile-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('cacheDir', () => {
  it('$DSOPS_CACHE_DIR, else $XDG_CACHE_HOME/dsops, else ~/.cache/dsops', () => {
    expect(cacheDir({ DSOPS_CACHE_DIR: '/x/y', XDG_CACHE_HOME: '/xdg' })).toBe('/x/y');
    expect(cacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/dsops');
    expect(cacheDir({})).toBe(path.join(os.homedir(), '.cache', 'dsops'));
  });
});

describe('ensureDir and writeEntry: modes', () => {
  it('creates the dir (and missing parents) 0700 and writes files 0600, even under a permissive umask', async () => {
    const old = process.umask(0o000);
    try {
      const dir = path.join(tmp, 'a', 'b');
      ensureDir(dir);
      expect(mode(dir)).toBe(0o700);
      const file = entryFile(dir, KEY);
      await writeEntry(file, entry());
      expect(mode(file)).toBe(0o600);
      // Rewriting keeps 0600 and leaves no temp file behind.
      await writeEntry(file, entry({ store: 'again' }));
      expect(mode(file)).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
    } finally {
      process.umask(old);
    }
  });

  it('tightens an existing dir of ours that others can read', () => {
    const dir = path.join(tmp, 'wide');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    ensureDir(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it('refuses, and never chmods, a shared sticky dir such as /tmp', () => {
    const dir = path.join(tmp, 'shared');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o1777);
    expect(() => ensureDir(dir)).toThrow(expect.objectContaining({ code: 'E_CACHE_DIR_UNSAFE', message: expect.stringContaining('1777') }));
    expect(fs.statSync(dir).mode & 0o7777).toBe(0o1777);
  });

  it('fails when a parent is a regular file', () => {
    const file = path.join(tmp, 'plain');
    fs.writeFileSync(file, 'x');
    expect(() => ensureDir(path.join(file, 'cache'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });
});

describe('readEntry', () => {
  const write = (text: string, m = 0o600) => {
    const file = entryFile(tmp, KEY);
    fs.writeFileSync(file, text, { mode: m });
    fs.chmodSync(file, m);
    return file;
  };

  it('a missing file (or a missing dir) is a miss', () => {
    expect(readEntry(entryFile(tmp, KEY))).toEqual({ kind: 'miss' });
    fs.writeFileSync(path.join(tmp, 'plain'), 'x');
    expect(readEntry(entryFile(path.join(tmp, 'plain'), KEY))).toEqual({ kind: 'miss' });
  });

  it('reads back what writeEntry wrote', async () => {
    const file = entryFile(tmp, KEY);
    await writeEntry(file, entry());
    const r = readEntry(file, KEY);
    expect(r.kind).toBe('hit');
    expect(r.kind === 'hit' && r.entry.credentials.accessKeyId).toBe('ASIACACHED');
  });

  it.each([
    ['corrupt', 'this is not json {{{'],
    ['truncated', JSON.stringify(entry()).slice(0, 40)],
    ['empty', ''],
    ['JSON null', 'null'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"x"'],
    ['an unknown format version', JSON.stringify(entry({ format: 1 as unknown as 2 }))],
    ['no format version', JSON.stringify({ ...entry(), format: undefined })],
    ['missing credentials', JSON.stringify({ ...entry(), credentials: undefined })],
    ['a bad expiration', JSON.stringify(entry({ expiration: 'tomorrow' }))],
  ])('%s is bad (a miss to be replaced), never a crash', (_what, text) => {
    expect(readEntry(write(text), KEY).kind).toBe('bad');
  });

  it('an entry for another key (copied, renamed, or a digest collision) is bad', () => {
    expect(readEntry(write(JSON.stringify(entry({ key: 'b'.repeat(32) }))), KEY).kind).toBe('bad');
  });

  it('a file others can read is untrusted', () => {
    const r = readEntry(write(JSON.stringify(entry()), 0o644), KEY);
    expect(r).toEqual({ kind: 'untrusted', reason: expect.stringContaining('644') });
    expect(readEntry(write(JSON.stringify(entry()), 0o640), KEY).kind).toBe('untrusted');
  });

  it('a symbolic link is untrusted', () => {
    const target = path.join(tmp, 'elsewhere.json');
    fs.writeFileSync(target, JSON.stringify(entry()), { mode: 0o600 });
    fs.symlinkSync(target, entryFile(tmp, KEY));
    expect(readEntry(entryFile(tmp, KEY), KEY).kind).toBe('untrusted');
  });
});

describe('listEntries', () => {
  it('lists sts-*.json files only, with what each holds', async () => {
    await writeEntry(entryFile(tmp, KEY), entry());
    fs.writeFileSync(entryFile(tmp, 'b'.repeat(32)), 'garbage', { mode: 0o600 });
    fs.writeFileSync(path.join(tmp, 'other.json'), '{}');
    fs.mkdirSync(entryFile(tmp, KEY) + '.lock');
    const list = listEntries(tmp);
    const kinds = new Map(list.map((e) => [path.basename(e.file), e.result.kind]));
    expect(kinds).toEqual(
      new Map([
        [path.basename(entryFile(tmp, KEY)), 'hit'],
        [path.basename(entryFile(tmp, 'b'.repeat(32))), 'bad'],
      ]),
    );
    expect(listEntries(path.join(tmp, 'none'))).toEqual([]);
  });
});

describe('cachedSession: files and locks', () => {
  let calls: number;
  let lines: string[];
  const provider = async (): Promise<Credentials> => {
    calls++;
    return { accessKeyId: `ASIANEW${calls}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(T0 + 3600_000) };
  };
  const make = (dir: string, opts: { level?: 'normal' | 'verbose'; lockTimeoutMs?: number; p?: () => Promise<Credentials> } = {}) =>
    cachedSession(opts.p ?? provider, { spec, key: KEY, region: 'us-east-1' }, {
      dir,
      log: new Logger(opts.level ?? 'normal', (l) => lines.push(l)),
      refresh: false,
      lockTimeoutMs: opts.lockTimeoutMs ?? 5000,
      now: () => T0,
    });
  beforeEach(() => {
    calls = 0;
    lines = [];
  });

  it.each([
    ['corrupt', 'garbage'],
    ['truncated', JSON.stringify(entry()).slice(0, 50)],
    ['unknown format', JSON.stringify(entry({ format: 99 as unknown as 2 }))],
  ])('a %s file is replaced; the note shows only at verbose level, once', async (_what, text) => {
    const dir = path.join(tmp, 'c');
    ensureDir(dir);
    const file = entryFile(dir, KEY);
    fs.writeFileSync(file, text, { mode: 0o600 });
    expect((await make(dir)()).accessKeyId).toBe('ASIANEW1');
    expect(lines).toEqual([]);
    expect(readEntry(file, KEY).kind).toBe('hit');

    fs.writeFileSync(file, text, { mode: 0o600 });
    await make(dir, { level: 'verbose' })();
    expect(calls).toBe(2);
    expect(lines.filter((l) => l.includes('ignoring cache file'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('warning');
  });

  it('a world-readable file is deleted, STS is called again, and the new file is 0600', async () => {
    const dir = path.join(tmp, 'c');
    ensureDir(dir);
    const file = entryFile(dir, KEY);
    fs.writeFileSync(file, JSON.stringify(entry()), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect((await make(dir)()).accessKeyId).toBe('ASIANEW1');
    expect(lines.join('\n')).toMatch(/warning: .*untrusted cache file/);
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('ASIACACHED');
  });

  it('an unusable dir: runs without the cache and warns once for many sessions', async () => {
    fs.writeFileSync(path.join(tmp, 'plain'), 'x');
    const dir = path.join(tmp, 'plain', 'cache');
    const log = new Logger('normal', (l) => lines.push(l));
    const opts = { dir, log, refresh: false, lockTimeoutMs: 1000, now: () => T0 };
    const a = cachedSession(provider, { spec, key: KEY, region: 'us-east-1' }, opts);
    const b = cachedSession(provider, { spec: { ...spec, name: 'other' }, key: 'b'.repeat(32), region: 'us-east-1' }, opts);
    await a();
    await b();
    await a();
    expect(calls).toBe(3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/warning: session cache .* is not writable \(ENOTDIR\); running without it/);
  });

  it('a lock left by a dead process (old mtime) is broken at once, not waited out', async () => {
    const dir = path.join(tmp, 'c');
    ensureDir(dir);
    const lockDir = entryFile(dir, KEY) + '.lock';
    fs.mkdirSync(lockDir);
    // proper-lockfile judges staleness by the file system's clock, so this one is real time.
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir, old, old);
    // A 1 ms budget allows one poll at most: a lock that had to be waited out would time out instead.
    await make(dir, { level: 'verbose', lockTimeoutMs: 1 })();
    expect(calls).toBe(1);
    expect(lines.filter((l) => l.includes('waiting for another dsops process'))).toEqual([]);
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  it('a live lock is waited for, boundedly, with a clear error', async () => {
    const dir = path.join(tmp, 'c');
    ensureDir(dir);
    const release = await lockfile.lock(entryFile(dir, KEY), { realpath: false, stale: 10_000 });
    try {
      await expect(make(dir, { level: 'verbose', lockTimeoutMs: 600 })()).rejects.toMatchObject({
        code: 'E_LOCK_TIMEOUT',
        message: expect.stringMatching(/timed out after 1s waiting for another dsops process/),
      });
      expect(lines.filter((l) => l.includes('waiting for another dsops process'))).toHaveLength(1);
      expect(calls).toBe(0);
    } finally {
      await release();
    }
  });

  it('a waiter takes over the session the lock holder wrote, without calling', async () => {
    const dir = path.join(tmp, 'c');
    ensureDir(dir);
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const slow = async (): Promise<Credentials> => {
      await gate;
      return provider();
    };
    let holding = false;
    const first = make(dir, {
      p: async () => {
        holding = true;
        return slow();
      },
    })();
    // The first run holds the lock once it is inside the STS call; the second then has to wait for it.
    await pollUntil('the first run to hold the lock', () => holding && fs.existsSync(entryFile(dir, KEY) + '.lock'));
    const second = make(dir, { level: 'verbose' })();
    await pollUntil('the second run to wait for the lock', () => lines.some((l) => l.includes('waiting for another dsops process')));
    finish();
    const [a, b] = await Promise.all([first, second]);
    expect(calls).toBe(1);
    expect(b.accessKeyId).toBe(a.accessKeyId);
    expect(lines.some((l) => l.includes('waiting for another dsops process'))).toBe(true);
    expect(fs.existsSync(entryFile(dir, KEY) + '.lock')).toBe(false);
  });
});

describe('lockTimeoutSeconds (DSOPS_LOCK_TIMEOUT)', () => {
  it('reads seconds, and falls back to 120 for anything unusable', () => {
    expect(lockTimeoutSeconds('1')).toBe(1);
    expect(lockTimeoutSeconds('2.5')).toBe(2.5);
    for (const bad of [undefined, '', 'abc', '0', '-3']) expect(lockTimeoutSeconds(bad)).toBe(120);
  });
});

describe('entryFile: a digest of the key names the file', () => {
  it('is FNV-1a 64 (known vectors), so names are stable across releases and platforms', () => {
    expect(digest64('')).toBe('cbf29ce484222325');
    expect(digest64('a')).toBe('af63dc4c8601ec8c');
    expect(digest64('foobar')).toBe('85944171f73967e8');
  });
  it('hashes UTF-8 bytes, so non-ASCII keys are named consistently', () => {
    expect(digest64('é')).not.toBe(digest64('e'));
    expect(digest64('héllo wörld ☃')).toBe('4afc0804cec7fd8d');
  });
  it('keeps the key itself (role ARN, external ID) out of the file name', () => {
    const key = JSON.stringify({ roleArn: 'arn:aws:iam::111111111111:role/Deploy', externalId: 'ext-1' });
    expect(path.basename(entryFile(tmp, key))).toMatch(/^sts-[0-9a-f]{16}\.json$/);
  });
});
