/** Fixtures the session-cache tests share: a cache entry and an aws.sts spec, with what each test varies. */
import { CACHE_FORMAT, SessionEntry } from '../../src/cache/session-file';
import type { StsSpec } from '../../src/stores/aws-sts/types';

/** A one-hour session for store `prod`, created at `t0`, with the given key. */
export function sessionEntry(key: string, t0: number, over: Partial<SessionEntry> = {}): SessionEntry {
  return {
    format: CACHE_FORMAT,
    key,
    store: 'prod',
    operation: 'assume-role',
    roleArn: 'arn:aws:iam::111111111111:role/Deploy',
    region: 'us-east-1',
    createdAt: new Date(t0).toISOString(),
    expiration: new Date(t0 + 3600_000).toISOString(),
    credentials: { accessKeyId: 'ASIACACHED', secretAccessKey: 'cached-secret', sessionToken: 'cached-token' },
    ...over,
  };
}

/** An AssumeRole spec for store `prod` (role Deploy), cache on. */
export function stsSpec(over: Partial<StsSpec> = {}): StsSpec {
  return {
    name: 'prod',
    type: 'aws.sts',
    operation: 'assume-role',
    roleArn: 'arn:aws:iam::111111111111:role/Deploy',
    roleSessionName: 'dsops-tester',
    roleSessionNameStable: 'dsops-tester',
    tokenCode: () => undefined,
    policyArns: [],
    tags: [],
    transitiveTagKeys: [],
    cache: { enabled: true },
    ...over,
  };
}
