/**
 * Limits every YAML parse in dsops is held to, whichever library does the parsing: js-yaml reads the
 * data (it is ~30× faster than `yaml` on a 5,000-store file) and `yaml` finds positions and diagnoses
 * syntax errors. Both are given these numbers, and data from either passes `checkExpansion`.
 */
export const YAML_LIMITS = {
  /** Nesting of collections. A real config nests about 8 deep (a session policy's conditions). */
  maxDepth: 64,
  /**
   * Mappings and sequences that aliases add once expanded (a `*ref` to a mapping holding two lists adds 3).
   * Normal reuse, such as 5,000 stores sharing one `&defaults` mapping, stays far below; a billion-laughs
   * document does not.
   */
  maxAliasNodes: 100_000,
} as const;

export interface ExpansionProblem {
  kind: 'aliases' | 'depth';
  /** Where in the data the limit was crossed. */
  path: (string | number)[];
}

/**
 * Checks parsed data against the alias and depth limits. Both parsers return an alias as a reference to
 * the anchored value, so the data is a DAG: its expanded size is counted with one memo per object, in
 * time linear in what the file really holds, never in the expansion. Scalars are not counted: an alias
 * to a string adds no node, and a file with 200,000 scalars is fine.
 */
export function checkExpansion(data: unknown): ExpansionProblem | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const sizes = new Map<object, number>();
  const path: (string | number)[] = [];
  let distinct = 0;
  let problem: ExpansionProblem | undefined;
  // One step into a child; false once a limit is crossed. The first crossing is kept: it is the
  // deepest, nearest the aliases that grew.
  const child = (v: unknown, k: string | number, depth: number, acc: { n: number }): boolean => {
    if (v === null || typeof v !== 'object') return true;
    path.push(k);
    acc.n += size(v, depth + 1);
    path.pop();
    if (problem) return false;
    if (acc.n - distinct > YAML_LIMITS.maxAliasNodes) {
      problem = { kind: 'aliases', path: [...path, k] };
      return false;
    }
    return true;
  };
  const size = (node: object, depth: number): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (depth > YAML_LIMITS.maxDepth) {
      problem = { kind: 'depth', path: [...path] };
      return 0;
    }
    distinct++;
    const acc = { n: 1 };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) if (!child(node[i], i, depth, acc)) return acc.n;
    } else {
      for (const k in node) if (!child((node as Record<string, unknown>)[k], k, depth, acc)) return acc.n;
    }
    sizes.set(node, acc.n);
    return acc.n;
  };
  size(data, 0);
  return problem;
}

// An alias is `*name` where a node can start. Without one, nothing can expand, and js-yaml's own
// maxDepth has bounded the nesting: the walk above is skipped (it costs ~0.2 s on a 5,000-store file).
const ALIAS = /(?:^|[\s,[{:?-])\*[^\s,[\]{}]/;

/** False when the text holds no alias, so js-yaml's data cannot have grown beyond the text. */
export function mayHaveAliases(text: string): boolean {
  return ALIAS.test(text);
}
