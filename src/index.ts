/**
 * dsops as a library: load a config, prepare an env, resolve its values.
 *
 * @example
 * const { values } = await resolveEnv('dsops.yaml', 'production');
 */
import { makeScope } from './config/interpolate';
import { loadConfig, parseConfig } from './config/load';
import { prepareAll, prepareEnv } from './prepare';
import type { ConfigSource } from './config/source';
import { resolvePrepared, ResolveOptions, ResolvedEnv } from './resolve/resolve-env';

export { loadConfig, parseConfig, prepareEnv, prepareAll, makeScope, resolvePrepared };
export { ConfigError, ResolveError, DsopsError, EXIT, formatIssue } from './errors';
export type { ConfigIssue, SourceLocation } from './errors';
export type { PreparedEnv, StoreSpec, StoreSpecBase, VarBinding } from './config/types';
export type { StsSpec } from './stores/aws-sts/types';
export type { SecretsManagerSpec } from './stores/aws-secretsmanager/spec';
export type { SsmSpec } from './stores/aws-ssm';
export type { StoreType, StoreRegistry } from './store-type';
export { STORE_TYPES } from './stores/registry';
export type { ResolveOptions, ResolvedEnv, SessionDecorator, SessionInfo } from './resolve/resolve-env';
export type { ConfigSource } from './config/source';
export { cachedSession } from './cache/cached-session';
export { childEnv } from './exec/child-env';
export { Logger } from './log';

/**
 * Loads `config` (a path or an already parsed source), prepares `envName` and resolves every value.
 * Throws ConfigError (exit 2 semantics) before any AWS call, or ResolveError on an AWS failure.
 */
export async function resolveEnv(
  config: string | ConfigSource,
  envName: string,
  options: ResolveOptions & { now?: Date } = {},
): Promise<ResolvedEnv> {
  const source = typeof config === 'string' ? loadConfig(config) : config;
  const env = options.env ?? process.env;
  const prepared = prepareEnv(source, envName, makeScope(env, options.now ?? new Date()));
  return resolvePrepared(prepared, { ...options, env });
}
