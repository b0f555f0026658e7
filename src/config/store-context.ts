import path = require('path');
import { ConfigIssue } from '../errors';
import { BAD_INTERPOLATION_HINT, interpolate, InterpolationScope } from './interpolate';
import { quoted } from './quote';
import { parseDuration } from './duration';
import { parseTimeout } from '../aws/client-config';
import { CacheSetting } from './types';
import { unsetVarIssue } from './unset-var';

const NONE: ReadonlySet<string> = new Set();

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
    /**
     * Fields of a store the schema rejected (left out of `raw`), and fields a misspelt key stood for.
     * The schema already reported them, so rules say nothing more about them.
     */
    private readonly rejected: ReadonlySet<string> = NONE,
    /** The top level's `request_timeout`, which a store without its own inherits. */
    private readonly defaultRequestTimeout?: string,
    /** The folder of the config file: relative paths in it are relative to the file, not to where dsops runs. */
    private readonly configDir = '.',
  ) {}

  /** A path field, interpolated; a relative path is taken from the config file's folder. */
  filePath(field: string): string | undefined {
    const v = this.str(field);
    return v === undefined || v === '' || path.isAbsolute(v) ? v : path.join(this.configDir, v);
  }

  issue(field: string | undefined, code: string, message: string, hint?: string): void {
    if (field !== undefined && this.rejected.size && this.rejected.has(field.split('.')[0])) return;
    const path = ['secretStores', this.name, ...(field ? field.split('.') : [])];
    this.issues.push({ code, message: `store ${this.name}: ${message}`, path, hint });
  }

  /** An issue at one entry of a list or map field (`tags`, `policy_arns`), so it is located at that entry. */
  issueAt(field: string, entry: string | number | undefined, code: string, message: string, atKey = false): void {
    if (this.rejected.has(field)) return;
    const path = ['secretStores', this.name, field, ...(entry === undefined ? [] : [entry])];
    this.issues.push({ code, message: `store ${this.name}: ${message}`, path, atKey: entry !== undefined && atKey });
  }

  /**
   * Whether the user set the field, even if the schema rejected its value. Rules that are about a field
   * being set or missing use this, so a mistyped field is not also called missing.
   */
  has(field: string): boolean {
    return this.raw[field] !== undefined || this.rejected.has(field);
  }

  /** Whether the field's value was rejected by the schema: rules comparing against it have nothing to compare. */
  isRejected(field: string): boolean {
    return this.rejected.has(field);
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
    // A policy's own `${aws:username}` variables are IAM's, not dsops's: they stay as written.
    for (const bad of field === 'session_policy' ? [] : r.malformed) {
      this.issue(field, 'E_BAD_INTERPOLATION', `${field} has a malformed reference ${quoted(bad)}`, BAD_INTERPOLATION_HINT);
    }
    for (const name of r.missing) {
      if (this.rejected.size && this.rejected.has(field.split('.')[0])) continue;
      this.issues.push(unsetVarIssue(name, `store ${this.name}: ${field} uses \${${name}}, which is not set`, ['secretStores', this.name, ...field.split('.')]));
    }
    return undefined;
  }

  /** The store's `request_timeout` in ms, falling back to the top-level one (both checked by the schema's pattern). */
  requestTimeoutMs(): number | undefined {
    const v = typeof this.raw.request_timeout === 'string' ? this.raw.request_timeout : this.defaultRequestTimeout;
    return typeof v === 'string' ? parseTimeout(v) : undefined;
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
