/** How long before expiry a cached session stops being reused, when nothing is configured. */
export const DEFAULT_MARGIN_SECONDS = 15 * 60;
const SHORT_SESSION_SECONDS = 3600;

/**
 * The refresh margin for a session of the given lifetime. A fixed 15 minutes would make a 15-minute
 * break-glass session unusable from the start, so sessions of at most an hour use a quarter of their life.
 */
export function refreshMargin(lifetimeSeconds: number, configured?: number): number {
  if (configured !== undefined) return configured;
  if (lifetimeSeconds <= SHORT_SESSION_SECONDS) return Math.floor(lifetimeSeconds / 4);
  return DEFAULT_MARGIN_SECONDS;
}

/** Whether a session that expires at `expiresAt` may still be handed out at `now` (both ms since epoch). */
export function isReusable(nowMs: number, expiresAtMs: number, lifetimeSeconds: number, configured?: number): boolean {
  return nowMs < expiresAtMs - refreshMargin(lifetimeSeconds, configured) * 1000;
}
