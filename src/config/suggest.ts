/**
 * Edit distance counting a swap of two neighbours as one edit (optimal string alignment): `exce` is one
 * slip away from `exec`, not two. Candidate lists are short (a schema's keys, store names, commands).
 */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * How many edits still read as a typo of a word this long: one per three characters, at least one. A
 * fixed allowance of two made `a` a likely typo of `zz`, which shares nothing with it.
 */
export function typoAllowance(length: number): number {
  return Math.max(1, Math.floor(length / 3));
}

/** The closest candidate to `word`, if one is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  // Names are short; a 1 MB key is no typo of one, and comparing it would take seconds per candidate.
  if (word.length > MAX_WORD) return undefined;
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    // The distance is at least the difference in length: such a candidate can never be close enough.
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = distance(lower, c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  if (best === undefined) return undefined;
  // Never suggest a word that would need every character of the typed one changed.
  const allowed = Math.min(typoAllowance(Math.max(word.length, best.length)), word.length - 1);
  return bestScore <= allowed ? best : undefined;
}

const MAX_WORD = 256;

/**
 * The hint for a name that matches nothing: the likely typo if there is one, else the names there are
 * (the first few), so the user is never left to open the file to see what is defined.
 */
export function unknownNameHint(word: string, candidates: string[], what: string): string | undefined {
  const guess = didYouMean(word, candidates);
  if (guess) return `did you mean "${guess}"?`;
  if (!candidates.length) return undefined;
  const shown = candidates.slice(0, SHOWN_NAMES);
  const more = candidates.length - shown.length;
  return `${what}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

const SHOWN_NAMES = 8;
