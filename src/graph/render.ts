/**
 * The store graph of a config as text: stores, their `credentials_from` edges, and which envs read which
 * store, in mermaid (renders on GitHub) or Graphviz dot. Pure: it takes the parsed data, never a store type
 * beyond its `type` string, and makes no AWS call.
 */
import { walk } from './graph';

export type GraphFormat = 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

export interface ConfigGraph {
  stores: { name: string; type: string; source?: string; profile?: string }[];
  envs: { name: string; stores: string[] }[];
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The graph of a parsed config (`source.data`), limited to `env` and the stores it needs when given.
 * Store order is the file's; an env lists each store it reads once, in the order of its vars.
 */
export function configGraph(data: unknown, env?: string): ConfigGraph {
  const stores = Object.entries(obj(obj(data).secretStores)).map(([name, raw]) => {
    const s = obj(raw);
    return { name, type: str(s.type) ?? '?', source: str(s.credentials_from), profile: str(s.profile) };
  });
  const rawEnvs = obj(obj(data).envs);
  // An env reads the stores its vars name, its aws_credentials store, and those of the envs it extends.
  const readsOf = (name: string, used: Set<string>, seen: Set<string>): Set<string> => {
    if (seen.has(name)) return used;
    seen.add(name);
    const vars = obj(rawEnvs[name]);
    const parents = vars.extends;
    for (const p of typeof parents === 'string' ? [parents] : Array.isArray(parents) ? parents : []) if (typeof p === 'string') readsOf(p, used, seen);
    const identity = str(vars.aws_credentials);
    if (identity) used.add(identity);
    for (const v of Object.values(vars)) {
      const store = str(obj(obj(v).from).store);
      if (store) used.add(store);
    }
    return used;
  };
  let envs = Object.keys(rawEnvs).map((name) => ({ name, stores: [...readsOf(name, new Set(), new Set())] }));
  if (env === undefined) return { stores, envs };
  envs = envs.filter((e) => e.name === env);
  const byName = new Map(stores.map((s) => [s.name, s]));
  const needed = new Set(
    walk(
      envs.flatMap((e) => e.stores),
      (s) => (byName.get(s)?.source ? [byName.get(s)!.source!] : []),
      (s) => byName.has(s),
    ).order,
  );
  return { stores: stores.filter((s) => needed.has(s.name)), envs };
}

const origin = (s: ConfigGraph['stores'][number]) => (s.source ? undefined : s.profile ? `profile ${s.profile}` : 'default credentials');

/** Mermaid flowchart, left to right: credentials flow from a store's source to it, values from stores to envs. */
export function toMermaid(g: ConfigGraph): string {
  // Store names may hold characters mermaid reads as syntax: nodes get plain ids, names go in quoted labels.
  const id = new Map(g.stores.map((s, i) => [s.name, `s${i + 1}`]));
  const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const s of g.stores) {
    const from = origin(s);
    lines.push(`  ${id.get(s.name)}[${label(`${s.name}<br/>${s.type}${from ? `<br/>(${from})` : ''}`)}]`);
  }
  g.envs.forEach((e, i) => lines.push(`  e${i + 1}([${label(`env ${e.name}`)}])`));
  for (const s of g.stores) {
    if (s.source && id.has(s.source)) lines.push(`  ${id.get(s.source)} -->|credentials_from| ${id.get(s.name)}`);
  }
  g.envs.forEach((e, i) => {
    for (const s of e.stores) if (id.has(s)) lines.push(`  ${id.get(s)} -.-> e${i + 1}`);
  });
  return lines.join('\n') + '\n';
}

/** Graphviz dot, the same picture: `dsops graph --format dot | dot -Tsvg > stores.svg`. */
export function toDot(g: ConfigGraph): string {
  const q = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const known = new Set(g.stores.map((s) => s.name));
  const lines = ['digraph dsops {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const s of g.stores) {
    const from = origin(s);
    lines.push(`  ${q(s.name)} [shape=box, label=${q(`${s.name}\n${s.type}${from ? `\n(${from})` : ''}`)}];`);
  }
  for (const e of g.envs) lines.push(`  ${q(`env ${e.name}`)} [shape=ellipse];`);
  for (const s of g.stores) if (s.source && known.has(s.source)) lines.push(`  ${q(s.source)} -> ${q(s.name)} [label="credentials_from"];`);
  for (const e of g.envs) for (const s of e.stores) if (known.has(s)) lines.push(`  ${q(s)} -> ${q(`env ${e.name}`)} [style=dashed];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
