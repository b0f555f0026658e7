import { envTimeoutProblem } from '../aws/client-config';
import type { PreparedEnv } from '../config/types';
import { Logger, silentLogger } from '../log';
import { count } from '../plural';
import { STORE_TYPES } from '../stores/registry';
import type { StoreRegistry } from '../store-type';
import { mfaCodes, MfaPrompt } from './mfa';
import { readValues } from './read-values';
import { resolveRegions } from './regions';
import { SessionDecorator, wireStores } from './wire-stores';

export type { SessionInfo } from '../cache/cached-session';
export type { SessionDecorator } from './wire-stores';

export interface ResolveOptions {
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Whether a person can be asked for an MFA code; a function is asked only when a code is needed. */
  interactive?: boolean | (() => boolean);
  prompt?: MfaPrompt;
  /** Wraps each session provider; the CLI passes the persistent cache here. */
  decorateSession?: SessionDecorator;
  /** The store types; dsops's own by default. */
  registry?: StoreRegistry;
}

export interface ResolvedEnv {
  /** Variable name → value. Values are secrets: never log them. */
  values: Record<string, string>;
}

/**
 * Resolves an env's stores in dependency order: regions first (a missing one is a config error, before
 * any call), then the provider tree, then every value. Each store's work starts the moment its own source
 * is ready (promises, not waves), identical sessions are shared, and each store is read at most once.
 */
export async function resolvePrepared(prepared: PreparedEnv, options: ResolveOptions = {}): Promise<ResolvedEnv> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const started = Date.now();
  const envProblem = envTimeoutProblem(env);
  if (envProblem) log.warn(envProblem);
  const regions = await resolveRegions(prepared, env);
  const mfa = mfaCodes({
    interactive: options.interactive ?? false,
    prompt: options.prompt ?? (async () => Promise.reject(new Error('no prompt'))),
  });
  const runtimes = wireStores(prepared, options.registry ?? STORE_TYPES, { regions, env, log, mfa, decorateSession: options.decorateSession });
  const values = await readValues(prepared, runtimes, log);
  log.verbose(`resolved ${count(prepared.vars.length, 'var')} from ${count(prepared.order.length, 'store')} in ${Date.now() - started} ms`);
  return { values };
}
