/**
 * Issue 9 items 5-14 (and issue 8 item 5's alias bound), one test per report, through the library:
 * parseConfig → prepareAll / prepareEnv. Each failed before its fix.
 */
import { ConfigError, ConfigIssue, makeScope, parseConfig, prepareAll, prepareEnv } from '../../src/index';
import { YAML_LIMITS } from '../../src/config/yaml-limits';

const NOW = new Date('2026-03-04T05:06:07Z');
const ARN = 'arn:aws:iam::123456789012:role/App';

function issuesOf(text: string, env?: string): ConfigIssue[] {
  try {
    const source = parseConfig(text, 'dsops.yaml');
    if (env) prepareEnv(source, env, makeScope({ USER: 'tester' }, NOW));
    else prepareAll(source, makeScope({ USER: 'tester' }, NOW));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
}

/** `code@line:col` for each issue, in order. */
const where = (issues: ConfigIssue[]) => issues.map((i) => `${i.code}@${i.loc?.line}:${i.loc?.col}`);
const store = (name: string, lines: string[]) => [`  ${name}:`, '    type: aws.sts', `    role_arn: ${ARN}`, ...lines.map((l) => `    ${l}`)];
const config = (stores: string[], envs: string[] = ['  e:', '    X: y']) => ['version: 1', 'secretStores:', ...stores, 'envs:', ...envs, ''].join('\n');

describe('item 5: aliases', () => {
  test('an unresolved alias is a located exit-2 problem, not an unexpected failure', () => {
    expect(where(issuesOf(config(store('a', ['region: *nope']))))).toEqual(['E_YAML@6:13']);
  });

  test('150 stores sharing `region: *region` plus one bad store: that one problem, located', () => {
    const stores = store('first', ['region: &region us-east-1']);
    for (let i = 0; i < 150; i++) stores.push(...store(`s${i}`, ['region: *region']));
    stores.push(...store('bad', ['duration_seconds: 100']));
    const text = config(stores);
    const line = text.split('\n').indexOf('    duration_seconds: 100') + 1;
    expect(where(issuesOf(text))).toEqual([`E_DURATION@${line}:23`]);
  });
});

describe('item 6 / issue 8 item 5: billion laughs', () => {
  test('under session_policy it is refused at once, located, without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const issues = issuesOf(config(store('a', ['session_policy:', ...levels.map((l) => `  ${l}`)])));
    expect(issues.map((i) => i.code)).toEqual(['E_YAML_ALIASES']);
    expect(issues[0].loc?.line).toBeGreaterThanOrEqual(7);
  });

  test('alias reuse a real config needs (one mapping in 1,000 places) is fine', () => {
    const text = ['version: 1', 'secretStores:', '  a:', '    type: aws.sts', `    role_arn: ${ARN}`, '    tags: &t {Team: ops, Env: prod}', 'envs:'];
    for (let i = 0; i < 1000; i++) text.push(`  e${i}:`, '    X: y');
    expect(issuesOf(text.join('\n') + '\n')).toEqual([]);
  });
});

