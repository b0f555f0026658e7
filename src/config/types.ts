/** Cache settings after defaults: `cache: false` or `cache: {refresh_before}` at top level or per store. */
export interface CacheSetting {
  enabled: boolean;
  /** Explicit margin; when unset the default rule applies (15 min, or a quarter of short sessions). */
  refreshBeforeSeconds?: number;
}

/**
 * What every store's spec holds, whatever its type: the fields config/ and resolve/ work with. A type's
 * own spec (src/stores/<type>/types.ts) extends it.
 */
export interface StoreSpecBase {
  name: string;
  type: string;
  region?: string;
  profile?: string;
  endpoint?: string;
  /** Name of the store whose session signs this store's calls. */
  credentialsFrom?: string;
  /** `request_timeout` of the store, else of the top level, in ms; unset means DSOPS_REQUEST_TIMEOUT or the default. */
  requestTimeoutMs?: number;
  /** The persistent session cache setting, for stores that make sessions. */
  cache?: CacheSetting;
  /** The MFA device this store's call needs a code from, if any: one code serves one call per run. */
  mfaDevice?: string;
}

/** A store's spec as prepared: the base fields plus whatever its type adds. */
export type StoreSpec = StoreSpecBase;

/** One variable of an env: a literal, or a value a store reads. */
export type VarBinding =
  | { name: string; kind: 'literal'; value: string }
  | {
      name: string;
      kind: 'store';
      store: string;
      /** Names the value read: vars with equal ids in one store read once. */
      id: string;
      /** The store type's own parsed form of the key. */
      ref: unknown;
      /** Whether the value is a credential of a session (masking and `plan` treat every store value as secret). */
      credential: boolean;
    };

/** Everything needed to resolve one env: only the stores it uses, in dependency order. */
export interface PreparedEnv {
  file: string;
  env: string;
  stores: Map<string, StoreSpec>;
  /** Topological order (dependencies first); used by `plan`. */
  order: string[];
  vars: VarBinding[];
  /** The env's own `mask: true|false` (what `exec` does when neither --mask nor --no-mask is given). */
  mask?: boolean;
  /** The env's own `server: true|false` (`exec --server` without the flag). */
  server?: boolean;
}
