import fs = require('fs');

/** Deletes all but the `keep` most recently written of `files`: caches that grow one file per key. */
export function keepNewest(files: string[], keep: number): void {
  if (files.length <= keep) return;
  const byAge = files.map((f) => ({ f, t: fs.statSync(f).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of byAge.slice(keep)) fs.rmSync(f, { force: true });
}
