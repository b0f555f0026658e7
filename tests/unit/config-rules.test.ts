/**
 * Every config rule, checked through the library: parseConfig → prepareAll/prepareEnv.
 * Each case asserts the issue code, the message text and the `line:col` the issue points at.
 * Locations are derived from the YAML text itself (see `at`), so a test fails if the issue points anywhere else.
 */
import { ConfigError, ConfigIssue, makeScope, parseConfig, prepareAll, prepareEnv } from '../../src/index';
import type { PreparedEnv, StsSpec } from '../../src/index';

const NOW = new Date('2026-03-04T05:06:07Z');
const ARN = 'arn:aws:iam::123456789012:role/App';

/** Strips the common leading indentation so configs can be written inline. */
function y(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/**
 * 1-based line and column of `needle` in `text` (its `nth` occurrence), plus `skip` characters.
 * `at(t, 'role_arn: ', 'role_arn: '.length)` is where the value of role_arn starts.
 */
function at(text: string, needle: string, skip = 0, nth = 1): { line: number; col: number } {
  let idx = -1;
  for (let i = 0; i < nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`test bug: "${needle}" (#${nth}) not in config`);
  }
  const off = idx + skip;
  const before = text.slice(0, off);
  const line = before.split('\n').length;
  return { line, col: off - before.lastIndexOf('\n') };
}
/** Where the value after `key: ` starts. */
const valueOf = (text: string, key: string, nth = 1) => at(text, `${key}: `, key.length + 2, nth);
/** Where the key itself starts. */
const keyAt = (text: string, key: string, nth = 1) => at(text, `${key}:`, 0, nth);

type Outcome = { issues: ConfigIssue[]; envs?: PreparedEnv[] };

/** Runs the whole pipeline (every env and store, as `dsops validate` does). */
function check(text: string, env: Record<string, string> = {}): Outcome {
  try {
    const source = parseConfig(text, 'dsops.yaml');
    return { issues: [], envs: prepareAll(source, makeScope({ USER: 'tester', ...env }, NOW)) };
  } catch (e) {
    if (e instanceof ConfigError) return { issues: e.issues };
    throw e;
  }
}

/** Runs only one env, as `dsops exec --env X` does. */
function checkEnv(text: string, envName: string, env: Record<string, string> = {}): Outcome {
  try {
    const source = parseConfig(text, 'dsops.yaml');
    return { issues: [], envs: [prepareEnv(source, envName, makeScope({ USER: 'tester', ...env }, NOW))] };
  } catch (e) {
    if (e instanceof ConfigError) return { issues: e.issues };
    throw e;
  }
}

