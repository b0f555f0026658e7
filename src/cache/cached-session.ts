import fs = require('fs');
import type { CredentialProvider, Credentials } from '../aws/credentials';
import { ResolveError } from '../errors';
import type { Logger } from '../log';
import type { SessionInfo } from '../resolve/resolve-env';
import { isReusable } from './margin';
import { CACHE_FORMAT, ensureDir, entryFile, readEntry, SessionEntry, toCredentials, writeEntry } from './session-file';

export interface SessionCacheOptions {
  dir: string;
  log: Logger;
  /** Ignore what is cached and store a new session (`--refresh`). */
  refresh: boolean;
  /** How long to wait for another dsops process holding the same session's lock. */
  lockTimeoutMs: number;
  /** Injected so margin arithmetic can be tested. */
  now: () => number;
}

/**
 * Decorates an STS provider with the persistent cache. A per-session lock is held across
 * check → STS call → write, so parallel cold runs make one call per session and show at most one
 * MFA prompt; the others wait, then read what the first wrote.
 */
export function cachedSession(provider: CredentialProvider, info: SessionInfo, opts: SessionCacheOptions): CredentialProvider {
  const { spec, key } = info;
  if (!spec.cache.enabled) return provider;
  // Named on first use: hashing a key costs a cold start ~0.3 ms per kB, and a warm run looks up only
  // the last hop of a chain (the hops before it are never asked for credentials).
  let named: string | undefined;
  const fileName = () => (named ??= entryFile(opts.dir, key));
  const margin = spec.cache.refreshBeforeSeconds;
  const { log } = opts;

  let reportedBad = false;
  const lookup = (): Credentials | undefined => {
    const file = fileName();
    const r = readEntry(file, key);
    if (r.kind === 'hit') {
      const exp = Date.parse(r.entry.expiration);
      const lifetime = (exp - Date.parse(r.entry.createdAt)) / 1000;
      if (isReusable(opts.now(), exp, lifetime, margin)) {
        log.verbose(`store ${spec.name}: cached session, expires ${r.entry.expiration}`);
        return toCredentials(r.entry);
      }
      log.debug(`store ${spec.name}: cached session is inside its refresh margin; renewing`);
    } else if (r.kind === 'bad') {
      // Checked before and after taking the lock: say it once.
      if (!reportedBad) log.verbose(`store ${spec.name}: ignoring cache file ${file}: ${r.reason}; it will be replaced`);
      reportedBad = true;
    } else if (r.kind === 'untrusted') {
      log.warn(`store ${spec.name}: deleting untrusted cache file ${file}: ${r.reason}`);
      try {
        fs.rmSync(file, { force: true });
      } catch (e) {
        log.debug(`store ${spec.name}: could not delete ${file}: ${(e as NodeJS.ErrnoException).code}`);
      }
    }
    return undefined;
  };

  return async () => {
    if (!opts.refresh) {
      const hit = lookup();
      if (hit) return hit;
    }
    const file = fileName();
    let release: (() => Promise<void>) | undefined;
    try {
      ensureDir(opts.dir);
      release = await lock(file, opts.lockTimeoutMs, spec.name, log);
    } catch (e) {
      if (e instanceof ResolveError) throw e;
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      log.warnOnce('cache-unwritable', `session cache ${opts.dir} is not writable (${code}); running without it`);
      return provider();
    }
    try {
      // Another process may have written the session while this one waited for the lock.
      if (!opts.refresh) {
        const hit = lookup();
        if (hit) return hit;
      }
      const creds = await provider();
      const entry: SessionEntry = {
        format: CACHE_FORMAT,
        key,
        store: spec.name,
        operation: spec.operation,
        roleArn: spec.roleArn,
        region: info.region,
        createdAt: new Date(opts.now()).toISOString(),
        expiration: (creds.expiration ?? new Date(opts.now() + 3600_000)).toISOString(),
        credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      };
      try {
        await writeEntry(file, entry);
      } catch (e) {
        log.warnOnce('cache-unwritable', `session cache ${opts.dir} is not writable (${(e as NodeJS.ErrnoException).code}); running without it`);
      }
      return creds;
    } finally {
      await release?.().catch(() => undefined);
    }
  };
}

/** A holder refreshes its lock's mtime every LOCK_UPDATE_MS; a lock older than LOCK_STALE_MS belonged to a dead process. */
export const LOCK_STALE_MS = 10_000;
const LOCK_UPDATE_MS = 2_000;
const LOCK_POLL_MS = 100;

/**
 * Takes `<file>.lock` with proper-lockfile (an atomic mkdir, kept fresh while held, removed on exit and on
 * signals). Tries once, says it is waiting if another process holds it, then polls until `timeoutMs`.
 */
async function lock(file: string, timeoutMs: number, store: string, log: Logger): Promise<() => Promise<void>> {
  const lockfile = await import('proper-lockfile');
  const options = (retries: number): import('proper-lockfile').LockOptions => ({
    realpath: false,
    stale: LOCK_STALE_MS,
    update: LOCK_UPDATE_MS,
    retries: { retries, factor: 1, minTimeout: LOCK_POLL_MS, maxTimeout: LOCK_POLL_MS },
    // The default throws from a timer and kills the process; losing the lock only risks one extra STS call.
    onCompromised: (err) => log.debug(`store ${store}: lost the cache lock (${err.message}); continuing`),
  });
  try {
    try {
      return await lockfile.lock(file, options(0));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    log.verbose(`store ${store}: waiting for another dsops process that is fetching this session (lock ${file}.lock)`);
    return await lockfile.lock(file, options(Math.max(1, Math.ceil(timeoutMs / LOCK_POLL_MS))));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new ResolveError(
        `store ${store}: timed out after ${Math.round(timeoutMs / 1000)}s waiting for another dsops process to finish this session`,
        'E_LOCK_TIMEOUT',
        store,
        `another dsops run may be waiting at an MFA prompt; finish it, or raise DSOPS_LOCK_TIMEOUT (seconds). Lock: ${file}.lock`,
      );
    }
    throw e;
  }
}
