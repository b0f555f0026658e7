import { ConfigError, ConfigIssue, formatIssue } from '../errors';
import type { InterpolationScope } from '../config/interpolate';
import type { ConfigSource } from '../config/source';
import type { PreparedEnv, StoreSpec } from '../config/types';
import { isUnsetVar } from '../config/unset-var';
import { count } from '../plural';
import { prepareAll, prepareStore } from '../prepare';
import { CheckResult, fail, ok } from './check';

export interface ConfigOutcome {
  result: CheckResult;
  /** True when the config has problems `validate` would exit 2 for. */
  invalid: boolean;
  /** Every store that prepares, for the checks that follow; undefined when there is no usable config. */
  stores?: StoreSpec[];
}

/**
 * The config as `validate` judges it (every env, no network; an unset `${VAR}` is something a run needs,
 * not an error). A missing file is a failed check, not an invalid config: the other checks still run.
 */
export function checkConfig(load: () => ConfigSource, scope: InterpolationScope, current: () => ConfigSource | undefined): ConfigOutcome {
  let source: ConfigSource | undefined;
  try {
    source = load();
    const envs = prepareAll(source, scope);
    return { result: ok('config', validLine(source)), invalid: false, stores: storesOf(envs) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    source ??= current();
    const issues = e.issues.map((i) => ({ ...i, loc: i.loc ?? source?.locate(i.path, i.atKey) }));
    if (issues.length === 1 && issues[0].code === 'E_NO_CONFIG') {
      return { result: fail('config', issues[0].message, 'dsops init writes a commented dsops.yaml (or pass -c PATH)'), invalid: false };
    }
    const problems = issues.filter((i) => !isUnsetVar(i)).sort(byPlace);
    if (problems.length) {
      return {
        result: { ...fail('config', `${source?.file ?? 'the config'} has ${count(problems.length, 'problem')}`, 'dsops validate shows them too; fix each at its file:line:col'), issues: problems.map(formatIssue) },
        invalid: true,
      };
    }
    const needed = [...new Set(issues.map((i) => (i as { variable?: string }).variable).filter(Boolean))].sort();
    const detail = `${validLine(source!)}; a run will need ${count(needed.length, 'variable')} not set here: ${needed.join(', ')}`;
    return { result: ok('config', detail), invalid: false, stores: storesOneByOne(source!, scope) };
  }
}

function validLine(source: ConfigSource): string {
  const data = source.data as { secretStores?: object; envs?: object } | undefined;
  const stores = Object.keys(data?.secretStores ?? {}).length;
  const envs = Object.keys(data?.envs ?? {}).length;
  return `${source.file} is valid (${count(stores, 'store')}, ${count(envs, 'env')})`;
}

function storesOf(envs: PreparedEnv[]): StoreSpec[] {
  const out = new Map<string, StoreSpec>();
  for (const env of envs) for (const [name, spec] of env.stores) out.set(name, spec);
  return [...out.values()];
}

/** When some store needs an unset variable, each store that prepares on its own still counts. */
function storesOneByOne(source: ConfigSource, scope: InterpolationScope): StoreSpec[] {
  const names = Object.keys((source.data as { secretStores?: object } | undefined)?.secretStores ?? {});
  const out: StoreSpec[] = [];
  for (const name of names) {
    try {
      const spec = prepareStore(source, name, scope).stores.get(name);
      if (spec) out.push(spec);
    } catch {
      // needs a variable that is not set: its region and endpoint are unknown here
    }
  }
  return out;
}

const byPlace = (a: ConfigIssue, b: ConfigIssue) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0);
