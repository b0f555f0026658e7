import fs = require('fs');
import path = require('path');
import type { Credentials } from '../aws/credentials';
import { checkCacheDir } from './dir-trust';
import { digest64 } from './digest';
import { readTrustedJson } from './trusted-file';
import { writePrivateFile } from './write-private';

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

/**
 * A session file holds one chain's keys, a few kB even with 50 tags per hop; anything near this size was not
 * written by dsops, and is not read.
 */
export const MAX_ENTRY_BYTES = 1024 * 1024;

export type ReadResult =
  | { kind: 'hit'; entry: SessionEntry }
  | { kind: 'miss' }
  | { kind: 'bad'; reason: string }
  | { kind: 'untrusted'; reason: string };

export function entryFile(dir: string, key: string): string {
  return path.join(dir, `sts-${digest64(key)}.json`);
}

/**
 * Reads a cache file. A link, a file that others can read, or one that someone else owns, is never
 * trusted: it may have leaked or been planted. Corrupt, truncated, oversized, foreign-format or
 * non-regular files (a FIFO, a directory) are a miss, to be replaced.
 */
export function readEntry(file: string, expectedKey?: string): ReadResult {
  const r = readTrustedJson(file, { maxBytes: MAX_ENTRY_BYTES });
  if (r.kind !== 'ok') return r;
  const parsed = r.data;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'bad', reason: 'it does not hold a session entry' };
  const data = parsed as Partial<SessionEntry>;
  if (data.format !== CACHE_FORMAT) return { kind: 'bad', reason: `unknown format version ${JSON.stringify(data.format)}` };
  const c = data.credentials as unknown;
  const str = (v: unknown) => typeof v === 'string' && v !== '';
  const badDate = (d: unknown) => typeof d !== 'string' || Number.isNaN(Date.parse(d));
  const creds = c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : undefined;
  // Every field a hit hands on is checked for its type: a wrong shape must be a miss, not a crash later.
  if (
    !creds ||
    !str(creds.accessKeyId) ||
    !str(creds.secretAccessKey) ||
    (creds.sessionToken !== undefined && typeof creds.sessionToken !== 'string') ||
    badDate(data.expiration) ||
    badDate(data.createdAt) ||
    typeof data.store !== 'string' ||
    typeof data.key !== 'string' ||
    typeof data.operation !== 'string' ||
    typeof data.region !== 'string' ||
    (data.roleArn !== undefined && typeof data.roleArn !== 'string')
  ) {
    return { kind: 'bad', reason: 'it is missing fields or has fields of the wrong type' };
  }
  // The file's name is only a digest; the key inside says exactly which session it holds.
  if (expectedKey !== undefined && data.key !== expectedKey) return { kind: 'bad', reason: 'it holds a different session than its name says' };
  return { kind: 'hit', entry: data as SessionEntry };
}

/**
 * Writes atomically (temp file + rename) with mode 0600, so readers never see half a file, and never through
 * a link planted at the name (see writePrivateFile).
 */
export async function writeEntry(file: string, entry: SessionEntry): Promise<void> {
  await writePrivateFile(file, JSON.stringify(entry) + '\n');
}

export function toCredentials(entry: SessionEntry): Credentials {
  return { ...entry.credentials, expiration: new Date(entry.expiration) };
}

/** Thrown by ensureDir for a dir dsops must not use (another user's, or one others can write to). */
export const E_CACHE_DIR_UNSAFE = 'E_CACHE_DIR_UNSAFE';

/**
 * Creates the cache dir 0700 (parents too), and tightens our own dir if it exists with wider permissions.
 * A dir that is not ours, or a shared one others can write to (sticky, like /tmp), is never chmod-ed
 * and never used: this throws with code E_CACHE_DIR_UNSAFE (see checkCacheDir).
 */
export function ensureDir(dir: string): void {
  const state = checkCacheDir(dir, true);
  if (state.kind === 'refused') throw Object.assign(new Error(`${dir} is not safe to use: ${state.reason}`), { code: E_CACHE_DIR_UNSAFE });
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

/** Temp files that session writes left behind when killed between create and rename (see writePrivateFile). */
export function listTempFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => /^\.sts-[0-9a-f]+\.json\..*\.tmp$/.test(n))
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
