import fs = require('fs');
import path = require('path');

let counter = 0;

/**
 * Writes `data` to `file` as a new 0600 file of ours, atomically: a temp file beside it, created with
 * O_CREAT|O_EXCL|O_NOFOLLOW (so it is always a fresh file, never a link or someone's planted file), written,
 * fsynced (unless `durable: false`), then renamed over the name. rename replaces whatever sits at the name, a symbolic link included,
 * without following it, so a link planted there while dsops waited on STS is replaced, and its target is
 * never written.
 *
 * Written here with fs rather than taken from a package: write-file-atomic resolves the name with
 * realpath (following a planted link to its target) and, unless told otherwise, chowns the new file to
 * the owner of the file it replaces, which hands a session to whoever planted the name; atomically keeps
 * the old owner the same way. Neither lets both be turned off.
 */
export async function writePrivateFile(file: string, data: string | Buffer, opts: { durable?: boolean } = {}): Promise<void> {
  const dir = path.dirname(file);
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);
  let tmp = '';
  let fh: fs.promises.FileHandle | undefined;
  // The name only has to be unused: O_EXCL makes a clash an error, never a shared file, so a clash is retried.
  for (let attempt = 0; fh === undefined; attempt++) {
    tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++counter}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    try {
      fh = await fs.promises.open(tmp, flags, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw e;
    }
  }
  // Asynchronous on purpose: other stores of the run are resolving meanwhile, and an fsync takes milliseconds.
  try {
    try {
      // The umask may have taken bits from 0600 (even the owner's read bit); the file must be exactly 0600.
      await fh.chmod(0o600);
      await fh.writeFile(data);
      // durable: false for files worth nothing after a crash (a lock's owner), where an fsync only costs time.
      if (opts.durable !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await replace(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/** rename(2), after removing a directory that sits at the name: rename cannot replace one with a file. */
async function replace(tmp: string, file: string): Promise<void> {
  try {
    await fs.promises.rename(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    removeCacheEntry(file);
    await fs.promises.rename(tmp, file);
  }
}

/**
 * Removes whatever is at `file` in the cache dir: a file, a link (never its target), a FIFO, or a
 * directory with its contents (rm does not follow links inside it). Missing is fine.
 */
export function removeCacheEntry(file: string): void {
  fs.rmSync(file, { force: true, recursive: true });
}
