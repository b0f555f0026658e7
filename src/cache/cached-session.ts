import * as fs from 'fs';
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
  const file = entryFile(opts.dir, key);
  const margin = spec.cache.refreshBeforeSeconds;
  const { log } = opts;

  const lookup = (): Credentials | undefined => {
    const r = readEntry(file);
    if (r.kind === 'hit') {
      const exp = Date.parse(r.entry.expiration);
      const lifetime = (exp - Date.parse(r.entry.createdAt)) / 1000;
      if (isReusable(opts.now(), exp, lifetime, margin)) {
        log.verbose(`store ${spec.name}: cached session, expires ${r.entry.expiration}`);
        return toCredentials(r.entry);
      }
      log.debug(`store ${spec.name}: cached session is inside its refresh margin; renewing`);
    } else if (r.kind === 'bad') {
      log.verbose(`store ${spec.name}: ignoring cache file ${file}: ${r.reason}; it will be replaced`);
    } else if (r.kind === 'untrusted') {
      log.warn(`store ${spec.name}: deleting untrusted cache file ${file}: ${r.reason}`);
      fs.rmSync(file, { force: true });
    }
    return undefined;
  };

  return async () => {
    if (!opts.refresh) {
      const hit = lookup();
      if (hit) return hit;
    }
    let release: (() => Promise<void>) | undefined;
    try {
      ensureDir(opts.dir);
      release = await lock(file, opts.lockTimeoutMs, spec.name);
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

async function lock(file: string, timeoutMs: number, store: string): Promise<() => Promise<void>> {
  const lockfile = await import('proper-lockfile');
  const interval = 100;
  try {
    return await lockfile.lock(file, {
      realpath: false,
      // A holder refreshes its lock every `update` ms; one older than `stale` belonged to a dead process.
      stale: 10_000,
      update: 2_000,
      retries: { retries: Math.max(1, Math.ceil(timeoutMs / interval)), factor: 1, minTimeout: interval, maxTimeout: interval },
    });
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
