/**
 * The built CLI on broken configs: exit 2, one `file:line:col: error[CODE] message` line per problem,
 * no stack traces, and nothing run. Needs dist/ (node scripts/build.js).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLI, project, runCli, CliResult } from '../helpers/cli';

const ARN = 'arn:aws:iam::123456789012:role/App';

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.js first`);
});

/** Lines of the form `file:line:col: error[CODE] message`. */
function errorLines(stderr: string): { where: string; code: string; message: string }[] {
  return stderr
    .split('\n')
    .map((l) => /^(\S+:\d+:\d+): error\[(E_[A-Z_]+)\] (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ where: m[1], code: m[2], message: m[3] }));
}

/** Exit 2, no stack trace, and the summary line counting `n` problems. */
function expectConfigFailure(r: CliResult, n: number): void {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/^\s{4}at /m);
  expect(r.stderr).not.toMatch(/unexpected failure|TypeError|ReferenceError/);
  expect(r.stderr).toContain(`dsops: ${n} config problem${n === 1 ? '' : 's'}; nothing was run`);
  expect(r.stdout).toBe('');
}

/** A config where exec's child would leave a marker file if it ever ran. */
async function execFails(yaml: string, env: string, vars: Record<string, string> = {}) {
  const dir = project(yaml);
  const r = await runCli(['exec', '--env', env, '--', 'sh', '-c', 'touch ran'], { cwd: dir, env: vars });
  expect(fs.existsSync(path.join(dir, 'ran'))).toBe(false);
  return r;
}

