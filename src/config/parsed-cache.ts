import fs = require('fs');
import path = require('path');
import { digest64 } from '../cache/digest';
import { keepNewest } from '../cache/keep-newest';
import { readTrustedJson } from '../cache/trusted-file';

/**
 * A cache of configs that already parsed and passed the schema: one entry per config path and dsops
 * build, holding the text it was parsed from. A hit, when the text is exactly the same, skips loading the
 * YAML parser and the schema check, which dominate a warm `dsops exec`. Semantic rules still run every
 * time: they depend on the environment. The entry holds only what the file already holds in plain text;
 * it is written 0600 all the same.
 */
function entryPath(dir: string, file: string): { entry: string; identity: string } {
  // This file's path, size and mtime stand for the dsops build.
  let build = 'unknown';
  {
    try {
      const st = fs.statSync(__filename);
      build = `${__filename}:${st.size}:${st.mtimeMs}`;
    } catch {
      // Embedded somewhere without its file: the path and text still identify the entry.
    }
  }
  const identity = `${build}\0${path.resolve(file)}`;
  return { entry: path.join(dir, `config-${digest64(identity)}.json`), identity };
}

interface ParsedEntry {
  identity: string;
  text: string;
  data: unknown;
}

/**
 * The parsed data of `text`, if the entry for `file` was written from exactly that text by this build.
 * Held to the same trust rules as session files: a planted config would redirect role assumptions.
 */
export function readParsed(dir: string, file: string, text: string): unknown | undefined {
  const { entry, identity } = entryPath(dir, file);
  const r = readTrustedJson(entry);
  if (r.kind !== 'ok' || r.data === null || typeof r.data !== 'object') return undefined;
  const e = r.data as Partial<ParsedEntry>;
  return e.identity === identity && e.text === text ? e.data : undefined;
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
export function writeParsed(dir: string, file: string, text: string, data: unknown): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const writeFileAtomic = require('write-file-atomic') as typeof import('write-file-atomic');
    const { entry, identity } = entryPath(dir, file);
    const value: ParsedEntry = { identity, text, data };
    writeFileAtomic.sync(entry, JSON.stringify(value), { mode: 0o600 });
    keepNewest(parsedFiles(dir), PARSED_KEEP);
  } catch {
    // Read-only or missing cache dir: nothing to do.
  }
}

/** Each config path (and each dsops build) leaves an entry behind; keep the most recently written few. */
export const PARSED_KEEP = 32;
