import { createHash } from 'crypto';
import fs = require('fs');
import path = require('path');
import { readTrustedJson } from '../cache/trusted-file';

/**
 * A cache of configs that already parsed and passed the schema, keyed by a hash of the file's text,
 * its path and the dsops build. A hit skips loading the YAML parser and the schema check, which
 * dominate a warm `dsops exec`. Semantic rules still run every time: they depend on the environment.
 * The stored data is what the file already holds in plain text; it is written 0600 all the same.
 */
export function parsedCacheKey(file: string, text: string): string {
  let build = 'unknown';
  try {
    const main = require.main?.filename;
    if (main) {
      const st = fs.statSync(main);
      build = `${main}:${st.size}:${st.mtimeMs}`;
    }
  } catch {
    // No main module (embedded use): the text and path still key the entry.
  }
  return createHash('sha256').update(build).update('\0').update(path.resolve(file)).update('\0').update(text).digest('hex').slice(0, 32);
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, `config-${key}.json`);
}

/** Held to the same trust rules as session files: a planted config would redirect role assumptions. */
export function readParsed(dir: string, key: string): unknown | undefined {
  const r = readTrustedJson(entryPath(dir, key));
  if (r.kind !== 'ok' || r.data === null || typeof r.data !== 'object') return undefined;
  return (r.data as { data?: unknown }).data;
}

/** Parsed-config files in the cache dir, for `cache clear`. */
export function parsedFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => /^config-[0-9a-f]+\.json$/.test(n)).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/** Best effort: a config that cannot be cached is simply parsed again next time. */
export function writeParsed(dir: string, key: string, data: unknown): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const writeFileAtomic = require('write-file-atomic') as typeof import('write-file-atomic');
    writeFileAtomic.sync(entryPath(dir, key), JSON.stringify({ data }), { mode: 0o600 });
    prune(dir);
  } catch {
    // Read-only or missing cache dir: nothing to do.
  }
}

/** Each edit of a config leaves an entry behind; keep the most recently written few. */
export const PARSED_KEEP = 32;

function prune(dir: string): void {
  const files = parsedFiles(dir);
  if (files.length <= PARSED_KEEP) return;
  const byAge = files.map((f) => ({ f, t: fs.statSync(f).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of byAge.slice(PARSED_KEEP)) fs.rmSync(f, { force: true });
}
