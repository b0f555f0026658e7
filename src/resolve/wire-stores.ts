import { requestTimeoutMs } from '../aws/client-config';
import { CredentialProvider, singleFlight } from '../aws/credentials';
import { serviceEndpoint } from '../aws/endpoint';
import { rootCredentials, rootIdentity } from '../aws/root-credentials';
import type { SessionInfo } from '../cache/cached-session';
import type { PreparedEnv, StoreSpec } from '../config/types';
import type { Logger } from '../log';
import { AnyStoreType, storeType, StoreDeps, StoreRegistry } from '../store-type';
import type { MfaCodes } from './mfa';

/** Wraps a session provider, e.g. with the persistent session cache. */
export type SessionDecorator = (provider: CredentialProvider, info: SessionInfo) => CredentialProvider;

/** One store, ready to run: its type, its spec, what its calls need, and its session if it makes one. */
export interface StoreRuntime {
  type: AnyStoreType;
  spec: StoreSpec;
  deps: StoreDeps;
  /** A session maker's session: decorated (cache), single-flight, shared by every store with the same key. */
  session?: CredentialProvider;
  /** The session's identity, which the next hop's key builds on. */
  key?: string;
}

export interface WireOptions {
  regions: Map<string, string>;
  env: Record<string, string | undefined>;
  log: Logger;
  mfa: MfaCodes;
  decorateSession?: SessionDecorator;
}

/**
 * Builds the provider tree: each store's calls are signed by its source (the upstream store's session, or
 * the root credential chain), and each session maker's one call is decorated, then shared by key, so
 * identical sessions are made once. Nothing is called here: providers run when a value is read.
 */
export function wireStores(prepared: PreparedEnv, registry: StoreRegistry, o: WireOptions): Map<string, StoreRuntime> {
  const runtimes = new Map<string, StoreRuntime>();
  const sessions = new Map<string, CredentialProvider>();
  const hopTotal = chainLengths(prepared, (n) => storeType(registry, prepared.stores.get(n)?.type)?.session !== undefined);
  for (const name of prepared.order) {
    const spec = prepared.stores.get(name)!;
    const type = storeType(registry, spec.type)!;
    const upstream = spec.credentialsFrom ? runtimes.get(spec.credentialsFrom) : undefined;
    const timeoutMs = requestTimeoutMs(spec.requestTimeoutMs, o.env);
    const region = o.regions.get(name)!;
    const deps: StoreDeps = {
      source: upstream?.session ?? rootCredentials(name, spec.profile, o.env, timeoutMs),
      region,
      endpoint: serviceEndpoint(spec.endpoint, o.env, type.endpointService),
      hop: [...(upstream?.deps.hop ?? []), name],
      log: o.log,
      mfa: o.mfa,
      env: o.env,
      timeoutMs,
      hopTotal: hopTotal.get(name) ?? 1,
    };
    const rt: StoreRuntime = { type, spec, deps };
    if (type.session) {
      rt.key = type.session.key(spec, region, deps.endpoint, upstream?.key ?? rootIdentity(spec.profile, o.env));
      let session = sessions.get(rt.key);
      if (!session) {
        const raw = type.session.provider(spec, deps);
        session = singleFlight(o.decorateSession ? o.decorateSession(raw, { spec, key: rt.key, region }) : raw);
        sessions.set(rt.key, session);
      } else o.log.debug(`store ${name}: same session as an earlier store; sharing it`);
      rt.session = session;
    }
    runtimes.set(name, rt);
  }
  return runtimes;
}

/**
 * For each store, the number of sessions on the longest chain through it in this env (from its root to
 * the deepest session signed by it), so messages say `hop 2 of 3`, not `hop 2 of 2`.
 */
function chainLengths(prepared: PreparedEnv, makesSession: (store: string) => boolean): Map<string, number> {
  const depth = new Map<string, number>();
  const below = new Map<string, number>();
  for (const name of prepared.order) {
    const from = prepared.stores.get(name)?.credentialsFrom;
    depth.set(name, from ? (depth.get(from) ?? 1) + 1 : 1);
  }
  for (const name of [...prepared.order].reverse()) {
    const from = prepared.stores.get(name)?.credentialsFrom;
    if (from && makesSession(name)) below.set(from, Math.max(below.get(from) ?? 0, (below.get(name) ?? 0) + 1));
  }
  return new Map(prepared.order.map((n) => [n, (depth.get(n) ?? 1) + (below.get(n) ?? 0)]));
}
