/** Cache settings after defaults: `cache: false` or `cache: {refresh_before}` at top level or per store. */
export interface CacheSetting {
  enabled: boolean;
  /** Explicit margin; when unset the default rule applies (15 min, or a quarter of short sessions). */
  refreshBeforeSeconds?: number;
}

interface StoreSpecBase {
  name: string;
  region?: string;
  profile?: string;
  endpoint?: string;
  /** Name of the aws.sts store whose credentials sign this store's calls. */
  credentialsFrom?: string;
  /** `request_timeout` of the store, else of the top level, in ms; unset means DSOPS_REQUEST_TIMEOUT or the default. */
  requestTimeoutMs?: number;
}

/** An aws.sts store after interpolation and every AWS rule has been checked. */
export interface StsSpec extends StoreSpecBase {
  type: 'aws.sts';
  operation: 'assume-role' | 'get-session-token';
  roleArn?: string;
  roleSessionName: string;
  /** The session name with `${TIMESTAMP}` left unexpanded, so a per-run name still hits the cache. */
  roleSessionNameStable: string;
  durationSeconds?: number;
  externalId?: string;
  serialNumber?: string;
  /** Interpolated only when a call is really made; undefined means "ask the user". */
  tokenCode: () => string | undefined;
  /** `token_code` as written (`${MFA_CODE}`), for messages that name the variable. */
  tokenTemplate?: string;
  /** Minified JSON. */
  sessionPolicy?: string;
  policyArns: string[];
  tags: { Key: string; Value: string }[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  cache: CacheSetting;
}

export interface SecretsManagerSpec extends StoreSpecBase {
  type: 'aws.secretsmanager';
}

export type StoreSpec = StsSpec | SecretsManagerSpec;

/** Keys an env can read from an aws.sts store. */
export const STS_KEYS = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'] as const;
export type StsKey = (typeof STS_KEYS)[number];

/** One variable of an env. */
export type VarBinding =
  | { name: string; kind: 'literal'; value: string }
  | { name: string; kind: 'sts'; store: string; key: StsKey }
  | {
      name: string;
      kind: 'secret';
      store: string;
      secretId: string;
      /** Dot path into a JSON SecretString. */
      field?: string;
      versionStage?: string;
      versionId?: string;
    };

/** Everything needed to resolve one env: only the stores it uses, in dependency order. */
export interface PreparedEnv {
  file: string;
  env: string;
  stores: Map<string, StoreSpec>;
  /** Topological order (dependencies first); used by `plan`. */
  order: string[];
  vars: VarBinding[];
}
