import fs = require('fs');

export type TrustedRead<T = unknown> =
  | { kind: 'ok'; data: T }
  | { kind: 'miss' }
  | { kind: 'bad'; reason: string }
  | { kind: 'untrusted'; reason: string };

/**
 * Reads a file from the cache dir. A file that others can read, that someone else owns, or that is a
 * symbolic link is never trusted: it may have leaked or been planted.
 */
export function readTrustedFile(file: string): TrustedRead<Buffer> {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'miss' };
    if (code === 'ELOOP') return { kind: 'untrusted', reason: 'it is a symbolic link' };
    return { kind: 'bad', reason: `cannot be read (${code})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if ((st.mode & 0o077) !== 0) return { kind: 'untrusted', reason: `its mode is ${(st.mode & 0o777).toString(8)}, readable by other users` };
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return { kind: 'untrusted', reason: 'it belongs to another user' };
    // One readSync of the size fstat gave: readFileSync(fd) does the same in a slower, general loop.
    const data = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = fs.readSync(fd, data, got, st.size - got, got);
      if (n === 0) return { kind: 'bad', reason: 'it was truncated while being read' };
      got += n;
    }
    return { kind: 'ok', data };
  } finally {
    fs.closeSync(fd);
  }
}

/** readTrustedFile, then JSON; unparseable JSON is `bad`. */
export function readTrustedJson(file: string): TrustedRead {
  const r = readTrustedFile(file);
  if (r.kind !== 'ok') return r;
  try {
    return { kind: 'ok', data: JSON.parse(r.data.toString('utf8')) as unknown };
  } catch {
    return { kind: 'bad', reason: 'it is not valid JSON (corrupt or truncated)' };
  }
}
