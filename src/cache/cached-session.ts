import fs = require('fs');
import type { CredentialProvider, Credentials } from '../aws/credentials';
import { ResolveError } from '../errors';
import type { Logger } from '../log';
import type { CacheSetting } from '../config/types';
import { checkCacheDir, CacheDirState } from './dir-trust';
import { isReusable } from './margin';
import { CACHE_FORMAT, entryFile, readEntry, SessionEntry, toCredentials, writeEntry } from './session-file';
import { claimOwner, ownerFile, readOwner, releaseOwner } from './lock-owner';
import { removeCacheEntry } from './write-private';
import { waitWithNotice } from '../progress';

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
/**
 * What the persistent cache needs to know about a session, whatever store type made it: the owning
 * store (its name, cache setting, and what a cache file records of it), the session's key and region.
 */
export interface SessionInfo {
  spec: { name: string; cache?: CacheSetting; operation?: string; roleArn?: string };
  key: string;
  region: string;
}

export function cachedSession(provider: CredentialProvider, info: SessionInfo, opts: SessionCacheOptions): CredentialProvider {
  const { spec, key } = info;
  const cache = spec.cache ?? { enabled: true };
  if (!cache.enabled) return provider;
  // Named on first use: hashing a key costs a cold start ~0.3 ms per kB, and a warm run looks up only
  // the last hop of a chain (the hops before it are never asked for credentials).
  let named: string | undefined;
  const fileName = () => (named ??= entryFile(opts.dir, key));
  const margin = cache.refreshBeforeSeconds;
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
        removeCacheEntry(file);
      } catch (e) {
        log.debug(`store ${spec.name}: could not delete ${file}: ${(e as NodeJS.ErrnoException).code}`);
      }
    }
    return undefined;
  };

  const unwritable = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    log.warnOnce('cache-unwritable', `session cache ${opts.dir} is not writable (${code}); running without it`);
  };
  /** The dir's state, or undefined after warning that the cache cannot be used. */
  const dirState = (create: boolean): CacheDirState | undefined => {
    let state: CacheDirState;
    try {
      state = checkCacheDir(opts.dir, create);
    } catch (e) {
      unwritable(e);
      return undefined;
    }
    if (state.kind !== 'refused') return state;
    // Same key as an unwritable dir: one cache warning per run, whatever the cause.
    log.warnOnce(
      'cache-unwritable',
      `session cache ${opts.dir} is not safe to use: ${state.reason}; running without it (hint: chmod 700 it if it is yours, or set DSOPS_CACHE_DIR)`,
    );
    return undefined;
  };

  return async () => {
    // The dir is judged before any name in it is read: in a dir others can write to, no name can be trusted.
    const before = dirState(false);
    if (!before) return provider();
    if (!opts.refresh && before.kind === 'ok') {
      const hit = lookup();
      if (hit) return hit;
    }
    const file = fileName();
    if (!dirState(true)) return provider();
    let release: (() => Promise<void>) | undefined;
    try {
      release = await lock(file, opts.lockTimeoutMs, spec.name, log);
    } catch (e) {
      if (e instanceof ResolveError) throw e;
      unwritable(e);
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
        operation: spec.operation ?? 'session',
        roleArn: spec.roleArn,
        region: info.region,
        createdAt: new Date(opts.now()).toISOString(),
        expiration: (creds.expiration ?? new Date(opts.now() + 3600_000)).toISOString(),
        credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken },
      };
      try {
        await writeEntry(file, entry);
      } catch (e) {
        unwritable(e);
      }
      return creds;
    } finally {
      await release?.().catch(() => undefined);
    }
  };
}

/**
 * proper-lockfile's lock is a directory. Anything else at its name (a file, a FIFO, a link, a socket) was not
 * made by a dsops process: it would be taken for a held lock until it looked stale, then fail to be removed,
 * so it is removed now. The cache dir has been checked to be ours alone, so nobody else can have put it there.
 */
function clearForeignLock(lockPath: string, store: string, log: Logger): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(lockPath);
  } catch {
    return; // no lock: the usual case
  }
  // proper-lockfile's lock dirs are always empty: a dir with contents was put there by something else, and
  // would fail its rmdir once stale.
  if (st.isDirectory() && !hasEntries(lockPath)) return;
  log.verbose(`store ${store}: removing ${lockPath}: it is not a lock directory`);
  try {
    removeCacheEntry(lockPath);
  } catch (e) {
    log.debug(`store ${store}: could not remove ${lockPath}: ${(e as NodeJS.ErrnoException).code}`);
  }
}

function hasEntries(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** A holder refreshes its lock's mtime every LOCK_UPDATE_MS; a lock older than LOCK_STALE_MS belonged to a dead process. */
export const LOCK_STALE_MS = 10_000;
const LOCK_UPDATE_MS = 2_000;
const LOCK_POLL_MS = 100;

/**
 * Takes `<file>.lock` with proper-lockfile (an atomic mkdir, kept fresh while held, removed on exit and on
 * signals). Tries once, says it is waiting (naming the holder's pid when its owner file gives one) if another
 * process holds it, then polls until `timeoutMs`. Once held, records this process in `<file>.owner`, and the
 * release removes that before unlocking, so a waiter never reads a finished run's pid.
 */
async function lock(file: string, timeoutMs: number, store: string, log: Logger): Promise<() => Promise<void>> {
  const release = await acquire(file, timeoutMs, store, log);
  try {
    await claimOwner(file);
  } catch (e) {
    // Only a waiter's message depends on it: the lock itself is held either way.
    log.debug(`store ${store}: could not record this run as the lock's holder (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return async () => {
    try {
      releaseOwner(file);
    } catch (e) {
      log.debug(`store ${store}: could not remove ${ownerFile(file)} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    await release();
  };
}

async function acquire(file: string, timeoutMs: number, store: string, log: Logger): Promise<() => Promise<void>> {
  clearForeignLock(`${file}.lock`, store, log);
  const lockfile = await import('proper-lockfile');
  const options = (retries: number): import('proper-lockfile').LockOptions => ({
    realpath: false,
    stale: LOCK_STALE_MS,
    update: LOCK_UPDATE_MS,
    retries: { retries, factor: 1, minTimeout: LOCK_POLL_MS, maxTimeout: LOCK_POLL_MS },
    // The default throws from a timer and kills the process; losing the lock only risks one extra STS call.
    onCompromised: (err) => log.debug(`store ${store}: lost the cache lock (${err.message}); continuing`),
  });
  let holder = '';
  try {
    try {
      return await lockfile.lock(file, options(0));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    // Read once, as the wait starts: the holder writes it right after taking the lock, before its STS call.
    const pid = readOwner(file);
    holder = pid === undefined ? '' : ` (pid ${pid})`;
    const notice = `store ${store}: waiting for another dsops process${holder} that is fetching this session (lock ${file}.lock)`;
    const label = `store ${store}: waiting for another dsops run${holder} that holds the session lock`;
    return await waitWithNotice(log, label, notice, () => lockfile.lock(file, options(Math.max(1, Math.ceil(timeoutMs / LOCK_POLL_MS)))));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new ResolveError(
        `store ${store}: timed out after ${Math.round(timeoutMs / 1000)}s waiting for another dsops process${holder} to finish this session`,
        'E_LOCK_TIMEOUT',
        store,
        `another dsops run may be waiting at an MFA prompt; finish it, or raise DSOPS_LOCK_TIMEOUT (seconds). Lock: ${file}.lock`,
      );
    }
    throw e;
  }
}
