import { walk } from '../../graph/graph';
import { storeType, StoreRegistry } from '../../store-type';
import type { IssueSink } from '../prepare/issue-sink';
import type { StoreSpecs } from '../prepare/store-specs';
import { quoted } from '../quote';
import { unknownNameHint } from '../suggest';

/**
 * The graph rules over everything reachable from `roots`: `credentials_from` names a store that exists,
 * forms no cycle, and names a store whose type makes sessions. Returns dependencies before dependents.
 * Each edge and each cycle is reported once however many envs reach it.
 */
export function checkCredentialsFrom(roots: string[], stores: StoreSpecs, registry: StoreRegistry, sink: IssueSink): string[] {
  const deps = (s: string): string[] => {
    const from = sourceOf(stores, s);
    return typeof from === 'string' ? [from] : [];
  };
  const g = walk(roots, deps, (s) => stores.has(s));
  for (const [from, to] of g.missing) {
    sink.addOnce(`missing\0${from}`, {
      code: 'E_UNKNOWN_STORE',
      message: `store ${from}: credentials_from names ${quoted(to)}, which is not defined in secretStores`,
      hint: unknownNameHint(to, stores.names().filter((n) => n !== from), 'defined stores'),
      path: ['secretStores', from, 'credentials_from'],
    });
  }
  for (const cycle of g.cycles) {
    // Found from another root, the same cycle starts elsewhere: its members identify it.
    sink.addOnce(`cycle\0${[...new Set(cycle)].sort().join('\0')}`, {
      code: 'E_CYCLE',
      message: `store ${cycle[0]}: credentials_from forms a cycle: ${cycle.join(' → ')}`,
      hint: 'one store on the cycle must take its credentials from a profile or the default chain instead',
      path: ['secretStores', cycle[0], 'credentials_from'],
    });
  }
  for (const s of g.order) {
    const from = sourceOf(stores, s);
    const fromType = typeof from === 'string' && stores.has(from) ? stores.rawType(from) : undefined;
    // A source of unknown type (or none) was reported by the schema; calling it "not a credential source" too is noise.
    const type = storeType(registry, fromType);
    if (type && !type.session) {
      sink.addOnce(`source\0${s}`, {
        code: 'E_NOT_A_CREDENTIAL_SOURCE',
        message: `store ${s}: credentials_from names "${from}", a ${type.type} store; only ${sessionTypes(registry)} stores provide credentials`,
        path: ['secretStores', s, 'credentials_from'],
      });
    }
  }
  return g.order;
}

function sourceOf(stores: StoreSpecs, name: string): unknown {
  return stores.credentialsFrom(name);
}

function sessionTypes(registry: StoreRegistry): string {
  return [...registry.values()].filter((t) => t.session).map((t) => t.type).join(', ');
}
