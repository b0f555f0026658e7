/** Longest piece of user text a message quotes: a 1 MB key must not be echoed whole to stderr. */
export const MAX_QUOTED = 80;

/**
 * `text` as JSON-quoted for a message, cut to MAX_QUOTED characters (whole code points) with the full
 * length named, so the user can still tell which value is meant.
 */
export function quoted(text: string): string {
  if (text.length <= MAX_QUOTED) return JSON.stringify(text);
  const cps = [...text];
  if (cps.length <= MAX_QUOTED) return JSON.stringify(text);
  return `${JSON.stringify(cps.slice(0, MAX_QUOTED).join(''))}… (${cps.length} characters)`;
}
