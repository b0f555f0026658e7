import path = require('path');
import { CheckResult, ok, warn } from './check';
import { DoctorFs, nodeFs } from './doctor-fs';

/**
 * Lock directories (proper-lockfile's `<session>.lock`) whose mtime is older than `staleMs`. A live holder
 * refreshes the mtime every few seconds, so an old one was left by a run that died; the next run breaks
 * it, but only after waiting for it to look stale.
 */
export function checkStaleLocks(dir: string, nowMs: number, staleMs: number, fsx: DoctorFs = nodeFs): CheckResult {
  let names: string[];
  try {
    names = fsx.readdir(dir);
  } catch {
    return ok('locks', 'no cache dir, so no locks');
  }
  const stale: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.lock')).sort()) {
    const file = path.join(dir, name);
    try {
      const st = fsx.lstat(file);
      if (st.isDirectory() && nowMs - st.mtimeMs > staleMs) stale.push(file);
    } catch {
      // released since the listing
    }
  }
  if (!stale.length) return ok('locks', 'no stale session locks');
  const shown = stale.slice(0, 3).join(', ') + (stale.length > 3 ? `, and ${stale.length - 3} more` : '');
  return warn(
    'locks',
    `${stale.length === 1 ? 'a stale session lock' : `${stale.length} stale session locks`} (older than ${staleMs / 1000} s, left by a run that died): ${shown}`,
    `the next run breaks ${stale.length === 1 ? 'it' : 'them'} after a wait; to skip the wait: rmdir ${stale.join(' ')}`,
  );
}
