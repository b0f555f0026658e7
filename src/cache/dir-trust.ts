import fs = require('fs');

export type CacheDirState = { kind: 'ok' } | { kind: 'missing' } | { kind: 'refused'; reason: string };

/**
 * Whether dsops may use `dir` as its cache, as ssh judges its own directories: the dir must be ours and
 * writable by nobody else. Someone who can write there can swap names under dsops (plant a link where a
 * session is about to be written, remove a lock), so such a dir is refused and dsops runs without a cache.
 * Our own dir is tightened to 0700 instead (it was created that way; something widened it). A shared sticky
 * dir such as /tmp is refused, never chmod-ed.
 *
 * With `create`, a missing dir is made 0700 (parents too); without it, a missing dir is `missing`.
 * Errors other than a refusal (ENOTDIR, EACCES) are thrown: the caller treats them as an unwritable dir.
 * A symbolic link to a dir is judged by the dir it points to. With `tighten: false` (commands that only
 * look), our own dir is left as it is, and judged usable, as a caller that writes would make it.
 */
export function checkCacheDir(dir: string, create: boolean, opts: { tighten?: boolean } = {}): CacheDirState {
  if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if (!create && (e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  if (!st.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  // No owners or modes to judge (Windows): the files' own checks are all there is.
  if (typeof process.getuid !== 'function') return { kind: 'ok' };
  const uid = process.getuid();
  if (st.uid !== uid) return { kind: 'refused', reason: `it belongs to uid ${st.uid}, not to you (uid ${uid})` };
  const sticky = (st.mode & 0o1000) !== 0;
  if (sticky) {
    if ((st.mode & 0o022) !== 0) return { kind: 'refused', reason: `other users can write to it (mode ${(st.mode & 0o7777).toString(8)})` };
    return { kind: 'ok' };
  }
  if ((st.mode & 0o077) !== 0) {
    // Ours: a caller that may write tightens it, so it is usable either way.
    if (opts.tighten === false) return { kind: 'ok' };
    try {
      fs.chmodSync(dir, st.mode & 0o700);
    } catch (e) {
      // A read-only file system: a dir others can only read is still safe to read from.
      if ((st.mode & 0o022) !== 0) return { kind: 'refused', reason: `other users can write to it (mode ${(st.mode & 0o777).toString(8)}) and it cannot be tightened (${(e as NodeJS.ErrnoException).code})` };
    }
  }
  return { kind: 'ok' };
}
