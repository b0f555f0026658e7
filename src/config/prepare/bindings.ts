import { storeType, StoreRegistry } from '../../store-type';
import { BAD_INTERPOLATION_HINT, interpolate, InterpolationScope } from '../interpolate';
import { quoted } from '../quote';
import { unknownNameHint } from '../suggest';
import type { VarBinding } from '../types';
import { unsetVarIssue } from '../unset-var';
import type { ConfigIssue } from '../../errors';
import type { EnvInheritance } from './inheritance';
import type { IssueSink } from './issue-sink';
import type { RawConfig } from './raw';
import type { StoreSpecs } from './store-specs';

/**
 * An env's vars: each literal interpolated, each `from:` bound through its store's type (which parses and
 * checks the key). Returns the vars and the stores they name, the roots of the env's graph.
 */
export function bindEnv(
  env: string,
  raw: RawConfig,
  stores: StoreSpecs,
  registry: StoreRegistry,
  scope: InterpolationScope,
  sink: IssueSink,
  inheritance: EnvInheritance,
  /** `envs\0<env>\0<var>` of every var the schema reported. */
  broken: ReadonlySet<string>,
): { vars: VarBinding[]; roots: string[] } {
  const vars: VarBinding[] = [];
  const roots = new Set<string>();
  // An inherited var is checked where it is written: its problems name and locate that env, and are
  // reported once however many envs inherit it.
  const add = (issue: ConfigIssue): void => sink.addOnce(`${issue.code}\0${issue.path.join('\0')}\0${issue.message}`, issue);
  for (const { name, value: v, owner, identity } of inheritance.vars(env)) {
    const path = identity ? ['envs', owner, 'aws_credentials'] : ['envs', owner, name];
    // The six vars of one aws_credentials line share its problems: said once, about the line.
    const subject = identity ? `env ${owner}: aws_credentials` : `env ${owner}, var ${name}`;
    if (broken.has(path.join('\0'))) {
      // The var is reported already, but the store it names is still checked, as validate does.
      const store = v !== null && typeof v === 'object' ? (v as { from?: { store?: unknown } }).from?.store : undefined;
      if (typeof store === 'string' && stores.has(store)) roots.add(store);
      continue;
    }
    // Interpolates one field of this var, recording malformed and undefined references where they are used.
    const expand = (text: string | undefined, at: (string | number)[]): string | undefined => {
      if (text === undefined) return undefined;
      const r = interpolate(String(text), scope);
      if (r.ok) return r.value;
      for (const bad of r.malformed) {
        add({ code: 'E_BAD_INTERPOLATION', message: `${subject}: malformed reference ${quoted(bad)}`, hint: BAD_INTERPOLATION_HINT, path: at });
      }
      for (const m of r.missing) add(unsetVarIssue(m, `${subject}: uses \${${m}}, which is not set`, at));
      return undefined;
    };
    if (v === null || typeof v !== 'object') {
      const value = expand(String(v), path);
      if (value !== undefined) vars.push({ name, kind: 'literal', value });
      continue;
    }
    // key and version fields may be built from variables too, e.g. key: ${APP}/db#password.
    const fromPath = identity ? path : [...path, 'from'];
    const keyPath = identity ? path : [...fromPath, 'key'];
    const key = expand(v.from.key, keyPath);
    const versionStage = expand(v.from.version_stage, identity ? path : [...fromPath, 'version_stage']);
    const versionId = expand(v.from.version_id, identity ? path : [...fromPath, 'version_id']);
    if (key === undefined) continue;
    const store = v.from.store;
    if (!stores.has(store)) {
      add({
        code: 'E_UNKNOWN_STORE',
        message: `${subject}: store ${quoted(store)} is not defined in secretStores`,
        hint: unknownNameHint(store, stores.names(), 'defined stores'),
        path: identity ? path : [...fromPath, 'store'],
      });
      continue;
    }
    roots.add(store);
    // A store the schema rejected still has a type to check the key against, unless the type is what is wrong.
    const type = storeType(registry, stores.rawType(store));
    if (!type) continue;
    if (identity && !type.session) {
      add({
        code: 'E_NOT_A_SESSION',
        message: `${subject}: store ${quoted(store)} is of type ${type.type}, which holds no AWS session`,
        hint: 'aws_credentials names a store that makes sessions (type aws.sts)',
        path,
      });
      continue;
    }
    const r = type.bind({ key, version_stage: versionStage, version_id: versionId });
    if ('problem' in r) {
      const field = r.field ?? 'key';
      add({
        code: field === 'key' ? 'E_BAD_KEY' : 'E_FIELD_NOT_ALLOWED',
        message: `${subject}: ${r.problem}`,
        hint: r.hint,
        path: field === 'key' ? keyPath : fromPath,
      });
      continue;
    }
    vars.push({ name, kind: 'store', store, id: r.bound.id, ref: r.bound.ref, credential: type.session !== undefined });
  }
  return { vars, roots: [...roots] };
}
