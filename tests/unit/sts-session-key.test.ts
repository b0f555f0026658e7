import { makeScope, parseConfig, prepareEnv } from '../../src';
import { rootIdentity } from '../../src/aws/root-credentials';
import { sessionKey, stsEndpoint } from '../../src/stores/aws-sts/session-key';
import type { StsSpec } from '../../src/stores/aws-sts/types';

const base: StsSpec = {
  name: 'prod',
  type: 'aws.sts',
  operation: 'assume-role',
  roleArn: 'arn:aws:iam::111111111111:role/Deploy',
  roleSessionName: 'dsops-alice',
  roleSessionNameStable: 'dsops-alice',
  durationSeconds: 3600,
  externalId: 'ext-1',
  serialNumber: 'arn:aws:iam::111111111111:mfa/alice',
  tokenCode: () => '123456',
  sessionPolicy: '{"Version":"2012-10-17","Statement":[]}',
  policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  tags: [{ Key: 'team', Value: 'core' }],
  transitiveTagKeys: ['team'],
  sourceIdentity: 'alice',
  cache: { enabled: true },
};
const REGION = 'eu-west-1';
const ENDPOINT = 'https://sts.eu-west-1.amazonaws.com';
const UPSTREAM = 'profile:dev';
const keyOf = (s: StsSpec, region = REGION, endpoint: string | undefined = ENDPOINT, upstream = UPSTREAM) =>
  sessionKey(s, region, endpoint, upstream);

