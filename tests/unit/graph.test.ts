import { levels, walk } from '../../src/graph/graph';

/** A graph from `{store: [deps]}`; stores absent from the map do not exist. */
function graph(edges: Record<string, string[]>) {
  const deps = (s: string) => edges[s] ?? [];
  const exists = (s: string) => Object.prototype.hasOwnProperty.call(edges, s);
  return { deps, exists };
}

describe('walk', () => {
  test('dependencies come before dependents', () => {
    const { deps, exists } = graph({ target: ['jump'], jump: ['base'], base: [] });
    expect(walk(['target'], deps, exists)).toEqual({ order: ['base', 'jump', 'target'], cycles: [], missing: [] });
  });

  test('only what the roots reach is visited', () => {
    const { deps, exists } = graph({ a: ['b'], b: [], unused: ['b'] });
    expect(walk(['a'], deps, exists).order).toEqual(['b', 'a']);
  });

  test('a shared dependency appears once, and the roots keep their order', () => {
    const { deps, exists } = graph({ us: ['mfa'], eu: ['mfa'], mfa: [], sm: ['us'] });
    expect(walk(['sm', 'eu'], deps, exists).order).toEqual(['mfa', 'us', 'sm', 'eu']);
  });

  test('a repeated root is walked once', () => {
    const { deps, exists } = graph({ a: [] });
    expect(walk(['a', 'a'], deps, exists).order).toEqual(['a']);
  });

  test('a root that does not exist is skipped silently (the caller reports it)', () => {
    const { deps, exists } = graph({ a: [] });
    expect(walk(['ghost', 'a'], deps, exists)).toEqual({ order: ['a'], cycles: [], missing: [] });
  });

  test('an edge to a store that does not exist is reported as [from, to]', () => {
    const { deps, exists } = graph({ sm: ['jmp'], other: ['nope', 'sm'] });
    const g = walk(['other'], deps, exists);
    expect(g.missing).toEqual([
      ['other', 'nope'],
      ['sm', 'jmp'],
    ]);
    expect(g.order).toEqual(['sm', 'other']);
  });

  test('a two-store cycle is reported with its first store repeated', () => {
    const { deps, exists } = graph({ a: ['b'], b: ['a'] });
    const g = walk(['a'], deps, exists);
    expect(g.cycles).toEqual([['a', 'b', 'a']]);
    expect(g.order.sort()).toEqual(['a', 'b']);
  });

  test('a self-edge is a cycle', () => {
    const { deps, exists } = graph({ a: ['a'] });
    expect(walk(['a'], deps, exists).cycles).toEqual([['a', 'a']]);
  });

  test('a cycle below the root lists only the stores on the loop', () => {
    const { deps, exists } = graph({ root: ['x'], x: ['y'], y: ['z'], z: ['x'] });
    expect(walk(['root'], deps, exists).cycles).toEqual([['x', 'y', 'z', 'x']]);
  });

  test('a cycle is reported once however many roots reach it', () => {
    const { deps, exists } = graph({ a: ['b'], b: ['a'], c: ['a'] });
    expect(walk(['a', 'b', 'c'], deps, exists).cycles).toEqual([['a', 'b', 'a']]);
  });

  test('a store with several sources (not used by today\'s types) works', () => {
    const { deps, exists } = graph({ app: ['east', 'west'], east: ['base'], west: ['base'], base: [] });
    expect(walk(['app'], deps, exists).order).toEqual(['base', 'east', 'west', 'app']);
  });

  test('a 5000-store chain does not overflow the stack', () => {
    const n = 5000;
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) edges[`s${i}`] = i + 1 < n ? [`s${i + 1}`] : [];
    const { deps, exists } = graph(edges);
    const g = walk(['s0'], deps, exists);
    expect(g.cycles).toEqual([]);
    expect(g.missing).toEqual([]);
    expect(g.order).toHaveLength(n);
    expect(g.order[0]).toBe(`s${n - 1}`);
    expect(g.order[n - 1]).toBe('s0');
  });

  test('a 5000-store loop is found and spelled out in full', () => {
    const n = 5000;
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) edges[`s${i}`] = [`s${(i + 1) % n}`];
    const { deps, exists } = graph(edges);
    const g = walk(['s0'], deps, exists);
    expect(g.cycles).toHaveLength(1);
    expect(g.cycles[0]).toHaveLength(n + 1);
    expect(g.cycles[0][0]).toBe('s0');
    expect(g.cycles[0][n]).toBe('s0');
  });
});

describe('levels', () => {
  test('groups a topological order into waves by depth', () => {
    const { deps, exists } = graph({ sm: ['role'], role: ['mfa'], other: ['mfa'], mfa: [], lone: [] });
    const { order } = walk(['sm', 'other', 'lone'], deps, exists);
    expect(levels(order, deps)).toEqual([['mfa', 'lone'], ['role', 'other'], ['sm']]);
  });
});
