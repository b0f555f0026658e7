/**
 * Semantic checks after the schema: references, the graph, interpolation and each store type's rules.
 * Pure: reads only its arguments. Collects every problem before throwing them, located, in one
 * ConfigError. The store types come in as a registry, so config/ names none of them.
 */
import path = require('path');
import { ConfigError } from '../errors';
import type { StoreRegistry } from '../store-type';
import type { InterpolationScope } from './interpolate';
import { locateIssues } from './locate';
import { bindEnv } from './prepare/bindings';
import { EnvInheritance } from './prepare/inheritance';
import { IssueSink } from './prepare/issue-sink';
import type { RawConfig } from './prepare/raw';
import { StoreSpecs } from './prepare/store-specs';
import { quoted } from './quote';
import { checkCredentialsFrom } from './rules/credentials-from';
import { checkMfaDevices } from './rules/mfa-device';
import type { ConfigSource } from './source';
import { didYouMean } from './suggest';
import type { PreparedEnv, StoreSpec } from './types';

/** One preparation of a source: the steps share what they built (specs, graph checks) across envs. */
class Preparation {
  readonly sink = new IssueSink();
  readonly raw: RawConfig;
  readonly stores: StoreSpecs;
  readonly inheritance: EnvInheritance;
  /** Stores and vars the schema already rejected: they exist for references but are not checked again. */
  private readonly broken = new Set<string>();

  constructor(
    readonly source: ConfigSource,
    private readonly scope: InterpolationScope,
    private readonly registry: StoreRegistry,
  ) {
    this.raw = source.data as RawConfig;
    for (const i of source.schemaIssues) {
      this.sink.add(i);
      this.broken.add(i.path.slice(0, i.path[0] === 'envs' ? 3 : 2).join('\0'));
    }
    this.inheritance = new EnvInheritance(this.raw, this.sink);
    this.stores = new StoreSpecs(this.raw, registry, scope, this.sink, source.schemaIssues, this.broken, path.dirname(source.file));
  }

  envNames(): string[] {
    return Object.keys(this.raw.envs ?? {});
  }

  graph(roots: string[]): string[] {
    return checkCredentialsFrom(roots, this.stores, this.registry, this.sink);
  }

  env(env: string): PreparedEnv {
    const { vars, roots } = bindEnv(env, this.raw, this.stores, this.registry, this.scope, this.sink, this.inheritance, this.broken);
    const order = this.graph(roots);
    const stores = new Map<string, StoreSpec>();
    for (const name of order) {
      const spec = this.stores.spec(name);
      if (spec) stores.set(name, spec);
    }
    for (const i of checkMfaDevices(env, [...stores.values()])) this.sink.add(i);
    const body = (this.raw.envs?.[env] ?? {}) as Record<string, unknown>;
    const flag = (k: string) => (typeof body[k] === 'boolean' ? (body[k] as boolean) : undefined);
    return { file: this.source.file, env, stores, order, vars, mask: flag('mask'), server: flag('server') };
  }

  throwIfIssues(): void {
    if (this.sink.issues.length) throw new ConfigError(locateIssues(this.sink.issues, this.source));
  }
}

/**
 * Prepares one env: only the stores it needs are interpolated and checked, so `exec --env staging` never
 * requires a variable that only a production store uses. Throws ConfigError with every problem found.
 */
export function prepareEnvWith(registry: StoreRegistry, source: ConfigSource, env: string, scope: InterpolationScope): PreparedEnv {
  const p = new Preparation(source, scope, registry);
  const envs = p.envNames();
  if (!envs.includes(env)) {
    const guess = didYouMean(env, envs);
    throw new ConfigError([
      ...source.schemaIssues,
      {
        code: 'E_UNKNOWN_ENV',
        message: `env ${quoted(env)} is not defined in ${source.file}${envs.length ? ` (envs: ${envs.join(', ')})` : ''}`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
        path: ['envs'],
        loc: source.locate(['envs'], true),
      },
    ]);
  }
  const prepared = p.env(env);
  p.throwIfIssues();
  return prepared;
}

/**
 * Prepares one store and the chain it takes credentials from, as an env of no vars (`credential-process
 * --store`). Throws ConfigError with every problem found.
 */
export function prepareStoreWith(registry: StoreRegistry, source: ConfigSource, store: string, scope: InterpolationScope): PreparedEnv {
  const p = new Preparation(source, scope, registry);
  const names = p.stores.names();
  if (!names.includes(store)) {
    const guess = didYouMean(store, names);
    throw new ConfigError([
      ...source.schemaIssues,
      {
        code: 'E_UNKNOWN_STORE',
        message: `store ${quoted(store)} is not defined in ${source.file}${names.length ? ` (stores: ${names.join(', ')})` : ''}`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
        path: ['secretStores'],
        loc: source.locate(['secretStores'], true),
      },
    ]);
  }
  const order = p.graph([store]);
  const stores = new Map<string, StoreSpec>();
  for (const name of order) {
    const spec = p.stores.spec(name);
    if (spec) stores.set(name, spec);
  }
  p.throwIfIssues();
  return { file: source.file, env: `store ${store}`, stores, order, vars: [] };
}

/** Checks everything: every env, and every store even if no env uses it. Returns the prepared envs. */
export function prepareAllWith(registry: StoreRegistry, source: ConfigSource, scope: InterpolationScope): PreparedEnv[] {
  const p = new Preparation(source, scope, registry);
  const out = p.envNames().map((e) => p.env(e));
  for (const s of p.graph(p.stores.names())) p.stores.spec(s);
  p.throwIfIssues();
  return out;
}
