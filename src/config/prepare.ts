import { ConfigError, ConfigIssue } from '../errors';
import { walk } from '../graph/graph';
import { STORE_TYPES } from '../stores/registry';
import { parseSecretKey } from '../stores/aws-secretsmanager/spec';
import { parseDuration } from './duration';
import { BAD_INTERPOLATION_HINT, interpolate, InterpolationScope } from './interpolate';
import { quoted } from './quote';
import { STORE_KEYS } from './schema-check';
import { ConfigSource } from './source';
import { StoreContext } from './store-context';
import { didYouMean } from './suggest';
import { CacheSetting, PreparedEnv, StoreSpec, StsKey, StsSpec, VarBinding } from './types';

type RawStore = Record<string, unknown> & { type: string; credentials_from?: string };
type RawFrom = { store: string; key: string; version_stage?: string; version_id?: string };
interface RawConfig {
  version: 1;
  cache?: false | { refresh_before?: string };
  request_timeout?: string;
  secretStores?: Record<string, RawStore>;
  envs?: Record<string, Record<string, string | number | boolean | { from: RawFrom }>>;
}

/**
 * Semantic checks after the schema: references, the graph, interpolation and AWS rules.
 * Pure: reads only its arguments. Collects every problem before returning.
 */
class Preparer {
  readonly issues: ConfigIssue[] = [];
  private readonly raw: RawConfig;
  private readonly stores: Record<string, RawStore>;
  private readonly defaultCache: CacheSetting;
  private readonly prepared = new Map<string, StoreSpec | undefined>();
  /** Stores and vars the schema already rejected: they exist for references but are not checked again. */
  private readonly broken = new Set<string>();

  constructor(
    readonly source: ConfigSource,
    private readonly scope: InterpolationScope,
  ) {
    this.raw = source.data as RawConfig;
    this.stores = this.raw.secretStores ?? {};
    for (const i of source.schemaIssues) {
      this.issues.push(i);
      this.broken.add(i.path.slice(0, i.path[0] === 'envs' ? 3 : 2).join('\0'));
    }
    const c = this.raw.cache;
    this.defaultCache =
      c === false ? { enabled: false } : { enabled: true, refreshBeforeSeconds: c?.refresh_before ? parseDuration(c.refresh_before) : undefined };
  }

  envNames(): string[] {
    return Object.keys(this.raw.envs ?? {});
  }

  storeNames(): string[] {
    return Object.keys(this.stores);
  }

  private has = (s: string): boolean => Object.prototype.hasOwnProperty.call(this.stores, s);
  private deps = (s: string): string[] => {
    const from = this.stores[s]?.credentials_from;
    return typeof from !== 'string' ? [] : [from];
  };

