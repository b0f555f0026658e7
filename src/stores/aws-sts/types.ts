import type { CacheSetting, StoreSpecBase } from '../../config/types';
import type { TokenSource } from './web-identity-token';

export type StsOperation = 'assume-role' | 'get-session-token' | 'assume-role-with-web-identity';

/** An aws.sts store after interpolation and every AWS rule has been checked. */
export interface StsSpec extends StoreSpecBase {
  type: 'aws.sts';
  operation: StsOperation;
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
  /** assume-role-with-web-identity: where the OIDC token comes from (read only when a call is made). */
  webIdentity?: TokenSource;
  cache: CacheSetting;
}

/** Keys an env can read from an aws.sts store. */
/** Region is the store's resolved region, not part of the session: what a child needs beside the keys. */
export const STS_KEYS = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration', 'Region'] as const;
export type StsKey = (typeof STS_KEYS)[number];
