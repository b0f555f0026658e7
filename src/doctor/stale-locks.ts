import path = require('path');
import { CheckResult, ok, warn } from './check';
import { DoctorFs, nodeFs } from './doctor-fs';

/** The pid a lock's holder recorded beside it, and whether that process still runs; undefined when unknown. */
export type HolderState = (sessionFile: string) => { pid: number; alive: boolean } | undefined;

/**
 * Lock directories (proper-lockfile's `<session>.lock`) whose mtime is older than `staleMs`. A live holder
 * refreshes the mtime every few seconds, so an old one was left by a run that died; the next run breaks
 * it, but only after waiting for it to look stale. A lock whose recorded holder (its `.owner` pid) no longer
 * runs is reported at once.
 */
export function checkStaleLocks(dir: string, nowMs: number, staleMs: number, fsx: DoctorFs = nodeFs, holder: HolderState = () => undefined): CheckResult {
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
      if (!st.isDirectory()) continue;
      // A holder that is gone left the lock behind, even if its last refresh is too recent to look stale yet.
      const h = holder(file.slice(0, -'.lock'.length));
      if (nowMs - st.mtimeMs > staleMs) stale.push(h && !h.alive ? `${file} (pid ${h.pid}, no longer running)` : file);
      else if (h && !h.alive) stale.push(`${file} (pid ${h.pid}, no longer running)`);
    } catch {
      // released since the listing
    }
  }
  if (!stale.length) return ok('locks', 'no stale session locks');
  const dirs = stale.map((s) => s.replace(/ \(pid .*$/, ''));
  const shown = stale.slice(0, 3).join(', ') + (stale.length > 3 ? `, and ${stale.length - 3} more` : '');
  return warn(
    'locks',
    `${stale.length === 1 ? 'a stale session lock' : `${stale.length} stale session locks`} (older than ${staleMs / 1000} s or its holder gone: left by a run that died): ${shown}`,
    `the next run breaks ${stale.length === 1 ? 'it' : 'them'} after a wait; to skip the wait: rmdir ${dirs.join(' ')}`,
  );
}

/** The holder recorded by a dsops run (cache/lock-owner.ts), checked with signal 0: sent to nothing, it only asks whether the pid exists. */
export function recordedHolder(sessionFile: string): { pid: number; alive: boolean } | undefined {
  const { readOwner } = require('../cache/lock-owner') as typeof import('../cache/lock-owner');
  const pid = readOwner(sessionFile);
  if (pid === undefined) return undefined;
  try {
    process.kill(pid, 0);
    return { pid, alive: true };
  } catch (e) {
    // EPERM: it exists, as someone else's process (a reused pid); only ESRCH says it is gone.
    return { pid, alive: (e as NodeJS.ErrnoException).code !== 'ESRCH' };
  }
}