  /** Checks the env's vars and returns them with the stores they name. */
  bindings(env: string): { vars: VarBinding[]; roots: string[] } {
    const vars: VarBinding[] = [];
    const roots = new Set<string>();
    const spec = this.raw.envs?.[env] ?? {};
    for (const [name, v] of Object.entries(spec)) {
      const path = ['envs', env, name];
      if (this.broken.has(path.join('\0'))) {
        // The var is reported already, but the store it names is still checked, as validate does.
        const store = v !== null && typeof v === 'object' ? (v as { from?: { store?: unknown } }).from?.store : undefined;
        if (typeof store === 'string' && this.has(store)) roots.add(store);
        continue;
      }
      // Interpolates one field of this var, recording undefined variables where they are used.
      const expand = (text: string | undefined, at: (string | number)[]): string | undefined => {
        if (text === undefined) return undefined;
        const r = interpolate(String(text), this.scope);
        if (r.ok) return r.value;
        for (const bad of r.malformed) {
          this.issues.push({
            code: 'E_BAD_INTERPOLATION',
            message: `env ${env}, var ${name}: malformed reference ${quoted(bad)}`,
            hint: BAD_INTERPOLATION_HINT,
            path: at,
          });
        }
        for (const m of r.missing) {
          this.issues.push({
            code: 'E_UNDEFINED_VAR',
            message: `env ${env}, var ${name}: uses \${${m}}, which is not set`,
            hint: `export ${m}=... before running dsops, or give a default: \${${m}:-value}`,
            path: at,
          });
        }
        return undefined;
      };
      if (v === null || typeof v !== 'object') {
        const value = expand(String(v), path);
        if (value !== undefined) vars.push({ name, kind: 'literal', value });
        continue;
      }
      // key and version fields may be built from variables too, e.g. key: ${APP}/db#password.
      const fromPath = [...path, 'from'];
      const key = expand(v.from.key, [...fromPath, 'key']);
      const versionStage = expand(v.from.version_stage, [...fromPath, 'version_stage']);
      const versionId = expand(v.from.version_id, [...fromPath, 'version_id']);
      if (key === undefined) continue;
      const from = { ...v.from, key, version_stage: versionStage, version_id: versionId };
      if (!this.has(from.store)) {
        const guess = didYouMean(from.store, this.storeNames());
        this.issues.push({
          code: 'E_UNKNOWN_STORE',
          message: `env ${env}, var ${name}: store ${quoted(from.store)} is not defined in secretStores`,
          hint: guess ? `did you mean "${guess}"?` : undefined,
          path: [...path, 'from', 'store'],
        });
        continue;
      }
      roots.add(from.store);
      // A store the schema rejected still has a type to check the key against, unless the type is what is wrong.
      if (this.broken.has(`secretStores\0${from.store}`) && !this.knownType(from.store)) continue;
      const type = STORE_TYPES[this.stores[from.store].type];
      const check = type.checkKey(from.key);
      if (check.problem) {
        this.issues.push({
          code: 'E_BAD_KEY',
          message: `env ${env}, var ${name}: ${check.problem}`,
          hint: check.hint,
          path: [...path, 'from', 'key'],
        });
        continue;
      }
      if (!type.providesCredentials) {
        const k = parseSecretKey(from.key);
        vars.push({ name, kind: 'secret', store: from.store, secretId: k.secretId, field: k.field, versionStage: from.version_stage, versionId: from.version_id });
      } else {
        if (from.version_stage !== undefined || from.version_id !== undefined) {
          this.issues.push({
            code: 'E_FIELD_NOT_ALLOWED',
            message: `env ${env}, var ${name}: version_stage and version_id apply only to aws.secretsmanager stores`,
            path: [...path, 'from'],
          });
        }
        vars.push({ name, kind: 'sts', store: from.store, key: from.key as StsKey });
      }
    }
    return { vars, roots: [...roots] };
  }

  /** Graph rules over everything reachable from `roots`; returns dependency order. */
  graph(roots: string[]): string[] {
    const g = walk(roots, this.deps, this.has);
    for (const [from, to] of g.missing) {
      const guess = didYouMean(to, this.storeNames());
      this.issues.push({
        code: 'E_UNKNOWN_STORE',
        message: `store ${from}: credentials_from names ${quoted(to)}, which is not defined in secretStores`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
        path: ['secretStores', from, 'credentials_from'],
      });
    }
    for (const cycle of g.cycles) {
      this.issues.push({
        code: 'E_CYCLE',
        message: `store ${cycle[0]}: credentials_from forms a cycle: ${cycle.join(' → ')}`,
        hint: 'one store on the cycle must take its credentials from a profile or the default chain instead',
        path: ['secretStores', cycle[0], 'credentials_from'],
      });
    }
    for (const s of g.order) {
      // `?.`: a store written as `name:` with no body is null here; the schema already reported it.
      const from = this.stores[s]?.credentials_from;
      const fromType = from !== undefined && this.has(from) ? this.stores[from]?.type : undefined;
      // A source of unknown type (or none) was reported by the schema; calling it "not a credential source" too is noise.
      if (fromType !== undefined && Object.hasOwn(STORE_TYPES, fromType) && !STORE_TYPES[fromType].providesCredentials) {
        this.issues.push({
          code: 'E_NOT_A_CREDENTIAL_SOURCE',
          message: `store ${s}: credentials_from names "${from}", a ${fromType} store; only aws.sts stores provide credentials`,
          path: ['secretStores', s, 'credentials_from'],
        });
      }
    }
    return g.order;
  }

  store(name: string): StoreSpec | undefined {
    if (this.prepared.has(name)) return this.prepared.get(name);
    let raw = this.stores[name];
    let rejected: ReadonlySet<string> | undefined;
    if (this.broken.has(`secretStores\0${name}`)) {
      const part = this.checkablePart(name);
      if (!part) {
        this.prepared.set(name, undefined);
        return undefined;
      }
      ({ raw, rejected } = part);
    }
    const from = raw.credentials_from;
    const chained = from !== undefined && this.has(from) && this.stores[from]?.type === 'aws.sts';
    const ctx = new StoreContext(name, raw, this.scope, this.issues, chained, this.defaultCache, rejected, this.raw.request_timeout);
    // A spec built from a store the schema rejected never leaves the Preparer: its schema issues are
    // already in `issues`, so throwIfIssues throws. It is kept for the env-wide rules (one MFA device).
    const spec = STORE_TYPES[raw.type].prepare(ctx);
    this.prepared.set(name, spec);
    return spec;
  }

