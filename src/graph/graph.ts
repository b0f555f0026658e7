/**
 * The store graph. Each store has at most one edge (`credentials_from`), but nothing here relies on that,
 * so a future store type with several sources fits. Pure, iterative and linear in stores + edges.
 */
export type DepsOf = (store: string) => readonly string[];

export interface GraphProblems {
  /** Each cycle as the list of stores on it, first repeated at the end: a → b → a. */
  cycles: string[][];
  /** Edges to stores that do not exist: [from, to]. */
  missing: [string, string][];
}

/**
 * Walks everything reachable from `roots`, returning dependencies before dependents (topological order)
 * along with any cycles and dangling edges found on the way.
 */
export function walk(roots: Iterable<string>, deps: DepsOf, exists: (s: string) => boolean): { order: string[] } & GraphProblems {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const order: string[] = [];
  const cycles: string[][] = [];
  const missing: [string, string][] = [];
  for (const root of roots) {
    if (state.has(root) || !exists(root)) continue;
    // Explicit stack: a 5,000-store chain must not overflow the call stack.
    const stack: { node: string; i: number }[] = [{ node: root, i: 0 }];
    const path: string[] = [root];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const ds = deps(top.node);
      if (top.i < ds.length) {
        const next = ds[top.i++];
        if (!exists(next)) {
          missing.push([top.node, next]);
          continue;
        }
        const s = state.get(next);
        if (s === 1) {
          cycles.push([...path.slice(path.indexOf(next)), next]);
          continue;
        }
        if (s === 2) continue;
        state.set(next, 1);
        stack.push({ node: next, i: 0 });
        path.push(next);
      } else {
        state.set(top.node, 2);
        order.push(top.node);
        stack.pop();
        path.pop();
      }
    }
  }
  return { order, cycles, missing };
}

/** Groups a topological order into waves, for display only: resolution itself never waits for a wave. */
export function levels(order: readonly string[], deps: DepsOf): string[][] {
  const depth = new Map<string, number>();
  const out: string[][] = [];
  for (const s of order) {
    let d = 0;
    for (const p of deps(s)) d = Math.max(d, (depth.get(p) ?? -1) + 1);
    depth.set(s, d);
    (out[d] ??= []).push(s);
  }
  return out;
}
