/**
 * Who each hop is: GetCallerIdentity signed by the root credentials and by each session of a prepared env
 * (or one store's chain), in chain order. Sessions are asked for exactly as `exec` asks for them, through
 * the same cache and lock, so whoami makes no AssumeRole that exec would not make: a hop exec would skip
 * (because a later hop's session is cached) is shown only if its own session is cached too.
 */
import { callerIdentity, CallerIdentityError } from '../aws/caller-identity';
import type { Credentials } from '../aws/credentials';
import { detectSource, ProfileData } from '../aws/credential-source';
import { serviceEndpoint } from '../aws/endpoint';
import { rootIdentity } from '../aws/root-credentials';
import type { PreparedEnv } from '../config/types';
import { ResolveError } from '../errors';
import type { Logger } from '../log';
import type { StoreRegistry } from '../store-type';
import type { MfaCodes } from './mfa';
import { resolveRegions } from './regions';
import { SessionDecorator, StoreRuntime, wireStores } from './wire-stores';

export interface Identity {
  arn: string;
  account: string;
  userId: string;
}

export interface RootHop {
  kind: 'root';
  /** Where the root credentials come from, in words: `environment keys (AWS_ACCESS_KEY_ID)`, `profile dev (SSO)`. */
  source: string;
  /** The stores whose calls the root credentials sign. */
  signs: string[];
  identity: Identity;
}

export interface SessionHop {
  kind: 'session';
  store: string;
  /** Store names from the first hop to this one. */
  path: string[];
  hop: number;
  of: number;
  /** Absent when the hop was not looked up (see `skipped`). */
  identity?: Identity;
  expiration?: Date;
  /** Whether the session came from the persistent cache rather than a new STS call. */
  fromCache?: boolean;
  /** Why there is no identity: exec would not make this session now, and none is cached. */
  skipped?: string;
}

export type Hop = RootHop | SessionHop;

export interface WhoamiOptions {
  env: Record<string, string | undefined>;
  log: Logger;
  mfa: MfaCodes;
  registry: StoreRegistry;
  decorateSession?: SessionDecorator;
  /** The stores a run would read (an env's bound stores, or the one store named); their sessions are asked for first. */
  targets: string[];
  /** The shared AWS config files' profiles, to name where root credentials come from (as doctor does). */
  loadProfiles: () => Promise<Record<string, ProfileData>>;
}

/** Raised inside a hop's provider when whoami may look only in the cache: exec would not make this session. */
class NotCached extends Error {}

interface SessionState {
  allowCall: boolean;
  called: boolean;
}

export async function whoami(prepared: PreparedEnv, o: WhoamiOptions): Promise<Hop[]> {
  const regions = await resolveRegions(prepared, o.env);
  const states = new Map<string, SessionState>();
  // Each session's own STS call runs through `guarded`: it says whether the session was made now or came
  // from the cache, and it refuses the call when whoami may only look in the cache.
  const decorate: SessionDecorator = (raw, info) => {
    const state: SessionState = { allowCall: true, called: false };
    states.set(info.key, state);
    const guarded = async (): Promise<Credentials> => {
      if (!state.allowCall) throw new NotCached();
      state.called = true;
      return raw();
    };
    return o.decorateSession ? o.decorateSession(guarded, info) : guarded;
  };
  const runtimes = wireStores(prepared, o.registry, { regions, env: o.env, log: o.log, mfa: o.mfa, decorateSession: decorate });

  // First, what exec would ask for: the session (or source) of each store it reads.
  // Sessions are single-flight: what is fetched here is kept for the rest of the run.
  for (const name of o.targets) {
    const rt = runtimes.get(name)!;
    await (rt.session ?? rt.deps.source)();
  }
  // Then every other hop, from the cache only.
  for (const state of states.values()) state.allowCall = false;

  const hops: Hop[] = [];
  const roots = new Map<string, RootHop>();
  let profiles: Record<string, ProfileData> | undefined;
  for (const name of prepared.order) {
    const rt = runtimes.get(name)!;
    if (!rt.spec.credentialsFrom && !rt.type.session?.selfSigned?.(rt.spec as never)) {
      const id = rootIdentity(rt.spec.profile, o.env);
      const seen = roots.get(id);
      if (seen) seen.signs.push(name);
      else {
        const creds = await rt.deps.source();
        profiles ??= await o.loadProfiles().catch(() => ({}));
        const root: RootHop = {
          kind: 'root',
          source: detectSource(rt.spec.profile, o.env, profiles).describe,
          signs: [name],
          identity: await identify(creds, rt, 'the root credentials', o.env),
        };
        roots.set(id, root);
        hops.push(root);
      }
    }
    if (rt.session && rt.key) hops.push(await sessionHop(name, rt, states.get(rt.key), o.env));
  }
  return hops;
}

async function sessionHop(
  name: string,
  rt: StoreRuntime,
  state: SessionState | undefined,
  env: Record<string, string | undefined>,
): Promise<SessionHop> {
  const base = { kind: 'session' as const, store: name, path: rt.deps.hop, hop: rt.deps.hop.length, of: Math.max(rt.deps.hop.length, rt.deps.hopTotal ?? 0) };
  let creds: Credentials;
  try {
    creds = await rt.session!();
  } catch (e) {
    if (!(e instanceof NotCached)) throw e;
    return { ...base, skipped: 'no cached session, and exec would not make one now (a later hop is cached)' };
  }
  return { ...base, identity: await identify(creds, rt, `store ${name}'s session`, env), expiration: creds.expiration, fromCache: state ? !state.called : false };
}

/** GetCallerIdentity through the STS endpoint this store's chain uses. */
async function identify(creds: Credentials, rt: StoreRuntime, whose: string, env: Record<string, string | undefined>): Promise<Identity> {
  const endpoint = rt.type.endpointService === 'STS' ? rt.deps.endpoint : serviceEndpoint(undefined, env, 'STS');
  try {
    const id = await callerIdentity(creds, { region: rt.deps.region, endpoint, timeoutMs: rt.deps.timeoutMs });
    return { arn: id.arn, account: id.account, userId: id.userId };
  } catch (e) {
    if (!(e instanceof CallerIdentityError)) throw e;
    const hop = rt.deps.hop.length > 1 ? ` (hop ${rt.deps.hop.length}: ${rt.deps.hop.join(' → ')})` : '';
    throw new ResolveError(
      `store ${rt.spec.name}${hop}: GetCallerIdentity with ${whose} failed: ${e.failure.code}: ${e.failure.detail}`,
      'E_STS',
      rt.spec.name,
      undefined,
      e.failure.code,
    );
  }
}