  /** Whether a store's type is one dsops knows, so its type's rules can run; false for a body that is not a mapping. */
  private knownType(name: string): boolean {
    const raw = this.stores[name] as unknown;
    return raw !== null && typeof raw === 'object' && Object.hasOwn(STORE_TYPES, (raw as RawStore).type);
  }

  /**
   * The part of a store the schema rejected that its rules can still check, so the user sees all of the
   * store's problems in one pass: its fields without the rejected ones (each rule then sees only values of
   * the right type), and the names of those fields, so rules stay silent about them. Undefined when
   * nothing can be checked: no mapping, an unknown or missing type, or an unreadable `operation`, which
   * decides which rules apply.
   * Runs only for stores with schema issues, so a valid config pays nothing for it.
   */
  private checkablePart(name: string): { raw: RawStore; rejected: Set<string> } | undefined {
    if (!this.knownType(name)) return undefined;
    const raw = this.stores[name];
    const rejected = new Set<string>();
    for (const i of this.source.schemaIssues) {
      if (i.path[0] !== 'secretStores' || i.path[1] !== name || i.path.length < 3) continue;
      const field = String(i.path[2]);
      rejected.add(field);
      // `serial_numbr` stands for serial_number: that field is set, only misspelt, so rules must not
      // call it missing (or check it against others) on top of the unknown-key report.
      const meant = i.code === 'E_UNKNOWN_KEY' ? didYouMean(field, STORE_KEYS[raw.type] ?? []) : undefined;
      if (meant !== undefined && raw[meant] === undefined) rejected.add(meant);
    }
    if (rejected.has('type') || rejected.has('operation')) return undefined;
    const kept: Record<string, unknown> = { ...raw };
    for (const f of rejected) delete kept[f];
    return { raw: kept as RawStore, rejected };
  }

  /** AWS MFA codes are single-use: two stores on one device in one run would need two codes. */
  mfaDevices(env: string, specs: StoreSpec[]): void {
    const byDevice = new Map<string, StsSpec[]>();
    for (const s of specs) {
      if (s.type !== 'aws.sts' || !s.serialNumber) continue;
      const list = byDevice.get(s.serialNumber) ?? [];
      list.push(s);
      byDevice.set(s.serialNumber, list);
    }
    for (const [device, list] of byDevice) {
      if (list.length < 2) continue;
      const names = list.map((s) => s.name);
      this.issues.push({
        code: 'E_MFA_DEVICE_SHARED',
        message: `env ${env}: stores ${names.join(', ')} all use MFA device ${device}, but an MFA code can be used only once, so one run would need ${list.length} codes`,
        hint: `add one store with "operation: get-session-token" and serial_number ${device}, remove serial_number/token_code from ${names.join(', ')}, and set their credentials_from to it (roles chained from it are capped at 1 hour)`,
        path: ['secretStores', list[1].name, 'serial_number'],
      });
    }
  }

  prepareEnv(env: string): PreparedEnv {
    const { vars, roots } = this.bindings(env);
    const order = this.graph(roots);
    const stores = new Map<string, StoreSpec>();
    for (const name of order) {
      const spec = this.store(name);
      if (spec) stores.set(name, spec);
    }
    this.mfaDevices(env, [...stores.values()]);
    return { file: this.source.file, env, stores, order, vars };
  }

  throwIfIssues(): void {
    if (!this.issues.length) return;
    // Every issue is located once, here, so the rules above never deal with positions.
    for (const i of this.issues) i.loc ??= this.source.locate(i.path, i.atKey);
    throw new ConfigError(dedupe(this.issues));
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.code}|${i.message}|${i.path.join('/')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Prepares one env: only the stores it needs are interpolated and checked, so
 * `exec --env staging` never requires a variable that only a production store uses.
 * Throws ConfigError with every problem found.
 */
export function prepareEnv(source: ConfigSource, env: string, scope: InterpolationScope): PreparedEnv {
  const p = new Preparer(source, scope);
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
  const prepared = p.prepareEnv(env);
  p.throwIfIssues();
  return prepared;
}

/** Checks everything: every env, and every store even if no env uses it. Returns the prepared envs. */
export function prepareAll(source: ConfigSource, scope: InterpolationScope): PreparedEnv[] {
  const p = new Preparer(source, scope);
  const out = p.envNames().map((e) => p.prepareEnv(e));
  const order = p.graph(p.storeNames());
  for (const s of order) p.store(s);
  p.throwIfIssues();
  return out;
}
