import fs = require('fs');
import path = require('path');
import vm = require('vm');
import { bannerBuildId } from './build-id';
import { digest64 } from './cache/digest';
import { keepNewest } from './cache/keep-newest';
import { readTrustedFile } from './cache/trusted-file';

/**
 * Loads a CommonJS file through V8's code cache, kept in dsops's cache dir.
 *
 * Node 20 compiles every script from source on every start, and a warm `dsops exec` is otherwise only a
 * few milliseconds of work: compiling the bundle, and the functions it runs, was a third of what dsops
 * added to node's start-up. The cache is written after a run that took the everyday exec path, so it holds
 * the functions that path compiles lazily, not only the top level. (Node 22's module.enableCompileCache
 * does the same for every module; this is that, for one file, on Node 20.)
 *
 * Bytecode is code, so the file is held to the same rules as session files (ours, 0600, no symlink), and
 * its name holds the bundle's build id (a hash of its content, stamped on its first line by
 * scripts/build.js; else a digest of its path, size and mtime) and the node version and architecture, so a
 * rebuilt dsops or another node never picks up a stale cache. V8 checks the rest (its version, its flags, the
 * source length) and rejects a mismatch, which is a miss here.
 */
export interface CachedModule {
  exports: unknown;
  /** V8 accepted the cached code (for tests). */
  usedCache: boolean;
  /** Writes the cache if this run had none or V8 rejected it. Best effort. */
  save(): void;
}

export function codeCacheFile(dir: string, file: string, source = fs.readFileSync(file, 'utf8')): string {
  // V8 rejects code compiled under other flags; runs that alternate flags (NODE_OPTIONS in some CI jobs
  // only) would otherwise rewrite one shared file on every run. Each flag set gets its own.
  const flags = [process.env.NODE_OPTIONS ?? '', ...process.execArgv.filter((a) => a.startsWith('--') && !/^--(eval|print)\b/.test(a))]
    .join(' ')
    .trim();
  const variant = `node${process.versions.node}-${process.arch}${flags ? `-${digest64(flags)}` : ''}`;
  const build = bannerBuildId(source);
  if (build) return path.join(dir, `code-${build}-${variant}.bin`);
  const st = fs.statSync(file);
  return path.join(dir, `code-${digest64([path.resolve(file), st.size, st.mtimeMs].join('\0'))}-${variant}.bin`);
}

/**
 * `requireFn` is the file's `require`: a require made in the same directory (the caller's own, when it
 * sits beside the file). module.createRequire would do, but loading node:module also loads node's ESM
 * loader, ~0.5 ms that a warm run has no use for.
 */
export function requireWithCodeCache(file: string, dir: string | undefined, requireFn: NodeJS.Require): CachedModule {
  const source = fs.readFileSync(file, 'utf8');
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir) {
    cacheFile = codeCacheFile(dir, file, source);
    const r = readTrustedFile(cacheFile);
    if (r.kind === 'ok') cachedData = r.data;
  }
  const body = source.startsWith('#!') ? source.slice(source.indexOf('\n')) : source;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${body}\n})`, {
    filename: file,
    cachedData,
  });
  const mod = { exports: {} as unknown, filename: file, id: file };
  (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, requireFn, mod, file, path.dirname(file));
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    get exports() {
      return mod.exports;
    },
    usedCache: !fresh,
    save() {
      if (!fresh || !dir || !cacheFile) return;
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        // A read-only dir would otherwise have every run serialize the code and load the writer, to fail.
        fs.accessSync(dir, fs.constants.W_OK);
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const writeFileAtomic = require('write-file-atomic') as typeof import('write-file-atomic');
        writeFileAtomic.sync(cacheFile, script.createCachedData(), { mode: 0o600 });
        keepNewest(codeCacheFiles(dir), CODE_CACHE_KEEP);
      } catch {
        // Unwritable cache dir: the next run compiles from source, as before.
      }
    },
  };
}

/**
 * Several builds may share one cache dir (projects pinning different dsops versions, or node versions);
 * keeping only the newest file would make them evict each other on every run. Old builds' files go
 * once more than this many exist.
 */
export const CODE_CACHE_KEEP = 4;

/** Code cache files in the dir (any build), for pruning and `cache clear`. */
export function codeCacheFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => /^code-[0-9a-f]{16}-node[\w.]+-\w+(-[0-9a-f]{16})?\.bin$/.test(n))
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
