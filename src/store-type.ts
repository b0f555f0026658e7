/**
 * The contract of a store type. Everything dsops knows about one `type:` lives in its folder under
 * src/stores/ and is reached through an entry of this shape, listed once in src/stores/registry.ts.
 * config/, graph/ and resolve/ are written against this interface and never name a type; the registry is
 * handed to them (config/ never imports stores/).
 */
import type { CredentialProvider } from './aws/credentials';
import type { StoreContext } from './config/store-context';
import type { StoreSpecBase } from './config/types';
import type { Logger } from './log';
import type { MfaCodes } from './resolve/mfa';

/** An env's `from:` after interpolation (everything but `store`). */
export interface FromRef {
  key: string;
  version_stage?: string;
  version_id?: string;
}

/**
 * A var bound to a store. `id` names the value it reads: vars with equal ids read once. `ref` is the
 * type's own parsed form of the key, handed back to its `read`.
 */
export interface Bound<R = unknown> {
  id: string;
  ref: R;
}

/** How a `from:` fails to bind: the problem, and which field of `from` it is about (default: key). */
export interface BindProblem {
  problem: string;
  hint?: string;
  field?: keyof FromRef;
}

export type BindResult<R> = { bound: Bound<R> } | BindProblem;

/** What a store's runtime code gets. */
export interface StoreDeps {
  /** Credentials that sign this store's calls: the upstream store's session, or the root chain. */
  source: CredentialProvider;
  region: string;
  /** The endpoint the SDK should use (store `endpoint`, then AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** Store names from the chain's root to this store, for messages. */
  hop: string[];
  log: Logger;
  mfa: MfaCodes;
  env: Record<string, string | undefined>;
  /** How long one call may take, retries included (request_timeout). */
  timeoutMs: number;
  /** Sessions on the longest chain through this store in the env, for `hop 2 of 3` in messages. */
  hopTotal?: number;
}

/** What a value reader needs: the credentials that sign its calls, and where and how long to call. */
export type ReaderDeps = Pick<StoreDeps, 'region' | 'endpoint' | 'hop' | 'log' | 'timeoutMs'> & { credentials: CredentialProvider };

/** A value read for a var, or why it could not be (the resolver names the var). */
export type ReadValue = string | { problem: string; code: string };

/** A store type whose stores make a session other stores can sign with (credentials_from). */
export interface SessionMaker<S> {
  /**
   * Everything that identifies the session this store would get, given the identity of the credentials
   * that sign its call. Equal keys share one session within a run and one file in the cache.
   */
  key(spec: S, region: string, endpoint: string | undefined, upstreamKey: string): string;
  /** One call that makes the session; caching, locking and single-flight are decorators the resolver adds. */
  provider(spec: S, deps: StoreDeps): CredentialProvider;
  /** Whether this store calls AWS with its own credentials rather than a source's (no credentials_from, no root chain). */
  selfSigned?(spec: S): boolean;
}

export interface PlanInfo {
  /** One line for `plan`: what this store does, e.g. `assume-role arn:... [MFA]`. */
  summary: string;
  /** Extra fields for `plan --json`. */
  details: Record<string, unknown>;
}

export interface StoreType<S extends StoreSpecBase = StoreSpecBase, R = unknown> {
  readonly type: string;
  /** The JSON Schema of one store of this type; scripts/build.js assembles schemas/dsops.schema.json from these. */
  readonly schema: { properties?: Record<string, unknown> } & Record<string, unknown>;
  /** The service part of AWS_ENDPOINT_URL_<SERVICE> for this type's calls (the SDK's convention), e.g. `SSM`. */
  readonly endpointService: string;
  /** Builds the spec, checking every rule of the type; problems go to `ctx`. */
  prepare(ctx: StoreContext): S | undefined;
  /** Set when the type's stores make sessions other stores can take credentials from. */
  readonly session?: SessionMaker<S>;
  /** Parses and checks an env's `from` for this store. */
  bind(from: FromRef): BindResult<R>;
  /**
   * Reads every distinct value the env needs from this store, in as few calls as it can. `credentials`
   * is the store's own session for a session maker, else its source. Values by Bound.id.
   */
  read(spec: S, refs: Bound<R>[], deps: StoreDeps & { credentials: CredentialProvider }): Promise<Map<string, ReadValue>>;
  /** How `plan` shows the store. */
  describe(spec: S): PlanInfo;
}

/** Any store type, whatever its spec and ref: a registry holds several, each typed in its own folder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStoreType = StoreType<any, any>;

/** Every store type dsops knows, by `type:`. */
export type StoreRegistry = ReadonlyMap<string, AnyStoreType>;

/** Looks a type up; `undefined` for one dsops does not know (the schema has reported it). */
export function storeType(registry: StoreRegistry, type: unknown): AnyStoreType | undefined {
  return typeof type === 'string' ? registry.get(type) : undefined;
}
