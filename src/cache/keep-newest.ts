import fs = require('fs');
import { removeCacheEntry } from './write-private';

/**
 * Deletes all but the `keep` most recently written of `files`: caches that grow one file per key.
 * lstat, never stat: a link is judged (and removed) as itself. A name that vanished meanwhile (another
 * process pruning too) is skipped, not an error.
 */
export function keepNewest(files: string[], keep: number): void {
  if (files.length <= keep) return;
  const byAge: { f: string; t: number }[] = [];
  for (const f of files) {
    try {
      byAge.push({ f, t: fs.lstatSync(f).mtimeMs });
    } catch {
      // gone already
    }
  }
  byAge.sort((a, b) => b.t - a.t);
  for (const { f } of byAge.slice(keep)) {
    try {
      removeCacheEntry(f);
    } catch {
      // best effort: the next write prunes again
    }
  }
}
