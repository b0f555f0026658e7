import fs = require('fs');

export type TrustedRead<T = unknown> =
  | { kind: 'ok'; data: T }
  | { kind: 'miss' }
  | { kind: 'bad'; reason: string }
  | { kind: 'untrusted'; reason: string };

export interface TrustedReadOptions {
  /** Larger files are `bad` and are not read at all. */
  maxBytes?: number;
}

/**
 * The cap for callers that set none. Generous, because the parsed-config cache of a 5,000-store config runs
 * to megabytes; callers that know their files are small (sessions) pass their own.
 */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

// Windows has none of these flags; there the type check on the descriptor still applies. O_NOCTTY: a terminal
// device planted at a name must not become dsops's controlling terminal by being opened.
const OPEN_FLAGS =
  fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** What a non-regular file is, in words, for the reason shown by `-v` and `cache list`. */
function typeOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a file from the cache dir, where anything may have been planted or damaged. The file is opened
 * without following a link and without blocking (a FIFO would otherwise hang the open until a writer
 * appears), and every check is made on the open descriptor, so the file cannot be swapped between check
 * and read. Non-regular files, files over `maxBytes`, and unreadable files are `bad` (a miss the caller
 * replaces); a symbolic link, a file someone else owns, or one others can read is `untrusted`: it may have
 * leaked or been planted.
 */
export function readTrustedFile(file: string, opts: TrustedReadOptions = {}): TrustedRead<Buffer> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'miss' };
    if (code === 'ELOOP') return { kind: 'untrusted', reason: 'it is a symbolic link' };
    // A socket cannot be opened at all (ENXIO); neither can a device without its driver.
    if (code === 'ENXIO' || code === 'ENODEV') return { kind: 'bad', reason: 'it is not a regular file (a socket or device)' };
    return { kind: 'bad', reason: `it cannot be read (${code})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { kind: 'bad', reason: `it is ${typeOf(st)}, not a regular file` };
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return { kind: 'untrusted', reason: 'it belongs to another user' };
    if ((st.mode & 0o077) !== 0) return { kind: 'untrusted', reason: `its mode is ${(st.mode & 0o777).toString(8)}, readable by other users` };
    if (st.size > maxBytes) return { kind: 'bad', reason: `it is ${st.size} bytes, more than the ${maxBytes} a cache file may hold` };
    // One readSync of the size fstat gave: readFileSync(fd) does the same in a slower, general loop. A file that
    // grows meanwhile is read only up to that size, so the cap holds.
    const data = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = fs.readSync(fd, data, got, st.size - got, got);
      if (n === 0) return { kind: 'bad', reason: 'it was truncated while being read' };
      got += n;
    }
    return { kind: 'ok', data };
  } catch (e) {
    // EIO, or EISDIR on a platform that lets a directory be opened for reading but not read.
    return { kind: 'bad', reason: `it cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** readTrustedFile, then JSON; unparseable JSON is `bad`. Callers check the shape of what comes back. */
export function readTrustedJson(file: string, opts: TrustedReadOptions = {}): TrustedRead {
  const r = readTrustedFile(file, opts);
  if (r.kind !== 'ok') return r;
  try {
    return { kind: 'ok', data: JSON.parse(r.data.toString('utf8')) as unknown };
  } catch {
    return { kind: 'bad', reason: 'it is not valid JSON (corrupt or truncated)' };
  }
}
