import type { ConfigIssue } from '../../errors';
import { storeType, StoreRegistry } from '../../store-type';
import { parseDuration } from '../duration';
import type { InterpolationScope } from '../interpolate';
import { STORE_KEYS } from '../schema-check';
import { StoreContext } from '../store-context';
import { didYouMean } from '../suggest';
import type { CacheSetting, StoreSpec } from '../types';
import { hasOwn, RawConfig, RawStore } from './raw';
import type { IssueSink } from './issue-sink';

/**
 * Builds each store's spec once, through its type's `prepare` (the type's own rules). A store the schema
 * rejected is still checked: its fields the schema accepted go to its type's rules, so the user sees all
 * of the store's problems in one pass.
 */
export class StoreSpecs {
  private readonly built = new Map<string, StoreSpec | undefined>();
  private readonly defaultCache: CacheSetting;

  constructor(
    private readonly raw: RawConfig,
    private readonly registry: StoreRegistry,
    private readonly scope: InterpolationScope,
    private readonly sink: IssueSink,
    /** The schema's problems: they say which stores (and fields) are broken. */
    private readonly schemaIssues: ConfigIssue[],
    /** `secretStores\0<name>` of every store the schema reported. */
    private readonly broken: ReadonlySet<string>,
    /** The config file's folder, for relative paths in it. */
    private readonly configDir = '.',
  ) {
    const c = raw.cache;
    this.defaultCache =
      c === false ? { enabled: false } : { enabled: true, refreshBeforeSeconds: c?.refresh_before ? parseDuration(c.refresh_before) : undefined };
  }

  private get stores(): Record<string, RawStore> {
    return this.raw.secretStores ?? {};
  }

  has(name: string): boolean {
    return hasOwn(this.stores, name);
  }

  names(): string[] {
    return Object.keys(this.stores);
  }

  /** The raw `credentials_from` of a store (`?.`: a store written as `name:` with no body is null). */
  credentialsFrom(name: string): unknown {
    return (this.stores[name] as RawStore | null | undefined)?.credentials_from;
  }

  /** The raw `type:` of a store, if it has a body. */
  rawType(name: string): unknown {
    const raw = this.stores[name] as unknown;
    return raw !== null && typeof raw === 'object' ? (raw as RawStore).type : undefined;
  }

  isBroken(name: string): boolean {
    return this.broken.has(`secretStores\0${name}`);
  }

  spec(name: string): StoreSpec | undefined {
    if (this.built.has(name)) return this.built.get(name);
    let raw = this.stores[name];
    let rejected: ReadonlySet<string> | undefined;
    if (this.isBroken(name)) {
      const part = this.checkablePart(name);
      if (!part) {
        this.built.set(name, undefined);
        return undefined;
      }
      ({ raw, rejected } = part);
    }
    const type = storeType(this.registry, raw.type)!;
    const from = raw.credentials_from;
    // Chained: signed by another store's session, which AWS treats as role chaining (1-hour cap).
    const chained = from !== undefined && this.has(from) && storeType(this.registry, this.rawType(from))?.session !== undefined;
    const ctx = new StoreContext(name, raw, this.scope, this.sink.issues, chained, this.defaultCache, rejected, this.raw.request_timeout, this.configDir);
    // A spec built from a store the schema rejected never leaves preparation: its schema issues are
    // reported already, so the run stops. It is kept for the env-wide rules (one MFA device).
    const spec = type.prepare(ctx);
    this.built.set(name, spec);
    return spec;
  }

  /**
   * The part of a store the schema rejected that its rules can still check: its fields without the
   * rejected ones (each rule then sees only values of the right type), and the names of those fields, so
   * rules stay silent about them. Undefined when nothing can be checked: no mapping, an unknown or missing
   * type, or an unreadable `operation`, which decides which rules apply. Runs only for stores with schema
   * issues, so a valid config pays nothing for it.
   */
  private checkablePart(name: string): { raw: RawStore; rejected: Set<string> } | undefined {
    const typeName = this.rawType(name);
    if (!storeType(this.registry, typeName)) return undefined;
    const raw = this.stores[name];
    const rejected = new Set<string>();
    for (const i of this.schemaIssues) {
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
}
