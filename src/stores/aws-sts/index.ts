import type { Credentials } from '../../aws/credentials';
import type { StoreType } from '../../store-type';
import { stsProvider } from './provider';
import { sessionKey } from './session-key';
import { checkStsKey, prepareSts } from './spec';
import { StsKey, StsSpec } from './types';
import schema = require('./schema.json');

/** `type: aws.sts`: a session (AssumeRole, GetSessionToken, AssumeRoleWithWebIdentity) an env reads and other stores sign with. */
export const awsSts: StoreType<StsSpec, StsKey> = {
  type: 'aws.sts',
  schema,
  endpointService: 'STS',
  prepare: prepareSts,
  session: {
    key: sessionKey,
    provider: stsProvider,
    selfSigned: (spec) => spec.operation === 'assume-role-with-web-identity',
  },
  bind(from) {
    if (from.version_stage !== undefined || from.version_id !== undefined) {
      return { problem: 'version_stage and version_id apply only to aws.secretsmanager stores', field: from.version_stage !== undefined ? 'version_stage' : 'version_id' };
    }
    const check = checkStsKey(from.key);
    return check.problem ? { problem: check.problem, hint: check.hint } : { bound: { id: from.key, ref: from.key as StsKey } };
  },
  async read(_spec, refs, deps) {
    // The region alone needs no session: it was resolved before any call.
    const c = refs.some((b) => b.ref !== 'Region') ? await deps.credentials() : undefined;
    return new Map(refs.map((b) => [b.id, b.ref === 'Region' ? deps.region : credentialField(c!, b.ref)]));
  },
  describe: (s) => ({
    summary: `${s.operation}${s.roleArn ? ' ' + s.roleArn : ''}${s.serialNumber ? ' [MFA]' : ''}`,
    details: { operation: s.operation, role_arn: s.roleArn, mfa: Boolean(s.serialNumber) },
  }),
};

function credentialField(c: Credentials, key: Exclude<StsKey, 'Region'>): string {
  switch (key) {
    case 'AccessKeyId':
      return c.accessKeyId;
    case 'SecretAccessKey':
      return c.secretAccessKey;
    case 'SessionToken':
      return c.sessionToken ?? '';
    case 'Expiration':
      return c.expiration ? new Date(c.expiration).toISOString() : '';
  }
}