/** The one issue with `code` (fails if there are none or several), checked for message and location. */
function expectIssue(
  out: Outcome,
  code: string,
  message: string | RegExp,
  loc: { line: number; col: number },
): ConfigIssue {
  const found = out.issues.filter((i) => i.code === code);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${code}, got:\n${out.issues.map((i) => `  ${i.code} ${i.message}`).join('\n') || '  (none)'}`);
  }
  const issue = found[0];
  if (typeof message === 'string') expect(issue.message).toContain(message);
  else expect(issue.message).toMatch(message);
  expect(issue.loc).toEqual({ file: 'dsops.yaml', ...loc });
  return issue;
}

function expectValid(out: Outcome): PreparedEnv[] {
  if (out.issues.length) throw new Error(`expected no issues, got:\n${out.issues.map((i) => `  ${i.code} ${i.message}`).join('\n')}`);
  expect(out.envs).toBeDefined();
  return out.envs!;
}

const codes = (out: Outcome) => out.issues.map((i) => i.code).sort();

/**
 * One aws.sts store `s` (role ARN set) with `extra` lines under it, read by env `prod`,
 * plus `env` lines under prod. Both are written relative to their parent.
 */
function sts(extra: string, env = ''): string {
  const under = (text: string, n: number) => (text ? text.split('\n').map((l) => ' '.repeat(n) + l) : []);
  return [
    'version: 1',
    'secretStores:',
    '  s:',
    '    type: aws.sts',
    `    role_arn: ${ARN}`,
    ...under(extra, 4),
    'envs:',
    '  prod:',
    '    AWS_ACCESS_KEY_ID:',
    '      from: {store: s, key: AccessKeyId}',
    ...under(env, 4),
    '',
  ].join('\n');
}

function stsSpec(envs: PreparedEnv[], store = 's'): StsSpec {
  for (const e of envs) {
    const s = e.stores.get(store);
    if (s) return s as StsSpec;
  }
  throw new Error(`store ${store} not prepared`);
}

describe('YAML and schema', () => {
  test('a YAML syntax error is located and nothing else runs', () => {
    const t = y(`
      version: 1
      secretStores:
        s:
          type: aws.sts
          role_arn: [unclosed
      envs: {}
    `);
    const out = check(t);
    expect(codes(out)).toEqual(['E_YAML']);
    // At the bracket that is never closed, not at the line where the parser noticed (issue 9 item 10).
    expectIssue(out, 'E_YAML', /^invalid YAML: the flow sequence opened here is never closed/, valueOf(t, 'role_arn'));
  });

  test('tabs used as indentation are a YAML error at the tab', () => {
    const t = 'version: 1\nsecretStores:\n\ts: {}\n';
    expectIssue(check(t), 'E_YAML', /invalid YAML: Tabs are not allowed/, { line: 3, col: 1 });
  });

  test('a duplicate key points at the second occurrence', () => {
    const t = y(`
      version: 1
      secretStores:
        s:
          type: aws.sts
          role_arn: ${ARN}
          role_arn: arn:aws:iam::123456789012:role/Other
    `);
    const out = check(t);
    const i = expectIssue(
      out,
      'E_DUPLICATE_KEY',
      `store s: key "role_arn" is set twice (first at line ${keyAt(t, 'role_arn').line})`,
      keyAt(t, 'role_arn', 2),
    );
    expect(i.hint).toBe('a key can appear once per mapping; remove one of the two');
  });

  test('a store defined twice names the store and where it was first defined', () => {
    const t = y(`
      version: 1
      secretStores:
        prod:
          type: aws.sts
          role_arn: ${ARN}
        staging:
          type: aws.sts
          role_arn: ${ARN}
          duration: 20h
        prod:
          type: aws.secretsmanager
    `);
    const out = check(t);
    // The rest of the file is still checked in the same pass.
    expect(codes(out).sort()).toEqual(['E_DUPLICATE_KEY', 'E_DURATION']);
    const i = expectIssue(out, 'E_DUPLICATE_KEY', 'store "prod" is defined twice in secretStores (first at line 3)', keyAt(t, 'prod', 2));
    expect(i.message).toBe('store "prod" is defined twice in secretStores (first at line 3)');
    expect(i.hint).toBe('give each store its own name, or remove one of the two');
  });

  test('a var set twice in an env names the var and the env', () => {
    const t = y(`
      version: 1
      envs:
        dev:
          LOG_LEVEL: info
          REGION: us-east-1
          LOG_LEVEL: debug
    `);
    const i = expectIssue(check(t), 'E_DUPLICATE_KEY', 'env dev: var "LOG_LEVEL" is defined twice (first at line 4)', keyAt(t, 'LOG_LEVEL', 2));
    expect(i.hint).toBe('a variable can be set once per env; remove one of the two');
  });

  test('a duplicate inside a flow mapping on one line gives the column of the first', () => {
    const t = y(`
      version: 1
      envs:
        dev:
          DB: {from: {store: sm, key: db, store: other}}
    `);
    expectIssue(
      check(t),
      'E_DUPLICATE_KEY',
      `env dev, var DB: key "store" is set twice in from (first at column ${keyAt(t, 'store').col})`,
      keyAt(t, 'store', 2),
    );
  });

  test('every duplicate in the file is reported in one pass, each at its repeat', () => {
    const t = y(`
      version: 1
      secretStores:
        a:
          type: aws.sts
          role_arn: ${ARN}
          tags: {team: x, team: y}
        a:
          type: aws.sts
      envs:
        dev: {}
        dev: {}
    `);
    const out = check(t);
    const row = (message: string, loc: { line: number; col: number }) => ['E_DUPLICATE_KEY', message, { file: 'dsops.yaml', ...loc }];
    expect(out.issues.map((i) => [i.code, i.message, i.loc])).toEqual([
      row(`store a: key "team" is set twice in tags (first at column ${keyAt(t, 'team').col})`, keyAt(t, 'team', 2)),
      row(`store "a" is defined twice in secretStores (first at line ${keyAt(t, 'a').line})`, keyAt(t, 'a', 2)),
      row(`env "dev" is defined twice in envs (first at line ${keyAt(t, 'dev').line})`, keyAt(t, 'dev', 2)),
      // The later definition is the one kept, and it is checked (at its own place) in the same pass.
      ['E_MISSING_KEY', 'store a: missing required key "role_arn"', { file: 'dsops.yaml', ...keyAt(t, 'type', 2) }],
    ]);
  });

  test('an unknown store key suggests the key that was meant', () => {
    const t = sts('rol_session_name: deploy');
    const i = expectIssue(check(t), 'E_UNKNOWN_KEY', 'store s: unknown key "rol_session_name"', keyAt(t, 'rol_session_name'));
    expect(i.hint).toBe('did you mean "role_session_name"?');
  });

  test('an unknown key with nothing close gives no suggestion', () => {
    const t = sts('colour: blue');
    const i = expectIssue(check(t), 'E_UNKNOWN_KEY', 'store s: unknown key "colour"', keyAt(t, 'colour'));
    expect(i.hint).toBeUndefined();
  });

  test('an unknown key inside an env var suggests the key that was meant', () => {
    const t = y(`
      version: 1
      envs:
        prod:
          DB:
            from:
              stor: sm
              key: db
    `);
    const out = check(t);
    const i = expectIssue(out, 'E_UNKNOWN_KEY', 'env prod, var DB: unknown key "stor"', keyAt(t, 'stor'));
    expect(i.hint).toBe('did you mean "store"?');
    expectIssue(out, 'E_MISSING_KEY', 'env prod, var DB: missing required key "store"', keyAt(t, 'stor'));
  });

  test('an unknown top-level key', () => {
    const t = y(`
      version: 1
      secretStore: {}
    `);
    const i = expectIssue(check(t), 'E_UNKNOWN_KEY', 'config: unknown key "secretStore"', keyAt(t, 'secretStore'));
    expect(i.hint).toBe('did you mean "secretStores"?');
  });

  test('an unknown store type names the known types and suggests one', () => {
    const t = y(`
      version: 1
      secretStores:
        s:
          type: aws.stss
    `);
    const i = expectIssue(
      check(t),
      'E_UNKNOWN_STORE_TYPE',
      'store s: unknown type "aws.stss"; expected one of aws.secretsmanager, aws.ssm, aws.sts',
      valueOf(t, 'type'),
    );
    expect(i.hint).toBe('did you mean "aws.sts"?');
  });

  test('an aws.sts store without role_arn', () => {
    const t = y(`
      version: 1
      secretStores:
        s:
          type: aws.sts
          region: us-east-1
    `);
    expectIssue(check(t), 'E_MISSING_KEY', 'store s: missing required key "role_arn"', keyAt(t, 'type'));
  });

  test('get-session-token needs no role_arn', () => {
    const t = y(`
      version: 1
      secretStores:
        s:
          type: aws.sts
          operation: get-session-token
    `);
    expectValid(check(t));
  });

  test('a store with no body is a config error, not a crash', () => {
    // Regression: `name:` with nothing under it is null, and the graph step read null.credentials_from.
    const t = y(`
      version: 1
      secretStores:
        base:
        s:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: base
      envs:
        prod:
          K:
            from: {store: s, key: AccessKeyId}
    `);
    const out = check(t);
    expect(codes(out)).toEqual(['E_SCHEMA_TYPE']);
    // A null value has no text of its own; YAML places it just after the colon.
    expectIssue(out, 'E_SCHEMA_TYPE', 'store base: (store) must be object', at(t, 'base:', 'base:'.length));
  });
});

describe('a store with a schema problem is still checked against the AWS rules', () => {
  test('an unknown key and the AWS-rule problems of the same store are reported together', () => {
    const t = sts('colour: blue\nexternal_id: x\nduration_seconds: 100');
    const out = check(t);
    expect(codes(out)).toEqual(['E_DURATION', 'E_EXTERNAL_ID', 'E_UNKNOWN_KEY']);
    expectIssue(out, 'E_UNKNOWN_KEY', 'store s: unknown key "colour"', keyAt(t, 'colour'));
    expectIssue(out, 'E_EXTERNAL_ID', 'store s: external_id must be 2-1224 characters (got 1)', valueOf(t, 'external_id'));
    expectIssue(out, 'E_DURATION', 'store s: duration must be 900-43200 seconds (got 100)', valueOf(t, 'duration_seconds'));
  });

  test('exec --env checks them too, including undefined variables', () => {
    const t = sts('region: ${REGION}\nsource_identity: 12');
    const out = checkEnv(t, 'prod');
    expect(codes(out)).toEqual(['E_SCHEMA_TYPE', 'E_UNDEFINED_VAR']);
    expectIssue(out, 'E_SCHEMA_TYPE', 'store s: source_identity must be string', valueOf(t, 'source_identity'));
    expectIssue(out, 'E_UNDEFINED_VAR', 'store s: region uses ${REGION}, which is not set', valueOf(t, 'region'));
  });

  test('a field the schema rejected gets no AWS-rule report of its own', () => {
    // "Both set" is usually reported at duration; with duration rejected it moves to duration_seconds.
    const t = sts('duration: 1d\nduration_seconds: 100\nexternal_id: x');
    const out = check(t);
    expect(codes(out)).toEqual(['E_DURATION_BOTH', 'E_EXTERNAL_ID', 'E_SCHEMA_PATTERN']);
    expectIssue(out, 'E_SCHEMA_PATTERN', 'store s: duration must match ^[0-9]+(s|m|h)$', valueOf(t, 'duration'));
    expectIssue(out, 'E_DURATION_BOTH', 'store s: set duration or duration_seconds, not both', valueOf(t, 'duration_seconds'));
    expectIssue(out, 'E_EXTERNAL_ID', 'store s: external_id must be 2-1224 characters (got 1)', valueOf(t, 'external_id'));
  });

  test('a rejected duration_seconds is still set: duration and duration_seconds both set is reported', () => {
    const t = sts('duration: 2h\nduration_seconds: true');
    const out = check(t);
    expect(codes(out)).toEqual(['E_DURATION_BOTH', 'E_SCHEMA_TYPE']);
    expectIssue(out, 'E_SCHEMA_TYPE', 'store s: duration_seconds must be integer or string', valueOf(t, 'duration_seconds'));
    expectIssue(out, 'E_DURATION_BOTH', 'store s: set duration or duration_seconds, not both', valueOf(t, 'duration'));
  });

  test('a serial_number of the wrong type is not also called missing by the token_code rule', () => {
    const t = sts('serial_number: 123456789012\ntoken_code: "12345"');
    const out = check(t);
    expect(codes(out)).toEqual(['E_SCHEMA_TYPE', 'E_TOKEN_CODE']);
    expectIssue(out, 'E_SCHEMA_TYPE', 'store s: serial_number must be string', valueOf(t, 'serial_number'));
    expectIssue(out, 'E_TOKEN_CODE', 'store s: token_code must be exactly 6 digits (got 5 characters)', valueOf(t, 'token_code'));
  });

  test('a misspelt key stands for the field it was meant to be', () => {
    const t = sts('serial_numbr: arn:aws:iam::123456789012:mfa/me\ntoken_code: "123456"\nrole_session_name: x');
    const out = check(t);
    expect(codes(out)).toEqual(['E_SESSION_NAME', 'E_UNKNOWN_KEY']);
    const i = expectIssue(out, 'E_UNKNOWN_KEY', 'store s: unknown key "serial_numbr"', keyAt(t, 'serial_numbr'));
    expect(i.hint).toBe('did you mean "serial_number"?');
    expectIssue(out, 'E_SESSION_NAME', 'store s: role_session_name must be 2-64 characters (got 1)', valueOf(t, 'role_session_name'));
  });

  test('rejected tags are unknown, not empty: transitive keys are not reported as missing from them', () => {
    const t = sts('tags:\n  team: [a, b]\ntransitive_tag_keys: [team]\nsource_identity: a');
    const out = check(t);
    expect(codes(out)).toEqual(['E_SCHEMA_TYPE', 'E_SOURCE_IDENTITY']);
    expectIssue(out, 'E_SCHEMA_TYPE', 'store s: tags.team must be string or number or boolean', valueOf(t, 'team'));
    expectIssue(out, 'E_SOURCE_IDENTITY', 'store s: source_identity must be 2-64 characters (got 1)', valueOf(t, 'source_identity'));
  });

  test('a store whose operation is rejected gets no AWS rules, but a var reading it is still checked', () => {
    // Which rules apply depends on the operation, so none are guessed; the var's key depends only on the type.
    const t = sts('operation: get-token\nexternal_id: x', 'BAD:\n  from: {store: s, key: Secret}');
    const out = check(t);
    expect(codes(out)).toEqual(['E_BAD_KEY', 'E_SCHEMA_TYPE']);
    expectIssue(out, 'E_SCHEMA_TYPE', 'store s: operation must be "assume-role" or "get-session-token"', valueOf(t, 'operation'));
    expectIssue(
      out,
      'E_BAD_KEY',
      'env prod, var BAD: key "Secret" is not a field of an aws.sts store; use one of AccessKeyId, SecretAccessKey, SessionToken, Expiration',
      at(t, 'Secret'),
    );
  });
});

describe('references and the store graph', () => {
  test('an env naming an undefined store suggests the closest one', () => {
    const t = y(`
      version: 1
      secretStores:
        aws-sts-prod:
          type: aws.sts
          role_arn: ${ARN}
      envs:
        prod:
          K:
            from: {store: aws-sts-prd, key: AccessKeyId}
    `);
    const i = expectIssue(
      check(t),
      'E_UNKNOWN_STORE',
      'env prod, var K: store "aws-sts-prd" is not defined in secretStores',
      at(t, 'aws-sts-prd'),
    );
    expect(i.hint).toBe('did you mean "aws-sts-prod"?');
  });

  test('credentials_from naming an undefined store', () => {
    const t = y(`
      version: 1
      secretStores:
        jump:
          type: aws.sts
          role_arn: ${ARN}
        sm:
          type: aws.secretsmanager
          credentials_from: jmp
    `);
    const i = expectIssue(
      check(t),
      'E_UNKNOWN_STORE',
      'store sm: credentials_from names "jmp", which is not defined in secretStores',
      valueOf(t, 'credentials_from'),
    );
    expect(i.hint).toBe('did you mean "jump"?');
  });

  test('credentials_from naming a secretsmanager store', () => {
    const t = y(`
      version: 1
      secretStores:
        sm:
          type: aws.secretsmanager
        s:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: sm
    `);
    expectIssue(
      check(t),
      'E_NOT_A_CREDENTIAL_SOURCE',
      'store s: credentials_from names "sm", a aws.secretsmanager store; only aws.sts stores provide credentials',
      valueOf(t, 'credentials_from'),
    );
  });

  test('credentials_from naming a store of unknown type reports the type once, not also as a bad source', () => {
    const t = y(`
      version: 1
      secretStores:
        src:
          type: aws.stss
        sm:
          type: aws.secretsmanager
          credentials_from: src
    `);
    const out = check(t);
    expect(codes(out)).toEqual(['E_UNKNOWN_STORE_TYPE']);
  });

  test('a cycle shows the whole loop', () => {
    const t = y(`
      version: 1
      secretStores:
        a:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: b
        b:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: a
      envs:
        prod:
          K:
            from: {store: a, key: AccessKeyId}
    `);
    const out = check(t);
    const i = expectIssue(out, 'E_CYCLE', 'store a: credentials_from forms a cycle: a → b → a', valueOf(t, 'credentials_from'));
    expect(i.hint).toMatch(/profile or the default chain/);
  });

  test('a store taking credentials from itself', () => {
    const t = y(`
      version: 1
      secretStores:
        a:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: a
    `);
    expectIssue(check(t), 'E_CYCLE', 'credentials_from forms a cycle: a → a', valueOf(t, 'credentials_from'));
  });

  test('a cycle no env uses is still found by validate', () => {
    const t = y(`
      version: 1
      secretStores:
        x:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: y
        y:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: z
        z:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: x
      envs: {}
    `);
    expectIssue(check(t), 'E_CYCLE', 'x → y → z → x', valueOf(t, 'credentials_from'));
  });
});

describe('role_arn', () => {
  test.each([
    ['arn:aws:iam::12345678901:role/App', '11-digit account'],
    ['arn:aws:iam::123456789012:user/alice', 'a user, not a role'],
    ['arn:aws:sts::123456789012:role/App', 'wrong service'],
    ['arn:aws:iam::123456789012:role/', 'no role name'],
  ])('%s is rejected (%s)', (arn) => {
    const t = sts('').replace(ARN, arn);
    expectIssue(check(t), 'E_ROLE_ARN', `store s: role_arn "${arn}" is not a role ARN of the form`, valueOf(t, 'role_arn'));
  });

  test('a role ARN shorter than 20 characters', () => {
    const t = sts('').replace(ARN, 'arn:aws:iam::1:role');
    expectIssue(check(t), 'E_ROLE_ARN', 'role_arn must be 20-2048 characters (got 19)', valueOf(t, 'role_arn'));
  });

  test.each(['arn:aws:iam::123456789012:role/path/to/App', 'arn:aws-cn:iam::123456789012:role/App', 'arn:aws-us-gov:iam::123456789012:role/A+b=c,d.e@f-g'])(
    '%s is accepted',
    (arn) => {
      expect(stsSpec(expectValid(check(sts('').replace(ARN, arn)))).roleArn).toBe(arn);
    },
  );

  test('a role ARN from a variable is checked after interpolation', () => {
    const t = sts('').replace(ARN, '${TARGET_ROLE_ARN}');
    expectIssue(
      check(t, { TARGET_ROLE_ARN: 'arn:aws:iam::123456789012:group/Ops' }),
      'E_ROLE_ARN',
      'role_arn "arn:aws:iam::123456789012:group/Ops" is not a role ARN',
      valueOf(t, 'role_arn'),
    );
    expect(stsSpec(expectValid(check(t, { TARGET_ROLE_ARN: ARN }))).roleArn).toBe(ARN);
  });
});

describe('duration', () => {
  test.each([899, 43201, 86400])('duration_seconds %i is outside 900-43200', (n) => {
    const t = sts(`duration_seconds: ${n}`);
    const i = expectIssue(check(t), 'E_DURATION', `store s: duration must be 900-43200 seconds (got ${n})`, valueOf(t, 'duration_seconds'));
    expect(i.hint).toBeUndefined();
  });

  test.each([900, 3600, 43200])('duration_seconds %i is accepted', (n) => {
    expect(stsSpec(expectValid(check(sts(`duration_seconds: ${n}`)))).durationSeconds).toBe(n);
  });

  test('duration in units is checked against the same range', () => {
    const t = sts('duration: 10m');
    expectIssue(check(t), 'E_DURATION', 'duration must be 900-43200 seconds (got 600)', valueOf(t, 'duration'));
    expect(stsSpec(expectValid(check(sts('duration: 12h')))).durationSeconds).toBe(43200);
  });

  test('duration_seconds from a variable is checked after interpolation', () => {
    const t = sts('duration_seconds: ${DUR}');
    expectIssue(check(t, { DUR: '60' }), 'E_DURATION', '(got 60)', valueOf(t, 'duration_seconds'));
    expectIssue(check(t, { DUR: 'soon' }), 'E_DURATION', 'duration_seconds "soon" is not a number of seconds', valueOf(t, 'duration_seconds'));
    expect(stsSpec(expectValid(check(t, { DUR: '1800' }))).durationSeconds).toBe(1800);
  });

  test('duration and duration_seconds both set', () => {
    const t = sts('duration: 1h\nduration_seconds: 3600');
    expectIssue(check(t), 'E_DURATION_BOTH', 'store s: set duration or duration_seconds, not both', valueOf(t, 'duration'));
  });

  const chain = (duration: string, srcExtra = `role_arn: ${ARN}`) =>
    y(`
      version: 1
      secretStores:
        jump:
          type: aws.sts
          ${srcExtra}
        target:
          type: aws.sts
          role_arn: ${ARN}
          credentials_from: jump
          ${duration}
    `);

  test('a chained role over one hour is E_CHAINED_DURATION with a hint naming the source', () => {
    const t = chain('duration_seconds: 3601');
    const i = expectIssue(
      check(t),
      'E_CHAINED_DURATION',
      'store target: duration 3601s exceeds the 1 hour session limit for roles assumed by role chaining (at most 3600s)',
      valueOf(t, 'duration_seconds'),
    );
    expect(i.hint).toBe("this store's credentials come from store jump, so AWS treats it as role chaining");
  });

  test('a chained role at exactly one hour is fine', () => {
    expectValid(check(chain('duration_seconds: 3600')));
  });

  test('chaining from a get-session-token store is also capped at one hour', () => {
    const t = chain('duration: 2h', 'operation: get-session-token');
    expectIssue(check(t), 'E_CHAINED_DURATION', 'duration 7200s exceeds the 1 hour session limit', valueOf(t, 'duration'));
  });

  test('a chained role over 12 hours is an ordinary range error', () => {
    const t = chain('duration_seconds: 50000');
    expectIssue(check(t), 'E_DURATION', 'duration must be 900-43200 seconds (got 50000)', valueOf(t, 'duration_seconds'));
  });

  test.each([899, 129601])('get-session-token duration %i is outside 900-129600', (n) => {
    const t = y(`
      version: 1
      secretStores:
        base:
          type: aws.sts
          operation: get-session-token
          duration_seconds: ${n}
    `);
    expectIssue(
      check(t),
      'E_DURATION',
      `store base: duration for get-session-token must be 900-129600 seconds (got ${n})`,
      valueOf(t, 'duration_seconds'),
    );
  });

  test('get-session-token accepts up to 36 hours', () => {
    const t = y(`
      version: 1
      secretStores:
        base:
          type: aws.sts
          operation: get-session-token
          duration: 36h
    `);
    expectValid(check(t));
  });

  test('get-session-token with credentials_from is rejected, with no role-chaining hint on its duration', () => {
    const t = y(`
      version: 1
      secretStores:
        role:
          type: aws.sts
          role_arn: ${ARN}
        base:
          type: aws.sts
          operation: get-session-token
          credentials_from: role
          duration_seconds: 200000
    `);
    const out = check(t);
    const i = expectIssue(
      out,
      'E_SESSION_TOKEN_CHAINED',
      "store base: get-session-token must be called with long-term IAM user credentials, not with another store's session",
      valueOf(t, 'credentials_from'),
    );
    expect(i.hint).toMatch(/remove credentials_from/);
    const d = expectIssue(out, 'E_DURATION', 'get-session-token must be 900-129600', valueOf(t, 'duration_seconds'));
    expect(d.hint).toBeUndefined();
  });

  test('role-only fields are rejected on get-session-token', () => {
    const t = y(`
      version: 1
      secretStores:
        base:
          type: aws.sts
          operation: get-session-token
          role_arn: ${ARN}
          external_id: abc123
    `);
    const out = check(t);
    expect(codes(out)).toEqual(['E_FIELD_NOT_ALLOWED', 'E_FIELD_NOT_ALLOWED']);
    expect(out.issues.map((i) => i.message).sort()).toEqual([
      'store base: external_id does not apply to operation get-session-token',
      'store base: role_arn does not apply to operation get-session-token',
    ]);
  });
});

describe('role_session_name', () => {
  test('one character is too short', () => {
    const t = sts('role_session_name: x');
    expectIssue(check(t), 'E_SESSION_NAME', 'store s: role_session_name must be 2-64 characters (got 1)', valueOf(t, 'role_session_name'));
  });

  test('65 literal characters is too long', () => {
    const t = sts(`role_session_name: ${'a'.repeat(65)}`);
    expectIssue(check(t), 'E_SESSION_NAME', 'role_session_name must be 2-64 characters (got 65)', valueOf(t, 'role_session_name'));
  });

  test('literal characters outside [\\w+=,.@-] are reported, not silently fixed', () => {
    const t = sts('role_session_name: "deploy session!"');
    expectIssue(
      check(t),
      'E_SESSION_NAME',
      'role_session_name "deploy session!" may only contain letters, digits and + = , . @ _ -',
      valueOf(t, 'role_session_name'),
    );
  });

  test('a USER with illegal characters is sanitised, not an error', () => {
    const t = sts('role_session_name: dsops-${USER}-${TIMESTAMP}');
    const spec = stsSpec(expectValid(check(t, { USER: 'Jöhn Doe/ops' })));
    expect(spec.roleSessionName).toBe('dsops-J-hn-Doe-ops-20260304T050607Z');
    expect(spec.roleSessionName).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  test('a long USER is truncated to 64 and a 1-character one padded to 2', () => {
    const t = sts('role_session_name: ${USER}');
    expect(stsSpec(expectValid(check(t, { USER: 'u'.repeat(100) }))).roleSessionName).toBe('u'.repeat(64));
    expect(stsSpec(expectValid(check(t, { USER: 'u' }))).roleSessionName).toBe('u-');
  });

  test('sanitising applies to substituted text only; bad literal text around it is still reported', () => {
    const t = sts('role_session_name: "ci job ${USER}"');
    expectIssue(check(t, { USER: 'ok' }), 'E_SESSION_NAME', 'role_session_name "ci job ok" may only contain', valueOf(t, 'role_session_name'));
  });

  test('the default session name is built from USER and sanitised', () => {
    expect(stsSpec(expectValid(check(sts(''), { USER: 'a b' }))).roleSessionName).toBe('dsops-a-b');
  });
});

describe('external_id, serial_number, token_code', () => {
  test('external_id length', () => {
    const t = sts('external_id: x');
    expectIssue(check(t), 'E_EXTERNAL_ID', 'store s: external_id must be 2-1224 characters (got 1)', valueOf(t, 'external_id'));
  });

  test('external_id characters, without echoing the id', () => {
    const t = sts('external_id: ${EXTERNAL_ID}');
    const i = expectIssue(
      check(t, { EXTERNAL_ID: 'secret id#1' }),
      'E_EXTERNAL_ID',
      'external_id may only contain letters, digits and + = , . @ : / _ -',
      valueOf(t, 'external_id'),
    );
    expect(i.message).not.toContain('secret id#1');
    expect(stsSpec(expectValid(check(t, { EXTERNAL_ID: 'unique-customer-id-12345' }))).externalId).toBe('unique-customer-id-12345');
  });

  test('serial_number length', () => {
    const t = sts('serial_number: GAHT1234');
    expectIssue(check(t), 'E_SERIAL_NUMBER', 'store s: serial_number must be 9-256 characters (got 8)', valueOf(t, 'serial_number'));
  });

  test('serial_number characters', () => {
    const t = sts('serial_number: "arn:aws:iam::123456789012:mfa/my phone"');
    expectIssue(
      check(t),
      'E_SERIAL_NUMBER',
      'serial_number "arn:aws:iam::123456789012:mfa/my phone" may only contain',
      valueOf(t, 'serial_number'),
    );
  });

  test.each(['12345', '1234567', '12a456'])('literal token_code %s is rejected without echoing it', (code) => {
    const t = sts(`serial_number: arn:aws:iam::123456789012:mfa/me\ntoken_code: "${code}"`);
    const out = check(t);
    const i = expectIssue(out, 'E_TOKEN_CODE', 'store s: token_code must be exactly 6 digits', valueOf(t, 'token_code'));
    for (const issue of out.issues) expect(`${issue.message} ${issue.hint ?? ''}`).not.toContain(code);
    expect(i.message).not.toContain(code);
  });

  test('an unquoted code with a leading zero gets a hint to quote it', () => {
    const t = sts('serial_number: arn:aws:iam::123456789012:mfa/me\ntoken_code: 012345');
    const i = expectIssue(check(t), 'E_TOKEN_CODE', 'token_code must be exactly 6 digits (got 5 characters)', valueOf(t, 'token_code'));
    expect(i.hint).toMatch(/quote it/);
    expect(i.hint).not.toContain('12345');
  });

  test('token_code from ${MFA_TOKEN} is lazy: unset is fine at prepare time and read when called', () => {
    const t = sts('serial_number: arn:aws:iam::123456789012:mfa/me\ntoken_code: ${MFA_TOKEN}');
    expect(stsSpec(expectValid(check(t))).tokenCode()).toBeUndefined();
    expect(stsSpec(expectValid(check(t, { MFA_TOKEN: '123456' }))).tokenCode()).toBe('123456');
  });

  test('token_code without serial_number', () => {
    const t = sts('token_code: "123456"');
    expectIssue(check(t), 'E_TOKEN_WITHOUT_SERIAL', 'store s: token_code is set but serial_number is not', valueOf(t, 'token_code'));
  });
});

describe('session policies', () => {
  test('invalid JSON', () => {
    const t = sts('session_policy: "{\\"Version\\": }"');
    expectIssue(check(t), 'E_SESSION_POLICY', 'store s: session_policy is not valid JSON', valueOf(t, 'session_policy'));
  });

  test('a JSON array is not a policy document', () => {
    const t = sts('session_policy: "[1, 2]"');
    expectIssue(check(t), 'E_SESSION_POLICY', 'session_policy must be a JSON object', valueOf(t, 'session_policy'));
  });

  const policy = (resources: number) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: resources }, (_, i) => `arn:aws:s3:::b${i}/*`) }],
  });
  const blockScalar = (doc: object, indent: number) =>
    'session_policy: |\n' +
    JSON.stringify(doc, null, indent)
      .split('\n')
      .map((l) => '  ' + l)
      .join('\n');

  test('over 2048 characters once minified', () => {
    const doc = policy(120);
    const minified = JSON.stringify(doc).length;
    expect(minified).toBeGreaterThan(2048);
    const t = sts(blockScalar(doc, 2));
    expectIssue(
      check(t),
      'E_SESSION_POLICY',
      `store s: session_policy is ${minified} characters once minified; AWS allows at most 2048`,
      valueOf(t, 'session_policy'),
    );
  });

  test('whitespace does not count: a long pretty policy that minifies under 2048 is accepted and sent minified', () => {
    const doc = policy(80);
    const pretty = JSON.stringify(doc, null, 8);
    expect(pretty.length).toBeGreaterThan(2048);
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(2048);
    const spec = stsSpec(expectValid(check(sts(blockScalar(doc, 8)))));
    expect(spec.sessionPolicy).toBe(JSON.stringify(doc));
  });

  test('a policy written as YAML is accepted and minified', () => {
    const t = y(`
      version: 1
      secretStores:
        s:
          type: aws.sts
          role_arn: ${ARN}
          session_policy:
            Version: "2012-10-17"
            Statement:
              - {Effect: Deny, Action: "iam:*", Resource: "*"}
      envs:
        prod:
          K:
            from: {store: s, key: SessionToken}
    `);
    expect(stsSpec(expectValid(check(t))).sessionPolicy).toBe(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] }),
    );
  });

  test('inline policy plus policy ARNs share one 2048-character budget', () => {
    const doc = policy(80);
    const arns = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456789012:policy/${'P'.repeat(30)}${i}`);
    const total = JSON.stringify(doc).length + arns.join('').length;
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(2048);
    expect(total).toBeGreaterThan(2048);
    const t = sts(`${blockScalar(doc, 0)}\npolicy_arns:\n${arns.map((a) => `  - ${a}`).join('\n')}`);
    expectIssue(check(t), 'E_SESSION_POLICY', `is ${total}; AWS allows at most 2048 together`, valueOf(t, 'session_policy'));
  });

  test('more than 10 policy ARNs', () => {
    const arns = Array.from({ length: 11 }, (_, i) => `  - arn:aws:iam::aws:policy/ReadOnly${i}`).join('\n');
    const t = sts(`policy_arns:\n${arns}`);
    expectIssue(check(t), 'E_POLICY_ARNS', 'store s: policy_arns has 11 entries; AWS allows at most 10', at(t, '- arn:aws:iam::aws:policy/ReadOnly0'));
  });

  test('10 policy ARNs are fine', () => {
    const arns = Array.from({ length: 10 }, (_, i) => `  - arn:aws:iam::aws:policy/ReadOnly${i}`).join('\n');
    expect(stsSpec(expectValid(check(sts(`policy_arns:\n${arns}`)))).policyArns).toHaveLength(10);
  });

  test('a policy ARN of the wrong shape', () => {
    const t = sts('policy_arns:\n  - arn:aws:iam::123456789012:role/NotAPolicy');
    expectIssue(check(t), 'E_POLICY_ARNS', '"arn:aws:iam::123456789012:role/NotAPolicy" is not a policy ARN', at(t, '- arn', 2));
  });
});

describe('tags, transitive tag keys, source identity', () => {
  const tagged = (lines: string[]) => sts(`tags:\n${lines.map((l) => `  ${l}`).join('\n')}`);

  test('more than 50 tags', () => {
    const t = tagged(Array.from({ length: 51 }, (_, i) => `K${i}: v`));
    expectIssue(check(t), 'E_TAGS', 'store s: tags has 51 entries; AWS allows at most 50', at(t, 'K0: v'));
    expect(stsSpec(expectValid(check(tagged(Array.from({ length: 50 }, (_, i) => `K${i}: v`))))).tags).toHaveLength(50);
  });

  test.each(['aws:team', 'AWS:Team'])('tag key %s uses the reserved aws: prefix', (key) => {
    const t = tagged([`"${key}": x`]);
    expectIssue(check(t), 'E_TAGS', `tag key "${key}" may not start with "aws:"`, at(t, `"${key}"`));
  });

  test('keys differing only by case are a duplicate', () => {
    const t = tagged(['Team: a', 'team: b']);
    expectIssue(check(t), 'E_TAGS', 'tag keys "Team" and "team" differ only by case; AWS treats them as the same key', at(t, 'team: b'));
  });

  test('bad characters in a key and in a value', () => {
    const t = tagged(['"cost!": a', 'Owner: "a<b>"']);
    const out = check(t);
    expect(out.issues.map((i) => i.message).sort()).toEqual([
      'store s: tag "Owner" value may only contain letters, digits, spaces and _ . : / = + - @',
      'store s: tag key "cost!" may only contain letters, digits, spaces and _ . : / = + - @',
    ]);
    // Each at its own entry: the key for a bad key, the value for a bad value (issue 9 item 10).
    const where = Object.fromEntries(out.issues.map((i) => [i.message.includes('Owner') ? 'value' : 'key', i.loc]));
    expect(where).toEqual({ key: { file: 'dsops.yaml', ...at(t, '"cost!"') }, value: { file: 'dsops.yaml', ...at(t, '"a<b>"') } });
  });

  test('unicode letters and spaces are legal tag text', () => {
    expect(stsSpec(expectValid(check(tagged(['"Équipe Ops": "café / déploiement"'])))).tags).toEqual([
      { Key: 'Équipe Ops', Value: 'café / déploiement' },
    ]);
  });

  test('a transitive tag key that is not a tag', () => {
    const t = sts('tags:\n  Team: ops\ntransitive_tag_keys: [Team, Project]');
    expectIssue(
      check(t),
      'E_TRANSITIVE_TAG_KEYS',
      'store s: transitive tag key "Project" is not a key in tags',
      at(t, 'Project'),
    );
  });

  test('source_identity length and characters', () => {
    let t = sts('source_identity: a');
    expectIssue(check(t), 'E_SOURCE_IDENTITY', 'store s: source_identity must be 2-64 characters (got 1)', valueOf(t, 'source_identity'));
    t = sts('source_identity: "alice smith"');
    expectIssue(check(t), 'E_SOURCE_IDENTITY', 'source_identity may only contain letters, digits', valueOf(t, 'source_identity'));
    t = sts('source_identity: "aws:alice"');
    expectIssue(check(t), 'E_SOURCE_IDENTITY', 'source_identity may only contain', valueOf(t, 'source_identity'));
    expect(stsSpec(expectValid(check(sts('source_identity: alice@example.com')))).sourceIdentity).toBe('alice@example.com');
  });
});

describe('interpolation', () => {
  test('an undefined variable in a store names the variable and its field', () => {
    const t = sts('region: ${AWS_REGION}').replace(ARN, 'arn:aws:iam::${PROD_ACCOUNT_ID}:role/App');
    const out = check(t);
    expect(codes(out)).toEqual(['E_UNDEFINED_VAR', 'E_UNDEFINED_VAR']);
    const byVar = (v: string) => out.issues.find((i) => i.message.includes(`\${${v}}`))!;
    expect(byVar('PROD_ACCOUNT_ID').message).toBe('store s: role_arn uses ${PROD_ACCOUNT_ID}, which is not set');
    expect(byVar('PROD_ACCOUNT_ID').loc).toEqual({ file: 'dsops.yaml', ...valueOf(t, 'role_arn') });
    expect(byVar('PROD_ACCOUNT_ID').hint).toBe('export PROD_ACCOUNT_ID=... before running dsops, or give a default: ${PROD_ACCOUNT_ID:-value}');
    expect(byVar('AWS_REGION').message).toBe('store s: region uses ${AWS_REGION}, which is not set');
    expect(byVar('AWS_REGION').loc).toEqual({ file: 'dsops.yaml', ...valueOf(t, 'region') });
  });

  test('an undefined variable in an env literal', () => {
    const t = sts('', 'GREETING: "hello ${NAME}"');
    expectIssue(check(t), 'E_UNDEFINED_VAR', 'env prod, var GREETING: uses ${NAME}, which is not set', valueOf(t, 'GREETING'));
  });

  test('${VAR:-default} falls back when unset or empty, and the variable wins when set', () => {
    const t = sts('region: ${AWS_REGION:-eu-west-1}', 'STAGE: ${STAGE:-dev}');
    const [unset] = expectValid(check(t));
    expect(unset.stores.get('s')!.region).toBe('eu-west-1');
    expect(unset.vars.find((v) => v.name === 'STAGE')).toEqual({ name: 'STAGE', kind: 'literal', value: 'dev' });
    const [empty] = expectValid(check(t, { STAGE: '' }));
    expect(empty.vars.find((v) => v.name === 'STAGE')).toMatchObject({ value: 'dev' });
    const [set] = expectValid(check(t, { AWS_REGION: 'us-west-2', STAGE: 'prod' }));
    expect(set.stores.get('s')!.region).toBe('us-west-2');
    expect(set.vars.find((v) => v.name === 'STAGE')).toMatchObject({ value: 'prod' });
  });

  test('$${ is a literal ${ and is not a reference', () => {
    const t = sts('', 'TEMPLATE: "price: $${AMOUNT} each"');
    const [env] = expectValid(check(t));
    expect(env.vars.find((v) => v.name === 'TEMPLATE')).toEqual({ name: 'TEMPLATE', kind: 'literal', value: 'price: ${AMOUNT} each' });
  });
});

describe('env keys', () => {
  test('an aws.sts key that is not a credential field suggests the right one', () => {
    const t = sts('', 'X:\n  from: {store: s, key: AccesKeyId}');
    const i = expectIssue(
      check(t),
      'E_BAD_KEY',
      'env prod, var X: key "AccesKeyId" is not a field of an aws.sts store; use one of AccessKeyId, SecretAccessKey, SessionToken, Expiration',
      at(t, 'AccesKeyId'),
    );
    expect(i.hint).toBe('did you mean "AccessKeyId"?');
  });

  test('every credential field is accepted', () => {
    const fields = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'];
    const t = sts('', fields.map((f) => `V_${f}:\n  from: {store: s, key: ${f}}`).join('\n'));
    const [env] = expectValid(check(t));
    expect(env.vars.filter((v) => v.kind === 'store' && v.credential).map((v) => (v as { ref: string }).ref).sort()).toEqual(
      ['AccessKeyId', ...fields].sort(),
    );
  });

  const sm = (key: string) =>
    y(`
      version: 1
      secretStores:
        sm:
          type: aws.secretsmanager
      envs:
        prod:
          DB:
            from:
              store: sm
              key: "${key}"
    `);

  test.each([
    ['prod db', '"prod db" is not a secret name or ARN'],
    ['prod/db#', '"#" is not a field path; write key: prod/db#field or #parent.child'],
    ['prod/db#a..b', '"#a..b" is not a field path'],
  ])('secret key %s', (key, message) => {
    const t = sm(key);
    expectIssue(check(t), 'E_BAD_KEY', `env prod, var DB: ${message}`, valueOf(t, 'key'));
  });

  test('a secret name, a JSON field path and a secret ARN are accepted', () => {
    const [a] = expectValid(check(sm('prod/db#credentials.password')));
    expect(a.vars[0]).toMatchObject({ kind: 'store', ref: { secretId: 'prod/db', field: 'credentials.password' } });
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
    const [b] = expectValid(check(sm(arn)));
    expect(b.vars[0]).toMatchObject({ kind: 'store', ref: { secretId: arn, field: undefined } });
  });

  test('version_stage on an aws.sts var', () => {
    const t = sts('', 'X:\n  from: {store: s, key: Expiration, version_stage: AWSCURRENT}');
    expectIssue(
      check(t),
      'E_FIELD_NOT_ALLOWED',
      'env prod, var X: version_stage and version_id apply only to aws.secretsmanager stores',
      at(t, '{store: s, key: Expiration'),
    );
  });
});

describe('MFA devices', () => {
  const twoOnOneDevice = (envs: string) =>
    y(`
      version: 1
      secretStores:
        admin:
          type: aws.sts
          role_arn: arn:aws:iam::123456789012:role/Admin
          serial_number: arn:aws:iam::123456789012:mfa/alice
          token_code: \${MFA_TOKEN}
        audit:
          type: aws.sts
          role_arn: arn:aws:iam::123456789012:role/Audit
          serial_number: arn:aws:iam::123456789012:mfa/alice
          token_code: \${MFA_TOKEN}
      envs:
${envs}
    `);

  test('two stores sharing one MFA device in one env', () => {
    const t = twoOnOneDevice(
      [
        '        prod:',
        '          A:',
        '            from: {store: admin, key: AccessKeyId}',
        '          B:',
        '            from: {store: audit, key: AccessKeyId}',
      ].join('\n'),
    );
    const i = expectIssue(
      check(t),
      'E_MFA_DEVICE_SHARED',
      'env prod: stores admin, audit all use MFA device arn:aws:iam::123456789012:mfa/alice, but an MFA code can be used only once',
      valueOf(t, 'serial_number', 2),
    );
    expect(i.hint).toMatch(/operation: get-session-token/);
    expect(i.hint).toMatch(/credentials_from/);
  });

  test('the same device in different envs is fine: each run uses one code', () => {
    const t = twoOnOneDevice(
      [
        '        admin:',
        '          A:',
        '            from: {store: admin, key: AccessKeyId}',
        '        audit:',
        '          B:',
        '            from: {store: audit, key: AccessKeyId}',
      ].join('\n'),
    );
    expectValid(check(t));
  });

  test('the fix the hint describes validates: one MFA-backed get-session-token, roles chained from it', () => {
    const t = y(`
      version: 1
      secretStores:
        mfa:
          type: aws.sts
          operation: get-session-token
          serial_number: arn:aws:iam::123456789012:mfa/alice
          token_code: \${MFA_TOKEN}
        admin:
          type: aws.sts
          role_arn: arn:aws:iam::123456789012:role/Admin
          credentials_from: mfa
        audit:
          type: aws.sts
          role_arn: arn:aws:iam::123456789012:role/Audit
          credentials_from: mfa
      envs:
        prod:
          A:
            from: {store: admin, key: AccessKeyId}
          B:
            from: {store: audit, key: AccessKeyId}
    `);
    const [env] = expectValid(check(t));
    expect(env.order.indexOf('mfa')).toBeLessThan(env.order.indexOf('admin'));
    expect(env.order.indexOf('mfa')).toBeLessThan(env.order.indexOf('audit'));
  });
});

describe('what each command checks', () => {
  const t = y(`
    version: 1
    secretStores:
      prod-role:
        type: aws.sts
        role_arn: arn:aws:iam::\${PROD_ACCOUNT_ID}:role/Deploy
      staging-role:
        type: aws.sts
        role_arn: arn:aws:iam::123456789012:role/Deploy
    envs:
      staging:
        K:
          from: {store: staging-role, key: AccessKeyId}
      production:
        K:
          from: {store: prod-role, key: AccessKeyId}
  `);

  test('exec --env staging does not need a variable only a production store uses', () => {
    const [env] = expectValid(checkEnv(t, 'staging'));
    expect([...env.stores.keys()]).toEqual(['staging-role']);
  });

  test('exec --env production and validate both need it', () => {
    expectIssue(checkEnv(t, 'production'), 'E_UNDEFINED_VAR', 'store prod-role: role_arn uses ${PROD_ACCOUNT_ID}', valueOf(t, 'role_arn'));
    expectIssue(check(t), 'E_UNDEFINED_VAR', 'store prod-role: role_arn uses ${PROD_ACCOUNT_ID}', valueOf(t, 'role_arn'));
    expectValid(check(t, { PROD_ACCOUNT_ID: '210987654321' }));
  });

  test('validate checks a store no env uses', () => {
    const unused = t.replace('staging-role:\n', 'spare:\n    type: aws.sts\n    role_arn: arn:aws:iam::1:role/X\n  staging-role:\n');
    expectIssue(check(unused, { PROD_ACCOUNT_ID: '210987654321' }), 'E_ROLE_ARN', 'store spare: role_arn', valueOf(unused, 'role_arn', 2));
  });

  test('an unknown env suggests the closest name', () => {
    const out = checkEnv(t, 'prodution');
    const i = expectIssue(out, 'E_UNKNOWN_ENV', 'env "prodution" is not defined in dsops.yaml (envs: staging, production)', keyAt(t, 'envs'));
    expect(i.hint).toBe('did you mean "production"?');
  });

  test('every problem in the file is reported in one pass', () => {
    const bad = y(`
      version: 1
      secretStores:
        a:
          type: aws.sts
          role_arn: arn:aws:iam::1:role/A
          duration_seconds: 100
        c:
          type: aws.sts
          role_arn: arn:aws:iam::123456789012:role/C
          colour: red
        b:
          type: aws.sts
          role_arn: arn:aws:iam::123456789012:role/B
          external_id: x
          credentials_from: nope
      envs:
        prod:
          K:
            from: {store: b, key: Secret}
    `);
    expect(codes(check(bad))).toEqual(['E_BAD_KEY', 'E_DURATION', 'E_EXTERNAL_ID', 'E_ROLE_ARN', 'E_UNKNOWN_KEY', 'E_UNKNOWN_STORE']);
  });
});

describe('interpolation in an env var\'s from fields', () => {
  const yaml = `version: 1
secretStores:
  sm:
    type: aws.secretsmanager
    region: us-east-1
envs:
  prod:
    DB: { from: { store: sm, key: "\${APP}/db#password", version_stage: "\${STAGE:-AWSCURRENT}" } }
`;
  it('expands key and version_stage from the environment', () => {
    const p = prepareEnv(parseConfig(yaml, 'dsops.yaml'), 'prod', makeScope({ APP: 'billing' }, new Date()));
    expect(p.vars).toEqual([
      {
        name: 'DB',
        kind: 'store',
        store: 'sm',
        id: expect.any(String),
        credential: false,
        ref: { secretId: 'billing/db', field: 'password', versionStage: 'AWSCURRENT', versionId: undefined },
      },
    ]);
  });
  it('reports an undefined variable in key at the key', () => {
    try {
      prepareEnv(parseConfig(yaml, 'dsops.yaml'), 'prod', makeScope({}, new Date()));
      throw new Error('expected a ConfigError');
    } catch (e) {
      const issues = (e as ConfigError).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: 'E_UNDEFINED_VAR', loc: { line: 8, col: 35 } });
      expect(issues[0].message).toContain('${APP}');
    }
  });
});
