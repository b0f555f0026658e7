/** Variables visible to `${VAR}`: the process environment plus dsops's builtins. */
export interface InterpolationScope {
  env: Record<string, string | undefined>;
  builtins: Record<string, string>;
}

export type Interpolated =
  | { ok: true; value: string; substituted: boolean }
  /** `missing`: references to unset variables; `malformed`: `${` that starts no valid reference. */
  | { ok: false; missing: string[]; malformed: string[] };

// `$${` is an escape for a literal `${`; `${NAME}` and `${NAME:-default}` are references.
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** UTC timestamp using only characters legal in a role session name, e.g. `20261121T224012Z`. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Builtins: USER (falls back to the OS account when $USER is unset) and TIMESTAMP. Both are worked out
 * on first use: most configs use neither, and formatting the time costs a warm run more than it sounds.
 */
export function makeScope(env: Record<string, string | undefined>, now: Date): InterpolationScope {
  let user: string | undefined;
  let stamp: string | undefined;
  return {
    env,
    builtins: {
      get USER() {
        return (user ??= env.USER || env.USERNAME || osUser());
      },
      get TIMESTAMP() {
        return (stamp ??= timestamp(now));
      },
    },
  };
}

function osUser(): string {
  try {
    return (require('os') as typeof import('os')).userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The same scope with some builtins replaced; the others stay lazy. */
export function withBuiltins(scope: InterpolationScope, replace: Record<string, string>): InterpolationScope {
  const builtins = Object.create(scope.builtins) as Record<string, string>;
  for (const [k, v] of Object.entries(replace)) Object.defineProperty(builtins, k, { value: v, enumerable: true });
  return { env: scope.env, builtins };
}

function lookup(name: string, scope: InterpolationScope): string | undefined {
  // TIMESTAMP is always the run's own clock; USER prefers the environment.
  if (name === 'TIMESTAMP') return scope.builtins.TIMESTAMP;
  const v = scope.env[name];
  if (v !== undefined && v !== '') return v;
  return scope.builtins[name];
}

/**
 * Expands `${VAR}`, `${VAR:-default}` and the `$${` escape.
 * `transform` is applied to substituted values only (e.g. sanitising a session name),
 * so literal text in the config is still checked as the user wrote it.
 */
export function interpolate(
  template: string,
  scope: InterpolationScope,
  transform: (value: string, name: string) => string = (v) => v,
): Interpolated {
  // Most fields hold no reference; the regex (and its compilation, on a cold start) is for those that do.
  if (!template.includes('${')) return { ok: true, value: template, substituted: false };
  const missing: string[] = [];
  const malformed = malformedReferences(template);
  let substituted = false;
  const value = template.replace(TOKEN, (whole, name: string | undefined, def: string | undefined) => {
    if (name === undefined) return '${';
    substituted = true;
    const v = lookup(name, scope);
    if (v !== undefined) return transform(v, name);
    if (def !== undefined) return transform(def, name);
    missing.push(name);
    return whole;
  });
  return missing.length || malformed.length ? { ok: false, missing, malformed } : { ok: true, value, substituted };
}

export const BAD_INTERPOLATION_HINT = 'write ${NAME} or ${NAME:-default}; for a literal ${, write $${';

/**
 * Each `${` that is neither the `$${` escape nor a whole `${NAME}` / `${NAME:-default}`, e.g. `pre-${VAR`
 * or `${VAR:default}`, quoted up to the next `}` or 40 characters. Taking such text literally would send
 * it to AWS (a region of `${REGION` makes calls, then fails).
 */
export function malformedReferences(template: string): string[] {
  if (!template.includes('${')) return [];
  const bad: string[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    collect(template.slice(last, m.index), bad);
    last = (m.index ?? 0) + m[0].length;
  }
  collect(template.slice(last), bad);
  return bad;
}

function collect(between: string, bad: string[]): void {
  for (let i = between.indexOf('${'); i >= 0; i = between.indexOf('${', i + 2)) {
    const close = between.indexOf('}', i);
    bad.push(close >= 0 && close - i < 40 ? between.slice(i, close + 1) : between.slice(i, i + 40));
  }
}

/** True when the text contains a `${...}` reference (escapes excluded). */
export function hasReference(template: string): boolean {
  if (!template.includes('${')) return false;
  for (const m of template.matchAll(TOKEN)) if (m[1] !== undefined) return true;
  return false;
}
