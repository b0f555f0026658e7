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
 * time linear in what the file really holds, never in the expansion.
 */
export function checkExpansion(data: unknown): ExpansionProblem | undefined {
  const sizes = new Map<object, number>();
  let distinct = 0;
  let problem: ExpansionProblem | undefined;
  const size = (node: unknown, path: (string | number)[], depth: number): number => {
    // Scalars are not counted: an alias to a string adds no node, and a file with 200,000 scalars is fine.
    if (problem || node === null || typeof node !== 'object') return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (depth > YAML_LIMITS.maxDepth) {
      problem = { kind: 'depth', path };
      return 0;
    }
    distinct++;
    let n = 1;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [k, v] of entries) {
      if (problem) return n;
      n += size(v, [...path, k], depth + 1);
      // Only the first crossing is kept: it is the deepest, nearest the aliases that grew.
      if (!problem && n - distinct > YAML_LIMITS.maxAliasNodes) {
        problem = { kind: 'aliases', path: [...path, k] };
        return n;
      }
    }
    sizes.set(node, n);
    return n;
  };
  size(data, [], 0);
  return problem;
}
