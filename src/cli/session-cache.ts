import { cachedSession } from '../cache/cached-session';
import { cacheDir } from '../cache/cache-dir';
import type { SessionDecorator } from '../resolve/resolve-env';
import type { CommandContext } from './context';

export interface CacheFlags {
  cache?: boolean;
  refresh?: boolean;
}

/** The session decorator the CLI uses, or none with --no-cache (neither read nor written). */
export function sessionDecorator(ctx: CommandContext, flags: CacheFlags): SessionDecorator | undefined {
  if (flags.cache === false) return undefined;
  const dir = cacheDir(ctx.env);
  const lockTimeoutMs = lockTimeoutSeconds(ctx.env.DSOPS_LOCK_TIMEOUT) * 1000;
  return (provider, info) =>
    cachedSession(provider, info, { dir, log: ctx.log, refresh: flags.refresh === true, lockTimeoutMs, now: Date.now });
}

/** DSOPS_LOCK_TIMEOUT in seconds (default 120); anything that is not a positive number means the default. */
export function lockTimeoutSeconds(text: string | undefined): number {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : DEFAULT_LOCK_TIMEOUT_SECONDS;
}

export const DEFAULT_LOCK_TIMEOUT_SECONDS = 120;
