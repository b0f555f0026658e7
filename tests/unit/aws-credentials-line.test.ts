/** `aws_credentials: STORE` at config level: what it binds, what wins over it, and its located errors. */
import { ConfigError, ConfigIssue, makeScope, parseConfig, prepareAll, prepareEnv } from '../../src/index';

const scope = makeScope({ USER: 'tester' }, new Date('2026-03-04T05:06:07Z'));
const YAML = [
  'version: 1', //                                                            1
  'secretStores:', //                                                         2
  '  role: { type: aws.sts, role_arn: arn:aws:iam::123456789012:role/App }', // 3
  '  sm: { type: aws.secretsmanager, credentials_from: role }', //            4
  'envs:', //                                                                 5
  '  base:', //                                                               6
  '    AWS_REGION: eu-central-1', //                                          7
  '  prod:', //                                                               8
  '    extends: base', //                                                     9
  '    aws_credentials: role', //                                            10
  '    AWS_SESSION_TOKEN: explicit', //                                      11
  '',
].join('\n');

function issuesOf(text: string): ConfigIssue[] {
  try {
    prepareAll(parseConfig(text, 'dsops.yaml'), scope);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

test('binds six vars to the session store; the env\'s explicit vars win, inherited ones do not', () => {
  const prod = prepareEnv(parseConfig(YAML, 'dsops.yaml'), 'prod', scope);
  const byName = Object.fromEntries(prod.vars.map((v) => [v.name, v.kind === 'store' ? `${v.store}:${String(v.ref)}` : `=${v.value}`]));
  expect(byName).toEqual({
    AWS_ACCESS_KEY_ID: 'role:AccessKeyId',
    AWS_SECRET_ACCESS_KEY: 'role:SecretAccessKey',
    AWS_SESSION_TOKEN: '=explicit',
    AWS_CREDENTIAL_EXPIRATION: 'role:Expiration',
    AWS_REGION: 'role:Region',
    AWS_DEFAULT_REGION: 'role:Region',
  });
  expect(prod.order).toEqual(['role']);
});

test('a store that makes no session is one located error about the line', () => {
  const issues = issuesOf(YAML.replace('aws_credentials: role', 'aws_credentials: sm'));
  expect(issues).toEqual([
    expect.objectContaining({ code: 'E_NOT_A_SESSION', message: 'env prod: aws_credentials: store "sm" is of type aws.secretsmanager, which holds no AWS session', loc: expect.objectContaining({ line: 10, col: 22 }) }),
  ]);
});

test('an unknown store is one located error, with did-you-mean', () => {
  const issues = issuesOf(YAML.replace('aws_credentials: role', 'aws_credentials: rol'));
  expect(issues).toEqual([
    expect.objectContaining({ code: 'E_UNKNOWN_STORE', message: 'env prod: aws_credentials: store "rol" is not defined in secretStores', hint: 'did you mean "role"?', loc: expect.objectContaining({ line: 10, col: 22 }) }),
  ]);
});

test('a store var can read the region itself: key Region', () => {
  const text = YAML.replace('    aws_credentials: role\n', '    MY_REGION: { from: { store: role, key: Region } }\n');
  const v = prepareEnv(parseConfig(text, 'dsops.yaml'), 'prod', scope).vars.find((x) => x.name === 'MY_REGION');
  expect(v).toMatchObject({ kind: 'store', store: 'role', ref: 'Region' });
});
