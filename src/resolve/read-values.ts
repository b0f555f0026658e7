import { ResolveError } from '../errors';
import type { PreparedEnv, VarBinding } from '../config/types';
import type { Logger } from '../log';
import type { Bound, ReadValue } from '../store-type';
import type { StoreRuntime } from './wire-stores';

type StoreVar = Extract<VarBinding, { kind: 'store' }>;

/**
 * Every var's value. Each store is read once for all the distinct values its vars name (its type batches
 * them); values live in memory for this run only, never on disk. A store's read starts as soon as its
 * own source is ready, so independent stores run at the same time.
 */
export async function readValues(prepared: PreparedEnv, runtimes: Map<string, StoreRuntime>, log: Logger): Promise<Record<string, string>> {
  const byStore = new Map<string, StoreVar[]>();
  for (const v of prepared.vars) {
    if (v.kind !== 'store') continue;
    const list = byStore.get(v.store) ?? [];
    list.push(v);
    byStore.set(v.store, list);
  }
  // lru-cache is loaded only when a store is read, so a run of literals pays nothing for it.
  let reads: import('lru-cache').LRUCache<string, Promise<Map<string, ReadValue>>> | undefined;
  const readStore = (store: string): Promise<Map<string, ReadValue>> => {
    if (!reads) {
      const { LRUCache } = require('lru-cache') as typeof import('lru-cache');
      reads = new LRUCache({ max: Math.max(1, byStore.size) });
    }
    let p = reads.get(store);
    if (!p) {
      const rt = runtimes.get(store)!;
      const refs = new Map<string, Bound>();
      for (const v of byStore.get(store) ?? []) refs.set(v.id, { id: v.id, ref: v.ref });
      p = rt.type.read(rt.spec, [...refs.values()], { ...rt.deps, credentials: rt.session ?? rt.deps.source });
      reads.set(store, p);
    }
    return p;
  };

  const values: Record<string, string> = {};
  const results = await Promise.allSettled(
    prepared.vars.map(async (v) => {
      if (v.kind === 'literal') {
        values[v.name] = v.value;
        return;
      }
      const got = (await readStore(v.store)).get(v.id);
      if (typeof got === 'string') values[v.name] = got;
      else throw new ResolveError(`store ${v.store}: var ${v.name}: ${got?.problem ?? 'no value was read'}`, got?.code ?? 'E_NO_VALUE', v.store);
    }),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (failures.length) {
    // Several vars often fail for one cause (a denied hop); report each distinct message once.
    const first = failures[0];
    const others = [...new Set(failures.slice(1).map((f) => (f as Error).message))].filter((m) => m !== (first as Error).message);
    for (const m of others) log.error(m);
    throw first;
  }
  return values;
}
