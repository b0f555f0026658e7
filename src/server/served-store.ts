/**
 * Which session `exec --server` and `credential-process --env` hand out: the session-making store the env
 * binds to AWS_ACCESS_KEY_ID. Decided from the prepared config alone, before any AWS call.
 */
import { ConfigError } from '../errors';
import type { ConfigSource } from '../config/source';
import type { PreparedEnv } from '../config/types';
import { STORE_TYPES } from '../stores/registry';
import { storeType, StoreRegistry } from '../store-type';

export function servedStore(prepared: PreparedEnv, source: ConfigSource, command: string, registry: StoreRegistry = STORE_TYPES): string {
  const v = prepared.vars.find((x) => x.name === 'AWS_ACCESS_KEY_ID');
  if (v?.kind === 'store' && storeType(registry, prepared.stores.get(v.store)?.type)?.session) return v.store;
  const path = ['envs', prepared.env, ...(v ? ['AWS_ACCESS_KEY_ID'] : [])];
  throw new ConfigError([
    {
      code: 'E_NO_SESSION_STORE',
      message: v
        ? `env ${prepared.env}: ${command} serves the session of the store AWS_ACCESS_KEY_ID comes from, and this one is not an STS store`
        : `env ${prepared.env}: ${command} serves the session of the STS store the env binds to AWS_ACCESS_KEY_ID, and it binds none`,
      hint: 'add AWS_ACCESS_KEY_ID: { from: { store: <an aws.sts store>, key: AccessKeyId } } to the env',
      path,
      loc: source.locate(path, true),
    },
  ]);
}