describe('sessionKey: every field that changes the session changes the key', () => {
  const baseKey = keyOf(base);

  it('is stable for the same inputs, and is the identity itself (canonical JSON), not a digest of it', () => {
    expect(keyOf({ ...base })).toBe(baseKey);
    const [own, upstream] = baseKey.split('\n');
    expect(JSON.parse(own)).toMatchObject({ roleArn: base.roleArn, externalId: 'ext-1', region: REGION });
    expect(upstream).toBe(UPSTREAM);
  });

  it('carries no token code and no secret', () => {
    expect(baseKey).not.toContain('123456');
  });

  it('a chain grows by one line per hop, without escaping the hops before it again', () => {
    const hop2 = keyOf(base, REGION, ENDPOINT, baseKey);
    const hop3 = keyOf(base, REGION, ENDPOINT, hop2);
    const lines = hop3.split('\n');
    expect(lines).toHaveLength(4); // three hops and the root identity
    // The same spec at every hop: each hop's line is exactly the first hop's, not an escaped copy of it.
    expect(new Set(lines.slice(0, 3))).toEqual(new Set([baseKey.split('\n')[0]]));
    expect(hop3.endsWith(baseKey)).toBe(true);
  });

  const edits: [string, Partial<StsSpec>][] = [
    ['role ARN', { roleArn: 'arn:aws:iam::111111111111:role/Other' }],
    ['external ID', { externalId: 'ext-2' }],
    ['external ID removed', { externalId: undefined }],
    ['session policy', { sessionPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}' }],
    ['policy ARNs', { policyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'] }],
    ['policy ARN added', { policyArns: [...base.policyArns, 'arn:aws:iam::aws:policy/PowerUserAccess'] }],
    ['tag value', { tags: [{ Key: 'team', Value: 'platform' }] }],
    ['tag key', { tags: [{ Key: 'owner', Value: 'core' }] }],
    ['transitive tag keys', { transitiveTagKeys: [] }],
    ['source identity', { sourceIdentity: 'bob' }],
    ['duration', { durationSeconds: 900 }],
    ['duration unset', { durationSeconds: undefined }],
    ['MFA serial', { serialNumber: 'arn:aws:iam::111111111111:mfa/bob' }],
    ['MFA serial removed', { serialNumber: undefined }],
    ['operation', { operation: 'get-session-token' }],
    ['stable part of the session name', { roleSessionNameStable: 'dsops-bob' }],
  ];
  it.each(edits)('%s', (_field, edit) => {
    expect(keyOf({ ...base, ...edit })).not.toBe(baseKey);
  });

  it('region', () => expect(keyOf(base, 'us-east-1')).not.toBe(baseKey));
  it('endpoint', () => expect(keyOf(base, REGION, 'http://127.0.0.1:5000')).not.toBe(baseKey));
  it('endpoint unset (SDK default) differs from an explicit one', () =>
    expect(sessionKey(base, REGION, undefined, UPSTREAM)).not.toBe(baseKey));
  it('upstream store key / root identity', () => {
    expect(keyOf(base, REGION, ENDPOINT, 'profile:prod')).not.toBe(baseKey);
    expect(keyOf(base, REGION, ENDPOINT, keyOf(base))).not.toBe(baseKey);
  });

  it('all the edits give distinct keys', () => {
    const keys = new Set(edits.map(([, e]) => keyOf({ ...base, ...e })));
    expect(keys.size).toBe(edits.length);
  });

  it('token_code is left out: a new code is the same session', () => {
    expect(keyOf({ ...base, tokenCode: () => '654321' })).toBe(baseKey);
    expect(keyOf({ ...base, tokenCode: () => undefined })).toBe(baseKey);
  });

  it('the expanded session name (with its timestamp) is left out; only the stable part counts', () => {
    expect(keyOf({ ...base, roleSessionName: 'dsops-alice-20260101T000000Z' })).toBe(baseKey);
  });

  it('cache settings are not part of the session', () => {
    expect(keyOf({ ...base, cache: { enabled: true, refreshBeforeSeconds: 60 } })).toBe(baseKey);
  });
});

describe('sessionKey through the config: ${TIMESTAMP} and token_code', () => {
  const yaml = (extra: string) => `
version: 1
secretStores:
  prod:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::111111111111:role/Deploy
    role_session_name: dsops-\${USER}-\${TIMESTAMP}
    serial_number: arn:aws:iam::111111111111:mfa/alice
    token_code: \${MFA_TOKEN}
${extra}
envs:
  prod:
    KEY: { from: { store: prod, key: AccessKeyId } }
`;
  const specAt = (now: Date, env: Record<string, string>, extra = '') =>
    prepareEnv(parseConfig(yaml(extra), 'dsops.yaml'), 'prod', makeScope(env, now)).stores.get('prod') as StsSpec;
  const key = (s: StsSpec) => sessionKey(s, 'us-east-1', undefined, UPSTREAM);

  it('two runs at different times send different names but share a key', () => {
    const a = specAt(new Date('2026-01-01T10:00:00Z'), { USER: 'alice', MFA_TOKEN: '123456' });
    const b = specAt(new Date('2026-01-01T10:07:31Z'), { USER: 'alice', MFA_TOKEN: '654321' });
    expect(a.roleSessionName).toBe('dsops-alice-20260101T100000Z');
    expect(b.roleSessionName).toBe('dsops-alice-20260101T100731Z');
    expect(key(a)).toBe(key(b));
  });

  it('an unset MFA_TOKEN is not a config error and does not change the key', () => {
    const a = specAt(new Date('2026-01-01T10:00:00Z'), { USER: 'alice', MFA_TOKEN: '123456' });
    const b = specAt(new Date('2026-01-01T11:00:00Z'), { USER: 'alice' });
    expect(b.tokenCode()).toBeUndefined();
    expect(key(a)).toBe(key(b));
  });

  it('the non-volatile part of the name (USER) still counts', () => {
    const a = specAt(new Date('2026-01-01T10:00:00Z'), { USER: 'alice' });
    const b = specAt(new Date('2026-01-01T10:00:00Z'), { USER: 'bob' });
    expect(key(a)).not.toBe(key(b));
  });

  it('a config edit to external_id or duration changes the key', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const a = key(specAt(now, { USER: 'alice' }));
    expect(key(specAt(now, { USER: 'alice' }, '    external_id: ext-123'))).not.toBe(a);
    expect(key(specAt(now, { USER: 'alice' }, '    duration: 30m'))).not.toBe(a);
  });
});

describe('rootIdentity: who the root credentials are, never the key itself', () => {
  const KEY = 'AKIAIOSFODNN7EXAMPLE';
  it('a profile is named', () => {
    expect(rootIdentity('dev', {})).toBe('profile:dev');
    expect(rootIdentity(undefined, { AWS_PROFILE: 'ops', AWS_ACCESS_KEY_ID: KEY })).toBe('profile:ops');
  });
  it('an access key id is digested, never included', () => {
    const id = rootIdentity(undefined, { AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(id).toMatch(/^key:[0-9a-f]{16}$/);
    expect(id).not.toContain(KEY);
    expect(id).not.toContain('secret');
    expect(rootIdentity(undefined, { AWS_ACCESS_KEY_ID: 'AKIAOTHERKEYEXAMPLE1' })).not.toBe(id);
  });
  it('different root identities give different session keys', () => {
    const a = keyOf(base, REGION, ENDPOINT, rootIdentity(undefined, { AWS_ACCESS_KEY_ID: KEY }));
    const b = keyOf(base, REGION, ENDPOINT, rootIdentity(undefined, { AWS_ACCESS_KEY_ID: 'AKIAOTHERKEYEXAMPLE1' }));
    const c = keyOf(base, REGION, ENDPOINT, rootIdentity('dev', {}));
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

describe('stsEndpoint: the endpoint in the key is the one the SDK would use', () => {
  it('store, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL', () => {
    expect(stsEndpoint('http://store', { AWS_ENDPOINT_URL_STS: 'http://sts', AWS_ENDPOINT_URL: 'http://all' })).toBe('http://store');
    expect(stsEndpoint(undefined, { AWS_ENDPOINT_URL_STS: 'http://sts', AWS_ENDPOINT_URL: 'http://all' })).toBe('http://sts');
    expect(stsEndpoint(undefined, { AWS_ENDPOINT_URL: 'http://all' })).toBe('http://all');
    expect(stsEndpoint(undefined, {})).toBeUndefined();
  });
});
