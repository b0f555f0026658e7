import { CheckResult, ok, warn } from './check';

/**
 * End of life of the Node majors dsops runs on (nodejs.org's release schedule). An even major is an LTS line
 * with its own date; an odd one ends on June 1 after its October release, six months of support.
 */
const EVEN_EOL: Record<number, string> = { 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30' };
const OLDEST_ODD = 21;
const NEWEST_KNOWN = 25;

/** The end-of-life date (YYYY-MM-DD) of a Node major, or undefined for one newer than this table knows. */
export function nodeEndOfLife(major: number): string | undefined {
  if (EVEN_EOL[major]) return EVEN_EOL[major];
  if (major % 2 === 1 && major >= OLDEST_ODD && major <= NEWEST_KNOWN) {
    // 21 was released in October 2023, and each odd major a year after the one before.
    return `${2024 + (major - OLDEST_ODD) / 2}-06-01`;
  }
  return undefined;
}

/** `node: 20.20.2 is past end of life (2026-04-30)` when `now` is after that date; unknown newer majors are ok. */
export function checkNodeVersion(version: string, now: Date): CheckResult {
  const v = version.replace(/^v/, '');
  const major = Number(v.split('.')[0]);
  if (!Number.isInteger(major)) return warn('node', `cannot read the version ${JSON.stringify(version)}`);
  if (major < 20) return warn('node', `${v} is older than dsops supports (Node >= 20)`, 'install Node 22 or 24 (LTS)');
  const eol = nodeEndOfLife(major);
  if (!eol) return ok('node', `${v}`);
  // Support ends at the end of the EOL day, in UTC.
  if (now.getTime() >= Date.parse(`${eol}T00:00:00Z`) + 86_400_000) {
    return warn('node', `${v} is past end of life (${eol}): no more security fixes`, 'install a supported LTS release (Node 22 or 24)');
  }
  return ok('node', `${v} (supported until ${eol})`);
}
