import fs = require('fs');
import path = require('path');
import type { Credentials } from '../aws/credentials';
import { digest64 } from './digest';
import { readTrustedJson } from './trusted-file';

/** Bump when the file layout changes; other versions are treated as a miss and replaced. */
export const CACHE_FORMAT = 2;

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
  return path.join(dir, `sts-${digest64(key)}.json`);
}

/**
 * Reads a cache file. A file that others can read, or that someone else owns, is never trusted:
 * it may have leaked or been planted. Corrupt, truncated or foreign-format files are a miss.
 */
export function readEntry(file: string, expectedKey?: string): ReadResult {
  const r = readTrustedJson(file);
  if (r.kind !== 'ok') return r;
  const parsed = r.data;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'bad', reason: 'it does not hold a session entry' };
  const data = parsed as Partial<SessionEntry>;
  if (data.format !== CACHE_FORMAT) return { kind: 'bad', reason: `unknown format version ${JSON.stringify(data.format)}` };
  const c = data.credentials;
  const badDate = (d: unknown) => typeof d !== 'string' || Number.isNaN(Date.parse(d));
  if (!c?.accessKeyId || !c.secretAccessKey || badDate(data.expiration) || badDate(data.createdAt) || typeof data.store !== 'string') {
    return { kind: 'bad', reason: 'it is missing fields' };
  }
  // The file's name is only a digest; the key inside says exactly which session it holds.
  if (expectedKey !== undefined && data.key !== expectedKey) return { kind: 'bad', reason: 'it holds a different session than its name says' };
  return { kind: 'hit', entry: data as SessionEntry };
}

/** Writes atomically (temp file + rename) with mode 0600, so readers never see half a file. */
export async function writeEntry(file: string, entry: SessionEntry): Promise<void> {
  const writeFileAtomic = (await import('write-file-atomic')).default;
  await writeFileAtomic(file, JSON.stringify(entry) + '\n', { mode: 0o600, fsync: true });
}

export function toCredentials(entry: SessionEntry): Credentials {
  return { ...entry.credentials, expiration: new Date(entry.expiration) };
}

/**
 * Creates the cache dir 0700 (parents too), and tightens our own dir if it exists with wider permissions.
 * A shared dir (sticky, like /tmp, or another user's) is never chmod-ed: the files in it are 0600 anyway,
 * and files that others planted there are rejected when read.
 */
export function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if (!st.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
  const sticky = (st.mode & 0o1000) !== 0;
  if ((st.mode & 0o077) !== 0 && ours && !sticky) fs.chmodSync(dir, st.mode & 0o700);
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