describe('item 7: the error path costs what the success path does', () => {
  // No wall clock: the error path must not parse the whole file with `yaml`, so it is counted instead.
  test('50,000 stores with one error at the end are located without a full positional parse', () => {
    const lines = ['version: 1', 'secretStores:'];
    for (let i = 0; i < 50_000; i++) lines.push(`  s${i}:`, '    type: aws.secretsmanager');
    lines.push('  bad:', '    type: aws.sts', `    role_arn: ${ARN}`, '    duration_seconds: 100', 'envs:', '  e:', '    X: y', '');
    const yamlLib = require('yaml') as typeof import('yaml');
    const spy = jest.spyOn(yamlLib, 'parseDocument');
    try {
      expect(where(issuesOf(lines.join('\n')))).toEqual([`E_DURATION@${lines.length - 4}:23`]);
      for (const call of spy.mock.calls) expect(call[0].length).toBeLessThan(1000);
    } finally {
      spy.mockRestore();
    }
  });

  test('a flow line with 60,000 tags: the count problem is located at the field without parsing the line', () => {
    const tags = Array.from({ length: 60_000 }, (_, i) => `K${i}: v`).join(', ');
    const lines = ['version: 1', 'secretStores:'];
    for (let i = 0; i < 200; i++) lines.push(`  s${i}:`, '    type: aws.secretsmanager');
    lines.push(...store('a', [`tags: {${tags}}`]));
    lines.push('envs:', '  e:', '    X: y', '');
    const yamlLib = require('yaml') as typeof import('yaml');
    const spy = jest.spyOn(yamlLib, 'parseDocument');
    try {
      expect(where(issuesOf(lines.join('\n')))).toEqual([`E_TAGS@${lines.length - 4}:11`]);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('item 8: control characters', () => {
  test.each([
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['NUL', '\u0000'],
  ])('a raw %s is rejected at its position', (_, ch) => {
    const issues = issuesOf(config(store('a', [`region: us-east-1${ch}`])));
    expect(where(issues)).toEqual(['E_YAML@6:22']);
    expect(issues[0].message).toMatch(/control character U\+00/);
  });
});

describe('item 9: problems without a location', () => {
  test.each([
    ['empty', ''],
    ['whitespace only', '   \n\t\n'],
    ['comments only', '# nothing here\n'],
  ])('an %s file is located at 1:1', (_, text) => {
    expect(where(issuesOf(text))).toEqual(['E_MISSING_KEY@1:1']);
  });

  test('CR-only line endings are located like LF', () => {
    const text = config(store('a', ['duration_seconds: 100'])).replace(/\n/g, '\r');
    expect(where(issuesOf(text))).toEqual(['E_DURATION@6:23']);
  });

  test('a 1 MB key is located, and quoted only in part', () => {
    const key = 'k'.repeat(1_000_000);
    const issues = issuesOf(config(store('a', [`"${key}": 1`])));
    expect(where(issues)).toEqual(['E_UNKNOWN_KEY@6:5']);
    expect(issues[0].message.length).toBeLessThan(200);
    expect(issues[0].message).toContain('(1000000 characters)');
  });
});

test('item 9: a long bad value elsewhere (a secret key, a store name) is quoted only in part too', () => {
  const long = 'x y'.repeat(100_000);
  const text = config(['  sm:', '    type: aws.secretsmanager'], ['  e:', `    A: {from: {store: sm, key: "${long}"}}`, `    B: {from: {store: "n${'o'.repeat(100_000)}", key: k}}`]);
  const issues = issuesOf(text);
  expect(issues.map((i) => i.code).sort()).toEqual(['E_BAD_KEY', 'E_UNKNOWN_STORE']);
  for (const i of issues) expect(i.message.length).toBeLessThan(300);
});

describe('item 10: problems at the offending entry', () => {
  test('a bad tag on line 8 is reported at its key on line 8, not at the first tag', () => {
    const text = config(store('a', ['tags:', '  Team: ops', '  "aws:cost": z']));
    expect(where(issuesOf(text))).toEqual(['E_TAGS@8:7']);
  });

  test('a bad policy ARN and a missing transitive key, each at its entry', () => {
    const text = config(store('a', ['policy_arns:', '  - arn:aws:iam::aws:policy/ReadOnlyAccess', '  - nope', 'tags: {Team: ops}', 'transitive_tag_keys: [Team, Project]']));
    expect(where(issuesOf(text))).toEqual(['E_POLICY_ARNS@8:9', 'E_TRANSITIVE_TAG_KEYS@10:33']);
  });

  test('an unclosed quote is reported at the quote', () => {
    const text = config(store('a', ['region: "us-east-1', 'profile: x']));
    expect(where(issuesOf(text))).toEqual(['E_YAML@6:13']);
  });

  test.each([
    ['flow mapping', 'tags: {Team: ops, Env: prod'],
    ['flow sequence', 'policy_arns: [arn:aws:iam::aws:policy/ReadOnlyAccess'],
  ])('an unclosed %s is reported where it opens', (_, line) => {
    const issues = issuesOf(config(store('a', [line, 'profile: x'])));
    expect(issues).toHaveLength(1);
    expect(issues[0].loc?.line).toBe(6);
  });

  test('over-indentation is reported on its own line; one tab gives one error', () => {
    expect(where(issuesOf(config(store('a', ['  region: us-east-1']))))).toEqual(['E_YAML@6:13']);
    expect(where(issuesOf('version: 1\nsecretStores:\n  a:\n\ttype: aws.sts\n'))).toEqual(['E_YAML@4:1']);
  });

  test('a complex key is a located problem, with no Node warning', () => {
    const warn = jest.spyOn(process, 'emitWarning');
    try {
      expect(where(issuesOf('version: 1\n? [a, b]\n: c\n'))).toEqual(['E_YAML_COMPLEX_KEY@2:3']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('item 11: exec reports what validate does', () => {
  test('a var with a schema error still gets its store checked', () => {
    const text = config(store('a', ['role_session_name: "a b"']), ['  e:', '    K: {from: {store: a, key: AccessKeyId}, default: x}']);
    const all = issuesOf(text).map((i) => i.code).sort();
    expect(all).toEqual(['E_SESSION_NAME', 'E_UNKNOWN_KEY']);
    expect(issuesOf(text, 'e').map((i) => i.code).sort()).toEqual(all);
  });
});

describe('item 12: malformed input is a located error', () => {
  test.each(['"pre-${VAR"', '"${VAR:default}"'])('region: %s', (value) => {
    expect(where(issuesOf(config(store('a', [`region: ${value}`]))))).toEqual(['E_BAD_INTERPOLATION@6:13']);
  });

  test('in a var as well', () => {
    expect(where(issuesOf(config(store('a', []), ['  e:', '    X: "${VAR"'])))).toEqual(['E_BAD_INTERPOLATION@8:8']);
  });

  test('a session policy keeps IAM\'s own ${aws:username}', () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}/*' }] });
    expect(issuesOf(config(store('a', [`session_policy: '${policy}'`])))).toEqual([]);
  });

  test.each(['!Ref Region', '!Sub "${AWS::Region}"'])('an unknown tag (%s) is not dropped silently', (value) => {
    expect(where(issuesOf(config(store('a', [`region: ${value}`]))))).toEqual(['E_YAML@6:13']);
  });

  test.each([
    ['1', '"1"'],
    ['true', '"true"'],
  ])('keys %s and %s are one key once loaded: reported as repeated', (a, b) => {
    const issues = issuesOf(config(store('a', ['tags:', `  ${a}: x`, `  ${b}: y`])));
    expect(where(issues)).toEqual(['E_DUPLICATE_KEY@8:7']);
  });
});

describe('item 13: no false rejections against botocore\'s model', () => {
  test('tag keys and values are counted in code points', () => {
    const key = '𝐀'.repeat(65);
    const value = '𝐀'.repeat(200);
    expect(issuesOf(config(store('a', [`tags: {"${key}": "${value}"}`])))).toEqual([]);
    expect(issuesOf(config(store('a', [`tags: {"${'𝐀'.repeat(129)}": v}`]))).map((i) => i.message)).toEqual([
      expect.stringContaining('must be 1-128 characters (got 129)'),
    ]);
  });

  test('a role path of 512 characters, and one with !, are accepted; 513 is not', () => {
    const arn = (p: string) => `arn:aws:iam::123456789012:role${p}App`;
    const path512 = '/' + 'p'.repeat(510) + '/';
    const ok = (a: string) => issuesOf(['version: 1', 'secretStores:', '  a:', '    type: aws.sts', `    role_arn: "${a}"`, 'envs: {}', ''].join('\n'));
    expect(ok(arn(path512))).toEqual([]);
    expect(ok(arn('/team!ops/'))).toEqual([]);
    expect(ok(arn('/' + 'p'.repeat(511) + '/')).map((i) => i.code)).toEqual(['E_ROLE_ARN']);
  });
});

describe('item 14: deep nesting', () => {
  test('says "nested too deeply", located, never "Maximum call stack size"', () => {
    for (const text of [`version: 1\nx: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, `version: 1\nx: ${'['.repeat(YAML_LIMITS.maxDepth + 2)}${']'.repeat(YAML_LIMITS.maxDepth + 2)}\n`]) {
      const issues = issuesOf(text);
      expect(issues.map((i) => i.code)).toEqual(['E_YAML_DEPTH']);
      expect(issues[0].message).toMatch(/nested too deeply/);
      expect(issues[0].loc?.line).toBe(2);
    }
  });
});
