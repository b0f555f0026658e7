/**
 * Preparation with the store types dsops ships: config/ is handed the registry here, so it never
 * imports stores/ (stores/ build on config/'s toolkit: StoreContext, interpolation, durations).
 */
import type { InterpolationScope } from './config/interpolate';
import { prepareAllWith, prepareEnvWith, prepareStoreWith } from './config/prepare';
import type { ConfigSource } from './config/source';
import type { PreparedEnv } from './config/types';
import { STORE_TYPES } from './stores/registry';

/** Prepares one env (see prepareEnvWith): throws ConfigError with every problem, located. */
export function prepareEnv(source: ConfigSource, env: string, scope: InterpolationScope): PreparedEnv {
  return prepareEnvWith(STORE_TYPES, source, env, scope);
}

/** Checks every env and every store (see prepareAllWith). */
export function prepareAll(source: ConfigSource, scope: InterpolationScope): PreparedEnv[] {
  return prepareAllWith(STORE_TYPES, source, scope);
}

/** Prepares one store and its credentials_from chain (see prepareStoreWith). */
export function prepareStore(source: ConfigSource, store: string, scope: InterpolationScope): PreparedEnv {
  return prepareStoreWith(STORE_TYPES, source, store, scope);
}
