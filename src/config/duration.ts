const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** Parses `1h`, `30m`, `900s` into seconds; undefined when the text is not of that form. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]+)(s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

/** Short human form of a number of seconds, e.g. `14m 5s`, for `cache list` and messages. */
export function formatSeconds(total: number): string {
  if (total <= 0) return 'expired';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Math.floor(total % 60);
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}
