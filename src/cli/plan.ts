import { prepareEnv } from '../prepare';
import { levels } from '../graph/graph';
import { DsopsError, EXIT } from '../errors';
import type { StoreSpec } from '../config/types';
import { count } from '../plural';
import { storeType } from '../store-type';
import { STORE_TYPES } from '../stores/registry';
import { CommandContext } from './context';

/** `dsops plan --env NAME`: what would be resolved, in which order. No network, no values. */
export function planCommand(ctx: CommandContext, args: { env?: string; json?: boolean }): number {
  const envName = args.env ?? ctx.env.DSOPS_ENV;
  if (!envName) throw new DsopsError('missing --env', 'E_USAGE', EXIT.CONFIG, 'try: dsops plan --env production');
  const source = ctx.load();
  const p = prepareEnv(source, envName, ctx.scope());
  const deps = (s: string) => {
    const from = p.stores.get(s)?.credentialsFrom;
    return from ? [from] : [];
  };
  const waves = levels(p.order, deps);
  // Grouped once: filtering all vars per store would be stores × vars on a large config.
  const varsByStore = new Map<string, string[]>();
  for (const v of p.vars) {
    if (v.kind === 'literal') continue;
    const list = varsByStore.get(v.store) ?? [];
    list.push(v.name);
    varsByStore.set(v.store, list);
  }
  const describe = (s: StoreSpec) => ({
    store: s.name,
    type: s.type,
    ...storeType(STORE_TYPES, s.type)!.describe(s).details,
    credentials_from: s.credentialsFrom ?? (s.profile ? `profile ${s.profile}` : 'default credential chain'),
    vars: varsByStore.get(s.name) ?? [],
  });
  if (args.json) {
    const out = {
      env: envName,
      order: p.order,
      stages: waves,
      stores: p.order.map((n) => describe(p.stores.get(n)!)),
      literals: p.vars.filter((v) => v.kind === 'literal').map((v) => v.name),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const lines: string[] = [`env ${envName}: ${count(p.order.length, 'store')}, ${count(p.vars.length, 'var')}`];
  waves.forEach((wave, i) => {
    lines.push(`stage ${i + 1}${i === 0 ? '' : ' (each store starts as soon as its own source is ready)'}:`);
    for (const n of wave) {
      const spec = p.stores.get(n)!;
      const d = describe(spec);
      const what = storeType(STORE_TYPES, spec.type)!.describe(spec).summary;
      lines.push(`  ${n} (${d.type}) ${what} ← ${d.credentials_from}${d.vars.length ? `; vars: ${d.vars.join(', ')}` : ''}`);
    }
  });
  const literals = p.vars.filter((v) => v.kind === 'literal').map((v) => v.name);
  if (literals.length) lines.push(`literals: ${literals.join(', ')}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
