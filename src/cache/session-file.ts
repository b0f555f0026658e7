import * as fs from 'fs';
import * as path from 'path';
import type { Credentials } from '../aws/credentials';

/** Bump when the file layout changes; other versions are treated as a miss and replaced. */
export const CACHE_FORMAT = 1;

/** What one cache file holds: an STS session and what it is for. Never secret values from Secrets Manager. */
export interface SessionEntry {
  format: typeof CACHE_FORMAT;
  key: string;
  store: string;
  operation: string;
  roleArn?: string;
  region: string;
  createdAt: string;
  expiration: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export type ReadResult =
  | { kind: 'hit'; entry: SessionEntry }
  | { kind: 'miss' }
  | { kind: 'bad'; reason: string }
  | { kind: 'untrusted'; reason: string };

export function entryFile(dir: string, key: string): string {
  return path.join(dir, `sts-${key}.json`);
}

/**
 * Reads a cache file. A file that others can read, or that someone else owns, is never trusted:
 * it may have leaked or been planted. Corrupt, truncated or foreign-format files are a miss.
 */
export function readEntry(file: string): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'miss' };
    if (code === 'ELOOP') return { kind: 'untrusted', reason: 'it is a symbolic link' };
    return { kind: 'bad', reason: `cannot be read (${code})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if ((st.mode & 0o077) !== 0) return { kind: 'untrusted', reason: `its mode is ${(st.mode & 0o777).toString(8)}, readable by other users` };
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return { kind: 'untrusted', reason: 'it belongs to another user' };
    const text = fs.readFileSync(fd, 'utf8');
    let data: Partial<SessionEntry>;
    try {
      data = JSON.parse(text) as Partial<SessionEntry>;
    } catch {
      return { kind: 'bad', reason: 'it is not valid JSON (corrupt or truncated)' };
    }
    if (data.format !== CACHE_FORMAT) return { kind: 'bad', reason: `unknown format version ${JSON.stringify(data.format)}` };
    const c = data.credentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !data.expiration || Number.isNaN(Date.parse(data.expiration))) {
      return { kind: 'bad', reason: 'it is missing fields' };
    }
    return { kind: 'hit', entry: data as SessionEntry };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes atomically (temp file + rename) with mode 0600, so readers never see half a file. */
export async function writeEntry(file: string, entry: SessionEntry): Promise<void> {
  const writeFileAtomic = (await import('write-file-atomic')).default;
  await writeFileAtomic(file, JSON.stringify(entry) + '\n', { mode: 0o600, fsync: true });
}

export function toCredentials(entry: SessionEntry): Credentials {
  return { ...entry.credentials, expiration: new Date(entry.expiration) };
}

/** Creates the cache dir 0700, and tightens it if it already exists with wider permissions. */
export function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/** Every readable entry in the dir, for `cache list` and `cache clear`. */
export function listEntries(dir: string): { file: string; result: ReadResult }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith('sts-') && n.endsWith('.json'))
    .sort()
    .map((n) => ({ file: path.join(dir, n), result: readEntry(path.join(dir, n)) }));
}
