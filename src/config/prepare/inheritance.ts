import { quoted } from '../quote';
import { didYouMean } from '../suggest';
import { AWS_IDENTITY_VARS, isEnvKey } from '../env-keys';
import type { IssueSink } from './issue-sink';
import { hasOwn, RawConfig, RawVar } from './raw';

/** One variable of an env after inheritance, with the env it was written in: problems are located there. */
export interface EnvVar {
  name: string;
  value: RawVar;
  owner: string;
  /** Set for the vars of an `aws_credentials` line: they are located, and named in messages, by that line. */
  identity?: true;
}

/**
 * Resolves `extends`: each env's variables are those of the envs it extends, in order (later ones win),
 * then its `aws_credentials` line, then its own. Unknown names and cycles are reported once each, at the `extends` that names them; the
 * rest of the env is still bound, so one pass shows every problem. (`<<: *base` merge keys are done by
 * the YAML parsers: they arrive here as the env's own variables.)
 */
export class EnvInheritance {
  private readonly done = new Map<string, EnvVar[]>();

  constructor(
    private readonly raw: RawConfig,
    private readonly sink: IssueSink,
  ) {}

  vars(env: string): EnvVar[] {
    return this.resolve(env, []);
  }

  private resolve(env: string, chain: string[]): EnvVar[] {
    const known = this.done.get(env);
    if (known) return known;
    const body = this.body(env);
    const out = new Map<string, EnvVar>();
    parents(body.extends).forEach(({ name: parent, at }) => {
      const path = ['envs', env, 'extends', ...(at === undefined ? [] : [at])];
      if (!this.exists(parent)) {
        const guess = didYouMean(parent, Object.keys(this.raw.envs ?? {}).filter((e) => e !== env));
        this.sink.addOnce(`extends\0${env}\0${parent}`, {
          code: 'E_UNKNOWN_ENV',
          message: `env ${env}: extends ${quoted(parent)}, which is not defined in envs`,
          hint: guess ? `did you mean "${guess}"?` : undefined,
          path,
        });
        return;
      }
      const loop = chain.indexOf(parent);
      if (parent === env || loop >= 0) {
        const cycle = parent === env ? [env, env] : [...chain.slice(loop), env, parent];
        // Every env on the loop finds it; report it once, where the first of them closes it.
        const key = `cycle\0${[...new Set(cycle)].sort().join('\0')}`;
        this.sink.addOnce(key, {
          code: 'E_EXTENDS_CYCLE',
          message: `env ${env}: extends ${quoted(parent)}, a cycle: ${cycle.join(' → ')}`,
          hint: 'an env cannot inherit from itself, directly or through others; remove one of these extends',
          path,
        });
        return;
      }
      for (const v of this.resolve(parent, [...chain, env])) out.set(v.name, v);
    });
    // The identity line is the env's own, so it wins over inherited vars; its explicit vars win over it.
    const identity = body.aws_credentials;
    if (typeof identity === 'string') {
      for (const [name, key] of AWS_IDENTITY_VARS) {
        out.delete(name);
        out.set(name, { name, value: { from: { store: identity, key } }, owner: env, identity: true });
      }
    }
    for (const [name, value] of Object.entries(body)) {
      if (isEnvKey(name)) continue;
      out.delete(name); // re-inserted so the env's own vars keep the order they are written in
      out.set(name, { name, value: value as RawVar, owner: env });
    }
    const vars = [...out.values()];
    // A result computed inside a cycle is partial; only the outermost one is kept.
    if (!chain.length) this.done.set(env, vars);
    return vars;
  }

  private exists(env: string): boolean {
    return hasOwn(this.raw.envs ?? {}, env);
  }

  private body(env: string): Record<string, unknown> {
    const b = (this.raw.envs ?? {})[env] as unknown;
    return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
  }
}

/** `extends: base` or `extends: [a, b]`; values of another shape are the schema's to report. */
function parents(v: unknown): { name: string; at?: number }[] {
  if (typeof v === 'string') return [{ name: v }];
  if (Array.isArray(v)) return v.flatMap((n, i) => (typeof n === 'string' ? [{ name: n, at: i }] : []));
  return [];
}
