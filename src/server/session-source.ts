/**
 * One store's session, fetched the way `exec` fetches it (the persistent cache and its lock, sessions
 * shared by key), but rebuilt on every call: the provider tree memoizes each session for a run, and a
 * long-lived caller (the credential endpoint, a re-invoked credential_process) needs a stale session and
 * every stale hop below it made again. Fresh entries are cache hits, so a call costs file reads only.
 */
import type { Credentials } from '../aws/credentials';
import type { PreparedEnv } from '../config/types';
import type { Logger } from '../log';
import type { MfaCodes } from '../resolve/mfa';
import { resolveRegions } from '../resolve/regions';
import { SessionDecorator, wireStores } from '../resolve/wire-stores';
import { STORE_TYPES } from '../stores/registry';

export interface SessionSourceOptions {
  env: Record<string, string | undefined>;
  log: Logger;
  mfa: MfaCodes;
  decorateSession?: SessionDecorator;
}

export function sessionSource(prepared: PreparedEnv, store: string, o: SessionSourceOptions): () => Promise<Credentials> {
  let regions: Promise<Map<string, string>> | undefined;
  return async () => {
    regions ??= resolveRegions(prepared, o.env);
    const runtimes = wireStores(prepared, STORE_TYPES, { regions: await regions, env: o.env, log: o.log, mfa: o.mfa, decorateSession: o.decorateSession });
    const session = runtimes.get(store)?.session;
    if (!session) throw new Error(`store ${store} makes no session`);
    return session();
  };
}
