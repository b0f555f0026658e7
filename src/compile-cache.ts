import fs = require('fs');
import path = require('path');

/**
 * Node's own on-disk compile cache (`module.enableCompileCache`, Node >= 22.1), kept in a folder of dsops's
 * cache dir. Node checks each entry's integrity and its source hash itself, so a damaged file is a miss.
 *
 * Node's default folder is in os.tmpdir(), which every user can write to: whoever creates it first could
 * plant compiled code that passes those checks (they are checksums, not signatures). So the folder is ours
 * instead, held to the session files' rules: a directory (not a link), owned by us, that no one else can
 * write to, inside a cache dir that is the same. Anything else and dsops runs without the cache.
 */
export const COMPILE_CACHE_FOLDER = 'compile';

/** The folder dsops gives Node's compile cache inside `cacheDir` (also what `cache clear` removes). */
export function compileCacheDir(cacheDir: string): string {
  return path.join(cacheDir, COMPILE_CACHE_FOLDER);
}

/** Whether this Node has `module.enableCompileCache` (added in 22.1.0). */
export function nodeHasCompileCache(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

/** Why `dir` is not fit to hold code we will run, or undefined when it is. */
export function untrustedDirReason(dir: string, uid = process.getuid?.()): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code})`;
  }
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isDirectory()) return 'it is not a directory';
  if (uid !== undefined && st.uid !== uid) return 'it belongs to another user';
  if ((st.mode & 0o022) !== 0) return `its mode is ${(st.mode & 0o777).toString(8)}, writable by other users`;
  return undefined;
}

type EnableCompileCache = (dir?: string) => { status: number; message?: string; directory?: string };

/**
 * Turns on Node's compile cache in `<cacheDir>/compile` when this Node has it and both folders pass
 * untrustedDirReason. Returns the folder in use, or undefined (Node 20, no cache dir, an untrusted or
 * unwritable one): dsops then compiles from source, as on any first run. Never throws.
 */
export function enableCompileCache(cacheDir: string | undefined): string | undefined {
  if (!cacheDir || !nodeHasCompileCache()) return undefined;
  try {
    const dir = compileCacheDir(cacheDir);
    // Made only when missing: a warm run checks what is there and creates nothing.
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (untrustedDirReason(cacheDir) || untrustedDirReason(dir)) return undefined;
    // Typed here: @types/node follows engines (20), which predates the API.
    const enable = (require('module') as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
    const r = enable?.(dir);
    // ENABLED, or ALREADY_ENABLED by the user's own NODE_COMPILE_CACHE (their folder, their choice).
    return r && (r.status === 1 || r.status === 2) ? (r.directory ?? dir) : undefined;
  } catch {
    return undefined;
  }
}
