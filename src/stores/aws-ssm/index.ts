import type { StoreContext } from '../../config/store-context';
import type { StoreSpecBase } from '../../config/types';
import type { StoreType } from '../../store-type';
import { ParameterRef, parseParameterKey, refText } from './key';
import schema = require('./schema.json');

export interface SsmSpec extends StoreSpecBase {
  type: 'aws.ssm';
}

/** `type: aws.ssm`: SSM Parameter Store, read with GetParameters (10 names a call, SecureStrings decrypted). */
export const awsSsm: StoreType<SsmSpec, ParameterRef> = {
  type: 'aws.ssm',
  schema,
  endpointService: 'SSM',
  prepare: (ctx: StoreContext): SsmSpec => ({
    name: ctx.name,
    type: 'aws.ssm',
    region: ctx.str('region'),
    profile: ctx.str('profile'),
    endpoint: ctx.str('endpoint'),
    credentialsFrom: ctx.raw.credentials_from as string | undefined,
    requestTimeoutMs: ctx.requestTimeoutMs(),
  }),
  bind(from) {
    if (from.version_stage !== undefined || from.version_id !== undefined) {
      return {
        problem: 'version_stage and version_id are Secrets Manager fields; for a parameter write key: NAME:VERSION or NAME:LABEL',
        field: from.version_stage !== undefined ? 'version_stage' : 'version_id',
      };
    }
    const r = parseParameterKey(from.key);
    return r.ref ? { bound: { id: refText(r.ref), ref: r.ref } } : { problem: r.problem!, hint: r.hint };
  },
  async read(spec, refs, deps) {
    const { readParameters } = await import('./reader');
    return readParameters(spec.name, refs.map((b) => b.ref), deps);
  },
  describe: () => ({ summary: 'parameters', details: {} }),
};
