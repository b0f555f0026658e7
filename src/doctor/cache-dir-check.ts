import path = require('path');
import { CheckResult, fail, ok } from './check';
import { DoctorFs, nodeFs, octal } from './doctor-fs';

const SESSION_FILE = /^sts-.*\.json$/;

/**
 * The cache dir must be ours and closed to group and others (it holds STS sessions), and so must every
 * session file in it (exactly 0600, ours, a regular file). dsops itself tightens its own dir before writing
 * and deletes a file others can read; doctor reports what it finds, so the cause can be found.
 */
export function checkCacheDirModes(dir: string, fsx: DoctorFs = nodeFs): CheckResult {
  let st;
  try {
    st = fsx.stat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return ok('cache dir', `${dir} does not exist yet (created 0700 on first use)`);
    return fail('cache dir', `${dir} cannot be read (${code ?? 'error'})`, `check the path, or point DSOPS_CACHE_DIR at a directory of yours`);
  }
  if (!st.isDirectory()) return fail('cache dir', `${dir} is not a directory`, 'remove it, or point DSOPS_CACHE_DIR elsewhere');
  const uid = fsx.uid();
  const mode = octal(st.mode);
  if (uid !== undefined && st.uid !== uid) {
    return fail('cache dir', `${dir} belongs to uid ${st.uid}, not to you (uid ${uid}); mode ${mode}`, 'point DSOPS_CACHE_DIR at a directory of yours');
  }
  if (uid !== undefined && (st.mode & 0o077) !== 0) {
    const who = (st.mode & 0o022) !== 0 ? 'writable' : 'readable';
    return fail('cache dir', `${dir} is ${who} by group or others (mode ${mode})`, `chmod 700 ${dir}`);
  }
  const bad = uid === undefined ? [] : badSessionFiles(dir, uid, fsx);
  if (bad.length) {
    const shown = bad.slice(0, 3).join(', ') + (bad.length > 3 ? `, and ${bad.length - 3} more` : '');
    return fail('cache dir', `${dir}: session files not 0600 or not yours: ${shown}`, `dsops cache clear (they are made again on the next run)`);
  }
  return ok('cache dir', `${dir} is yours (mode ${mode})`);
}

function badSessionFiles(dir: string, uid: number, fsx: DoctorFs): string[] {
  let names: string[];
  try {
    names = fsx.readdir(dir);
  } catch {
    return [];
  }
  const bad: string[] = [];
  for (const name of names.filter((n) => SESSION_FILE.test(n)).sort()) {
    try {
      const st = fsx.lstat(path.join(dir, name));
      if (!st.isFile()) bad.push(`${name} (not a regular file)`);
      else if (st.uid !== uid) bad.push(`${name} (uid ${st.uid})`);
      else if ((st.mode & 0o777) !== 0o600) bad.push(`${name} (mode ${octal(st.mode)})`);
    } catch {
      // gone since the listing: nothing to report
    }
  }
  return bad;
}
