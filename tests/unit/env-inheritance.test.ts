/**
 * Env inheritance: `extends` (a name or a list, later wins, own vars win over inherited ones) and YAML
 * merge keys (`<<: *base`), through the library as exec and validate use it. Problems point at the line
 * where the value was written.
 */
import { ConfigError, ConfigIssue, makeScope, parseConfig, prepareAll, prepareEnv } from '../../src/index';
import type { PreparedEnv } from '../../src/index';
import { parseYaml } from '../../src/config/source';

const NOW = new Date('2026-03-04T05:06:07Z');
const scope = (env: Record<string, string> = {}) => makeScope({ USER: 'tester', ...env }, NOW);

function y(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** 1-based line and column of `needle` (plus `skip`) in `text`. */
function at(text: string, needle: string, skip = 0): { line: number; col: number } {
  const off = text.indexOf(needle);
  if (off < 0) throw new Error(`test bug: "${needle}" not in config`);
  const before = text.slice(0, off + skip);
  return { line: before.split('\n').length, col: off + skip - before.lastIndexOf('\n') };
}

function issuesOf(fn: () => unknown): ConfigIssue[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const literals = (p: PreparedEnv) => Object.fromEntries(p.vars.map((v) => [v.name, v.kind === 'literal' ? v.value : `<${v.store}>`]));

const BASE = y(`
  version: 1
  secretStores:
    role: { type: aws.sts, role_arn: arn:aws:iam::123456789012:role/App }
    sm: { type: aws.secretsmanager, credentials_from: role }
  envs:
    common:
      LOG_LEVEL: info
      REGION: us-east-1
      DB: { from: { store: sm, key: app/db } }
    eu:
      REGION: eu-west-1
      STAGE: eu
    staging:
      extends: common
      STAGE: staging
    prod:
      extends: [common, eu]
      LOG_LEVEL: warn
`);

test('extends: a name inherits every var; a list applies in order, later wins; own vars win over all', () => {
  const source = parseConfig(BASE, 'dsops.yaml');
  expect(literals(prepareEnv(source, 'staging', scope()))).toEqual({ LOG_LEVEL: 'info', REGION: 'us-east-1', DB: '<sm>', STAGE: 'staging' });
  const prod = prepareEnv(source, 'prod', scope());
  expect(literals(prod)).toEqual({ LOG_LEVEL: 'warn', REGION: 'eu-west-1', DB: '<sm>', STAGE: 'eu' });
  // The inherited store var brings its stores with it.
  expect(prod.order).toEqual(['role', 'sm']);
  expect(prepareAll(source, scope()).map((e) => e.env)).toEqual(['common', 'eu', 'staging', 'prod']);
});

test('extends chains through envs that extend others', () => {
  const text = y(`
    version: 1
    envs:
      a: { X: a, Y: a }
      b: { extends: a, Y: b, Z: b }
      c: { extends: b, Z: c }
  `);
  expect(literals(prepareEnv(parseConfig(text, 'dsops.yaml'), 'c', scope()))).toEqual({ X: 'a', Y: 'b', Z: 'c' });
});

test('an extends cycle is one located error, and so is an unknown name (with did-you-mean)', () => {
  const text = y(`
    version: 1
    envs:
      base: { X: 1 }
      one:
        extends: two
      two:
        extends: [base, one]
      self:
        extends: self
      typo:
        extends: bsae
  `);
  const issues = issuesOf(() => prepareAll(parseConfig(text, 'dsops.yaml'), scope()));
  expect(issues.map((i) => [i.code, i.message, i.loc && { line: i.loc.line, col: i.loc.col }])).toEqual([
    ['E_EXTENDS_CYCLE', 'env two: extends "one", a cycle: one → two → one', at(text, 'one]')],
    ['E_EXTENDS_CYCLE', 'env self: extends "self", a cycle: self → self', at(text, 'extends: self', 9)],
    ['E_UNKNOWN_ENV', 'env typo: extends "bsae", which is not defined in envs', at(text, 'extends: bsae', 9)],
  ]);
  expect(issues[2].hint).toBe('did you mean "base"?');
  // exec --env one stops on the same cycle, before any call.
  expect(issuesOf(() => prepareEnv(parseConfig(text, 'dsops.yaml'), 'one', scope())).map((i) => i.code)).toEqual(['E_EXTENDS_CYCLE']);
});

test('extends of the wrong shape is a schema error naming the env, not a var', () => {
  const text = y(`
    version: 1
    envs:
      a: { extends: 5 }
  `);
  const [issue] = issuesOf(() => prepareAll(parseConfig(text, 'dsops.yaml'), scope()));
  expect(issue).toMatchObject({ code: 'E_SCHEMA_TYPE', message: 'env a: extends must be string or array', loc: { ...at(text, '5') } });
});

test('a problem in an inherited var is reported once, where it is written', () => {
  const text = y(`
    version: 1
    envs:
      base:
        URL: https://\${HOST}/x
      a: { extends: base }
      b: { extends: base }
  `);
  const issues = issuesOf(() => prepareAll(parseConfig(text, 'dsops.yaml'), scope()));
  expect(issues).toHaveLength(1);
  expect(issues[0]).toMatchObject({ code: 'E_UNDEFINED_VAR', message: 'env base, var URL: uses ${HOST}, which is not set', loc: at(text, 'https') });
  expect(issuesOf(() => prepareEnv(parseConfig(text, 'dsops.yaml'), 'b', scope()))[0].loc).toMatchObject(at(text, 'https'));
});

const MERGE = y(`
  version: 1
  x-shared: &shared
    LOG_LEVEL: info
    REGION: us-east-1
    DB: { from: { store: nope, key: app/db } }
  envs:
    staging:
      <<: *shared
      REGION: eu-west-1
`);

test('YAML merge keys: an anchored mapping is merged, own keys win, and x- keys hold anchors', () => {
  const ok = MERGE.replace('store: nope', 'store: sm').replace('envs:', 'secretStores:\n  sm: { type: aws.secretsmanager }\nenvs:');
  expect(literals(prepareEnv(parseConfig(ok, 'dsops.yaml'), 'staging', scope()))).toEqual({ LOG_LEVEL: 'info', REGION: 'eu-west-1', DB: '<sm>' });
});

test('a problem in a merged value points at the line where it was written, not at <<', () => {
  const issues = issuesOf(() => prepareAll(parseConfig(MERGE, 'dsops.yaml'), scope()));
  expect(issues).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_STORE', loc: expect.objectContaining(at(MERGE, 'nope')) })]);
});

test('merge keys from a list of anchors: the first that has a key wins, as YAML says', () => {
  const text = y(`
    version: 1
    envs:
      a: &a { X: a }
      b: &b { X: b, Y: b }
      c:
        <<: [*a, *b]
  `);
  expect(literals(prepareEnv(parseConfig(text, 'dsops.yaml'), 'c', scope()))).toEqual({ X: 'a', Y: 'b' });
});

test('both YAML libraries agree on merges: a file that needs positions reads the same data', () => {
  // A repeated key makes dsops read the file with `yaml` instead of js-yaml; the merge must still apply.
  const text = y(`
    version: 1
    x-shared: &shared { A: shared, B: shared }
    envs:
      e:
        <<: *shared
        B: own
        C: first
        C: second
  `);
  const viaYaml = parseYaml(text, 'dsops.yaml');
  expect(viaYaml.issues.map((i) => i.code)).toEqual([]);
  expect(viaYaml.source?.schemaIssues.map((i) => i.code)).toEqual(['E_DUPLICATE_KEY']);
  const viaJsYaml = parseYaml(text.replace('    C: first\n', ''), 'dsops.yaml');
  expect((viaYaml.source?.data as { envs: unknown }).envs).toEqual({ e: { A: 'shared', B: 'own', C: 'second' } });
  expect((viaJsYaml.source?.data as { envs: unknown }).envs).toEqual({ e: { A: 'shared', B: 'own', C: 'second' } });
});
