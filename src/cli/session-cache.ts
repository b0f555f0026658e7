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
  const lockTimeoutMs = Number(ctx.env.DSOPS_LOCK_TIMEOUT ?? 120) * 1000;
  return (provider, info) =>
    cachedSession(provider, info, { dir, log: ctx.log, refresh: flags.refresh === true, lockTimeoutMs, now: Date.now });
}
