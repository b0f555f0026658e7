import fs = require('fs');
import path = require('path');
import { readTrustedFile } from './trusted-file';
import { removeCacheEntry, writePrivateFile } from './write-private';

/**
 * `<session file>.owner`: the pid of the dsops process holding that session's lock, so another run
 * waiting on the lock can say whom it waits for. proper-lockfile's lock is a bare directory that records
 * no holder, and is not ours to extend, so the pid sits in a sibling file written after the lock is taken
 * and removed before it is released. It is a hint for a message, never a decision: nothing reads it to
 * decide whether the lock is held or stale.
 */
export const ownerFile = (sessionFile: string): string => `${sessionFile}.owner`;

/** "4194304\n" is 8 bytes; anything much longer was not written by dsops, and is not read. */
export const MAX_OWNER_BYTES = 32;

// Linux pids stop at 2^22 and other systems' at 2^31 - 1: a decimal in that range, nothing else.
const PID = /^[1-9][0-9]{0,9}\n?$/;
const MAX_PID = 2 ** 31 - 1;

/** Records this process as the lock's holder: a fresh 0600 file of ours, whatever sat at the name before. */
export async function claimOwner(sessionFile: string, pid = process.pid): Promise<void> {
  // Not fsynced: after a crash the lock it describes is stale anyway, and the next holder replaces it.
  await writePrivateFile(ownerFile(sessionFile), `${pid}\n`, { durable: false });
}

/**
 * The holder's pid, or undefined when the file is missing, not a regular 0600 file of ours, too large, or
 * not a plain decimal pid: read with the cache's hardened reader (no link followed, no FIFO waited on), so a
 * planted name can neither hang a waiter nor put its bytes on the terminal.
 */
export function readOwner(sessionFile: string): number | undefined {
  const r = readTrustedFile(ownerFile(sessionFile), { maxBytes: MAX_OWNER_BYTES });
  if (r.kind !== 'ok') return undefined;
  const text = r.data.toString('latin1');
  if (!PID.test(text)) return undefined;
  const pid = Number(text.trim());
  return pid <= MAX_PID ? pid : undefined;
}

/**
 * Removes the owner file if it still names `pid`. A holder whose lock was taken over as stale must not
 * remove the file of the run that now holds it.
 */
export function releaseOwner(sessionFile: string, pid = process.pid): void {
  if (readOwner(sessionFile) === pid) removeCacheEntry(ownerFile(sessionFile));
}

/** Owner files in the cache dir, for `cache clear`: leftovers of runs that were killed while holding a lock. */
export function listOwnerFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => /^sts-[0-9a-f]+\.json\.owner$/.test(n))
      .sort()
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}