test('a valid file: exit 0, a one-line summary on stderr, nothing on stdout', async () => {
  const dir = project(
    [
      'version: 1',
      'secretStores:',
      '  role:',
      '    type: aws.sts',
      `    role_arn: ${ARN}`,
      '  sm:',
      '    type: aws.secretsmanager',
      '    credentials_from: role',
      'envs:',
      '  prod:',
      '    DB:',
      '      from: {store: sm, key: prod/db#password}',
      '  dev:',
      '    STAGE: dev',
      '',
    ].join('\n'),
  );
  const r = await runCli(['validate'], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('dsops.yaml: valid (2 stores, 2 envs)');
});

test('several problems are reported in one pass, each located, in file order', async () => {
  const yaml = [
    'version: 1', //                                          1
    'secretStores:', //                                       2
    '  a:', //                                                3
    '    type: aws.sts', //                                   4
    '    role_arn: arn:aws:iam::123:role/A', //               5
    '    duration_seconds: 90000', //                         6
    '  b:', //                                                7
    '    type: aws.sts', //                                   8
    `    role_arn: ${ARN}`, //                                9
    '    rol_session_name: x', //                             10
    '  c:', //                                                11
    '    type: aws.secretsmanager', //                        12
    '    credentials_from: jump', //                          13
    'envs:', //                                               14
    '  prod:', //                                             15
    '    K:', //                                              16
    '      from: {store: a, key: AccessKey}', //              17
    '',
  ].join('\n');
  const r = await runCli(['validate'], { cwd: project(yaml) });
  expectConfigFailure(r, 5);
  expect(errorLines(r.stderr)).toEqual([
    {
      where: 'dsops.yaml:5:15',
      code: 'E_ROLE_ARN',
      message: 'store a: role_arn "arn:aws:iam::123:role/A" is not a role ARN of the form arn:aws:iam::<12-digit account>:role/<path/><name>',
    },
    { where: 'dsops.yaml:6:23', code: 'E_DURATION', message: 'store a: duration must be 900-43200 seconds (got 90000)' },
    { where: 'dsops.yaml:10:5', code: 'E_UNKNOWN_KEY', message: 'store b: unknown key "rol_session_name"' },
    {
      where: 'dsops.yaml:13:23',
      code: 'E_UNKNOWN_STORE',
      message: 'store c: credentials_from names "jump", which is not defined in secretStores',
    },
    {
      where: 'dsops.yaml:17:29',
      code: 'E_BAD_KEY',
      message:
        'env prod, var K: key "AccessKey" is not a field of an aws.sts store; use one of AccessKeyId, SecretAccessKey, SessionToken, Expiration, Region',
    },
  ]);
  expect(r.stderr).toContain('dsops.yaml:10:5: error[E_UNKNOWN_KEY] store b: unknown key "rol_session_name"\n    hint: did you mean "role_session_name"?');
  expect(r.stderr).toContain('\n    hint: did you mean "AccessKeyId"?');
});

test('a YAML syntax error', async () => {
  const r = await runCli(['validate'], { cwd: project('version: 1\nsecretStores:\n  a:\n    type: [aws.sts\nenvs: {}\n') });
  expectConfigFailure(r, 1);
  const [e] = errorLines(r.stderr);
  // At the bracket left open on line 4, not where the parser noticed (issue 9 item 10).
  expect(e.where).toBe('dsops.yaml:4:11');
  expect(e.code).toBe('E_YAML');
  expect(e.message).toMatch(/^invalid YAML: the flow sequence opened here is never closed/);
});

test('a duplicate key', async () => {
  const r = await runCli(['validate'], {
    cwd: project(`version: 1\nsecretStores:\n  a:\n    type: aws.sts\n    role_arn: ${ARN}\n    role_arn: ${ARN}\n`),
  });
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain('dsops.yaml:6:5: error[E_DUPLICATE_KEY] store a: key "role_arn" is set twice (first at line 5)');
});

test('a cycle shows the loop', async () => {
  const yaml = [
    'version: 1',
    'secretStores:',
    '  a:',
    '    type: aws.sts',
    `    role_arn: ${ARN}`,
    '    credentials_from: b',
    '  b:',
    '    type: aws.sts',
    `    role_arn: ${ARN}`,
    '    credentials_from: a',
    'envs:',
    '  prod:',
    '    K:',
    '      from: {store: b, key: SessionToken}',
    '',
  ].join('\n');
  const r = await execFails(yaml, 'prod');
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain('dsops.yaml:10:23: error[E_CYCLE] store b: credentials_from forms a cycle: b → a → b');
  expect(r.stderr).toContain('hint: one store on the cycle must take its credentials from a profile or the default chain instead');
});

test('an unknown env names the envs and suggests the closest', async () => {
  const r = await execFails('version: 1\nenvs:\n  production:\n    A: "1"\n  staging:\n    A: "2"\n', 'prodution');
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain(
    'dsops.yaml:2:1: error[E_UNKNOWN_ENV] env "prodution" is not defined in dsops.yaml (envs: production, staging)\n    hint: did you mean "production"?',
  );
});

test('a missing config file says how to point at one', async () => {
  const dir = project('unused', 'other.yaml');
  const r = await runCli(['validate'], { cwd: dir });
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain('error[E_NO_CONFIG] config file dsops.yaml not found');
  expect(r.stderr).toContain('hint: dsops looks for dsops.yaml here and in each parent folder up to the repository root; or pass --config PATH (or set DSOPS_CONFIG)');
});

test('--config names the file in every location', async () => {
  const dir = project('version: 1\nsecretStores:\n  a:\n    type: aws.stss\n', 'dsops.prod.yaml');
  const r = await runCli(['validate', '--config', 'dsops.prod.yaml'], { cwd: dir });
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain(
    'dsops.prod.yaml:4:11: error[E_UNKNOWN_STORE_TYPE] store a: unknown type "aws.stss"; expected one of aws.secretsmanager, aws.ssm, aws.sts\n    hint: did you mean "aws.sts"?',
  );
});

describe('exec checks only the env it runs; validate checks everything', () => {
  const yaml = [
    'version: 1',
    'secretStores:',
    '  prod-role:',
    '    type: aws.sts',
    '    role_arn: arn:aws:iam::${PROD_ACCOUNT_ID}:role/Deploy',
    'envs:',
    '  staging:',
    '    STAGE: staging-${USER}',
    '  production:',
    '    AWS_ACCESS_KEY_ID:',
    '      from: {store: prod-role, key: AccessKeyId}',
    '',
  ].join('\n');
  const undefinedVar =
    'dsops.yaml:5:15: error[E_UNDEFINED_VAR] store prod-role: role_arn uses ${PROD_ACCOUNT_ID}, which is not set\n' +
    '    hint: export PROD_ACCOUNT_ID=... before running dsops, or give a default: ${PROD_ACCOUNT_ID:-value}';

  test('exec --env staging runs without PROD_ACCOUNT_ID', async () => {
    const r = await runCli(['exec', '--env', 'staging', '--', 'sh', '-c', 'printf %s "$STAGE"'], { cwd: project(yaml) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('staging-tester');
  });

  test('exec --env production needs it', async () => {
    const r = await execFails(yaml, 'production');
    expectConfigFailure(r, 1);
    expect(r.stderr).toContain(undefinedVar);
  });

  test('validate lists it as needed and exits 0; --strict and --env production need it', async () => {
    const lint = await runCli(['validate'], { cwd: project(yaml) });
    expect(lint.code).toBe(0);
    expect(lint.stdout).toBe('');
    expect(lint.stderr).toContain('a run will need 1 variable that is not set here:');
    expect(lint.stderr).toMatch(/^dsops: {3}PROD_ACCOUNT_ID: \S*dsops\.yaml:5:15$/m);
    for (const flags of [['--strict'], ['--env', 'production']]) {
      const r = await runCli(['validate', ...flags], { cwd: project(yaml) });
      expectConfigFailure(r, 1);
      expect(r.stderr).toContain(undefinedVar);
    }
    const staging = await runCli(['validate', '--env', 'staging'], { cwd: project(yaml) });
    expect(staging.code).toBe(0);
    expect(staging.stderr).toMatch(/valid \(env staging\)/);
    const ok = await runCli(['validate'], { cwd: project(yaml), env: { PROD_ACCOUNT_ID: '210987654321' } });
    expect(ok.code).toBe(0);
  });
});

test('a chained role over one hour fails before any AWS call', async () => {
  const yaml = [
    'version: 1',
    'secretStores:',
    '  jump:',
    '    type: aws.sts',
    '    role_arn: arn:aws:iam::111111111111:role/JumpRole',
    '  target:',
    '    type: aws.sts',
    '    role_arn: arn:aws:iam::222222222222:role/TargetRole',
    '    credentials_from: jump',
    '    duration: 2h',
    'envs:',
    '  prod:',
    '    K:',
    '      from: {store: target, key: AccessKeyId}',
    '',
  ].join('\n');
  // An endpoint nothing listens on: had dsops called AWS, this would be exit 1, not 2.
  const r = await execFails(yaml, 'prod', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain(
    'dsops.yaml:10:15: error[E_CHAINED_DURATION] store target: duration 7200s exceeds the 1 hour session limit for roles assumed by role chaining (at most 3600s)\n' +
      "    hint: this store's credentials come from store jump, so AWS treats it as role chaining",
  );
});

test('a bad literal token code is reported without echoing it', async () => {
  const yaml = [
    'version: 1',
    'secretStores:',
    '  s:',
    '    type: aws.sts',
    `    role_arn: ${ARN}`,
    '    serial_number: arn:aws:iam::123456789012:mfa/me',
    '    token_code: "98765"',
    '',
  ].join('\n');
  const r = await runCli(['validate'], { cwd: project(yaml) });
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain('dsops.yaml:7:17: error[E_TOKEN_CODE] store s: token_code must be exactly 6 digits');
  expect(r.stderr).not.toContain('98765');
});

test('two stores on one MFA device in one env', async () => {
  const yaml = [
    'version: 1',
    'secretStores:',
    '  admin:',
    '    type: aws.sts',
    '    role_arn: arn:aws:iam::123456789012:role/Admin',
    '    serial_number: arn:aws:iam::123456789012:mfa/alice',
    '    token_code: ${MFA_TOKEN}',
    '  audit:',
    '    type: aws.sts',
    '    role_arn: arn:aws:iam::123456789012:role/Audit',
    '    serial_number: arn:aws:iam::123456789012:mfa/alice',
    '    token_code: ${MFA_TOKEN}',
    'envs:',
    '  prod:',
    '    A:',
    '      from: {store: admin, key: AccessKeyId}',
    '    B:',
    '      from: {store: audit, key: AccessKeyId}',
    '',
  ].join('\n');
  const r = await execFails(yaml, 'prod', { MFA_TOKEN: '123456' });
  expectConfigFailure(r, 1);
  const [e] = errorLines(r.stderr);
  expect(e).toMatchObject({ where: 'dsops.yaml:11:20', code: 'E_MFA_DEVICE_SHARED' });
  expect(e.message).toContain('env prod: stores admin, audit all use MFA device arn:aws:iam::123456789012:mfa/alice');
  expect(r.stderr).toMatch(/hint: add one store with "operation: get-session-token"/);
});

test('a store with no body is exit 2, not an unexpected failure', async () => {
  // Regression: this used to crash in the graph step with "Cannot read properties of null" (exit 1).
  const yaml = ['version: 1', 'secretStores:', '  base:', '  s:', '    type: aws.sts', `    role_arn: ${ARN}`, '    credentials_from: base', ''].join('\n');
  const r = await runCli(['validate'], { cwd: project(yaml) });
  expectConfigFailure(r, 1);
  expect(r.stderr).toContain('dsops.yaml:3:8: error[E_SCHEMA_TYPE] store base: (store) must be object');
});

test('a shipped example validates through the CLI, and --strict names its missing variable when unset', async () => {
  const example = path.resolve(__dirname, '../../examples/dev-to-prod.yaml');
  const dir = project('unused', 'other.yaml');
  const ok = await runCli(['validate', '--config', example], { cwd: dir, env: { PROD_ACCOUNT_ID: '210987654321' } });
  expect(ok.code).toBe(0);
  expect(ok.stderr).toMatch(/dev-to-prod\.yaml: valid \(2 stores, 1 env\)/);
  const r = await runCli(['validate', '--strict', '--config', example], { cwd: dir });
  expectConfigFailure(r, 1);
  expect(r.stderr).toMatch(/dev-to-prod\.yaml:\d+:15: error\[E_UNDEFINED_VAR\] store prod-access: role_arn uses \$\{PROD_ACCOUNT_ID\}, which is not set/);
});
