/** `dsops graph` output (graph/render.ts) for the example configs: every store, edge and env reader drawn, and two in full. */
import * as fs from 'fs';
import * as path from 'path';
import { parseConfig } from '../../src/config/load';
import { configGraph, toDot, toMermaid } from '../../src/graph/render';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const load = (name: string) => parseConfig(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'), name).data;
const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

describe('graph of every example', () => {
  it.each(files.map((f) => [f]))('%s: each store, credentials_from edge and env reader appears once', (file) => {
    const data = load(file) as { secretStores: Record<string, { credentials_from?: string }>; envs: Record<string, Record<string, { from?: { store: string } }>> };
    const mermaid = toMermaid(configGraph(data));
    const dot = toDot(configGraph(data));
    const names = Object.keys(data.secretStores);
    const ids = new Map(names.map((n, i) => [n, `s${i + 1}`]));
    for (const n of names) {
      expect(mermaid.match(new RegExp(`^  ${ids.get(n)}\\["${n}<br/>`, 'm'))).toHaveLength(1);
      expect(dot).toContain(`  "${n}" [shape=box`);
      const from = data.secretStores[n].credentials_from;
      if (from) {
        expect(mermaid).toContain(`  ${ids.get(from)} -->|credentials_from| ${ids.get(n)}\n`);
        expect(dot).toContain(`  "${from}" -> "${n}" [label="credentials_from"];`);
      }
    }
    Object.entries(data.envs).forEach(([env, vars], i) => {
      const used = new Set(Object.values(vars).flatMap((v) => (v.from ? [v.from.store] : [])));
      for (const s of used) {
        expect(mermaid).toContain(`  ${ids.get(s)} -.-> e${i + 1}\n`);
        expect(dot).toContain(`  "${s}" -> "env ${env}" [style=dashed];`);
      }
    });
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(dot.startsWith('digraph dsops {\n') && dot.endsWith('}\n')).toBe(true);
  });
});

describe('chain-of-roles.yaml in full', () => {
  it('mermaid', () => {
    expect(toMermaid(configGraph(load('chain-of-roles.yaml')))).toBe(
      [
        'flowchart LR',
        '  s1["aws-sts-jump<br/>aws.sts<br/>(default credentials)"]',
        '  s2["aws-sts-target<br/>aws.sts"]',
        '  s3["target-secrets<br/>aws.secretsmanager"]',
        '  e1(["env target"])',
        '  s1 -->|credentials_from| s2',
        '  s2 -->|credentials_from| s3',
        '  s2 -.-> e1',
        '  s3 -.-> e1',
        '',
      ].join('\n'),
    );
  });

  it('dot', () => {
    expect(toDot(configGraph(load('chain-of-roles.yaml')))).toBe(
      [
        'digraph dsops {',
        '  rankdir=LR;',
        '  node [fontname="Helvetica"];',
        '  "aws-sts-jump" [shape=box, label="aws-sts-jump\\naws.sts\\n(default credentials)"];',
        '  "aws-sts-target" [shape=box, label="aws-sts-target\\naws.sts"];',
        '  "target-secrets" [shape=box, label="target-secrets\\naws.secretsmanager"];',
        '  "env target" [shape=ellipse];',
        '  "aws-sts-jump" -> "aws-sts-target" [label="credentials_from"];',
        '  "aws-sts-target" -> "target-secrets" [label="credentials_from"];',
        '  "aws-sts-target" -> "env target" [style=dashed];',
        '  "target-secrets" -> "env target" [style=dashed];',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('--env', () => {
  it('multi-region.yaml --env eu: only eu and the stores it needs, upstream included', () => {
    const g = configGraph(load('multi-region.yaml'), 'eu');
    expect(g.envs).toEqual([{ name: 'eu', stores: ['secrets-eu'] }]);
    expect(g.stores.map((s) => s.name)).toEqual(['aws-sts-eu-west', 'secrets-eu']);
  });
});

describe('names mermaid would read as syntax', () => {
  it('quotes go in as #quot; and ids stay plain', () => {
    const out = toMermaid(configGraph({ secretStores: { 'a"b': { type: 'aws.sts' } }, envs: { 'x y': { K: { from: { store: 'a"b' } } } } }));
    expect(out).toContain('  s1["a#quot;b<br/>aws.sts<br/>(default credentials)"]');
    expect(out).toContain('  e1(["env x y"])');
    expect(out).toContain('  s1 -.-> e1');
  });
});
