/**
 * The contract of a store type. Everything dsops knows about one `type:` lives in its folder under
 * src/stores/ and is reached through one of these entries, listed once in registry.ts. config/, graph/
 * and resolve/ are written against this interface and never name a type.
 */
import type { CredentialProvider } from '../aws/credentials';
import type { StoreContext } from '../config/store-context';
import type { StoreSpecBase } from '../config/types';
import type { Logger } from '../log';
import type { MfaRequest } from '../resolve/mfa';

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
  mfa: (req: MfaRequest) => Promise<string>;
  env: Record<string, string | undefined>;
}

/** A value read for a var, or why it could not be (named in the var's terms by the resolver). */
export type ReadValue = string | { problem: string };

/** A store that makes a session other stores can sign with (credentials_from). */
export interface SessionMaker<S> {
  /**
   * Everything that identifies the session this store would get, given the identity of the credentials
   * that sign its call. Equal keys share one session within a run and one file in the cache.
   */
  key(spec: S, region: string, endpoint: string | undefined, upstreamKey: string): string;
  /** One call that makes the session; caching, locking and single-flight are decorators added by the resolver. */
  provider(spec: S, deps: StoreDeps): CredentialProvider;
  /** What a cache file records about the session (never a credential). */
  label(spec: S): { operation: string; roleArn?: string };
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
  readonly schema: Record<string, unknown>;
  /** The service part of AWS_ENDPOINT_URL_<SERVICE> for this type's calls (SDK convention), e.g. `SSM`. */
  readonly endpointEnv: string;
  /** Builds the spec, checking every rule of the type; problems go to `ctx`. */
  prepare(ctx: StoreContext): S | undefined;
  /** Set when the store makes a session other stores can take credentials from. */
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
