import { ConfigIssue } from '../errors';
import { interpolate, InterpolationScope } from './interpolate';
import { parseDuration } from './duration';
import { CacheSetting } from './types';

/**
 * What a store type's `prepare` gets: its raw fields, interpolation, and a place to record located issues.
 * Store types never touch paths or positions themselves.
 */
export class StoreContext {
  constructor(
    readonly name: string,
    readonly raw: Record<string, unknown>,
    readonly scope: InterpolationScope,
    private readonly issues: ConfigIssue[],
    /** True when credentials_from names an aws.sts store: AWS then caps AssumeRole at 1 hour. */
    readonly chained: boolean,
    readonly defaultCache: CacheSetting,
  ) {}

  issue(field: string | undefined, code: string, message: string, hint?: string): void {
    const path = ['secretStores', this.name, ...(field ? field.split('.') : [])];
    this.issues.push({ code, message: `store ${this.name}: ${message}`, path, hint });
  }

  /** Interpolates a string (or number) field; records an issue for undefined variables. */
  str(field: string, transform?: (v: string, name: string) => string): string | undefined {
    const v = this.raw[field];
    if (v === undefined || v === null) return undefined;
    return this.expand(String(v), field, transform);
  }

  expand(text: string, field: string, transform?: (v: string, name: string) => string): string | undefined {
    const r = interpolate(text, this.scope, transform);
    if (r.ok) return r.value;
    for (const name of r.missing) {
      this.issue(
        field,
        'E_UNDEFINED_VAR',
        `${field} uses \${${name}}, which is not set`,
        `export ${name}=... before running dsops, or give a default: \${${name}:-value}`,
      );
    }
    return undefined;
  }

  /** The store's cache setting, falling back to the top-level one. */
  cache(): CacheSetting {
    const v = this.raw.cache;
    if (v === false) return { enabled: false };
    if (v && typeof v === 'object') {
      const rb = (v as { refresh_before?: string }).refresh_before;
      return { enabled: true, refreshBeforeSeconds: rb ? parseDuration(rb) : this.defaultCache.refreshBeforeSeconds };
    }
    return this.defaultCache;
  }
}
