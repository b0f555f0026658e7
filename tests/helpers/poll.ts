/**
 * Waits for a condition instead of a clock: checks `probe` every `everyMs` until it returns something other
 * than undefined/false, and fails with `what` after `attempts` checks. The interval is only how often to
 * look; nothing depends on how long the wait takes.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { attempts?: number; everyMs?: number } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 500;
  const everyMs = opts.everyMs ?? 20;
  for (let i = 0; i < attempts; i++) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what} (${attempts} checks, ${everyMs} ms apart)`);
}
