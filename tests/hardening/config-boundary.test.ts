/**
 * Valid configs at each limit of botocore's STS model (sts/2011-06-15/service-2.json: roleSessionNameType
 * 2-64, roleDurationSecondsType 900-43200, durationSecondsType 900-129600, externalIdType 2-1224,
 * serialNumberType 9-256, tokenCodeType 6, sessionPolicyDocumentType 1-2048, tagKeyType 1-128 and
 * tagValueType 0-256 in code points, tagListType and tagKeyListType 50, sourceIdentityType 2-64, arnType
 * 20-2048; IAM's pathType for role paths: up to 512 printable ASCII). Each must pass: dsops may not be
 * stricter than AWS. Checked through the library, and once through the built CLI with all of them.
 */
import * as fs from 'fs';
import { ConfigError, makeScope, parseConfig, prepareAll } from '../../src/index';
import { CLI, project, runCli } from '../helpers/cli';
import { recordHardening } from '../helpers/hardening-report';

const ACCOUNT = '123456789012';
const ASTRAL = '𝐀'; // one code point, two UTF-16 units

/** Fields of one aws.sts store at a limit, as YAML lines (indented 4). */
const ROLE: [string, string[]][] = [
  ['session name 2', ['role_session_name: ab']],
  ['session name 64', [`role_session_name: ${'s'.repeat(64)}`]],
  ['session name, every allowed character', ['role_session_name: "aZ0_+=,.@-"']],
  ['duration 900', ['duration_seconds: 900']],
  ['duration 43200', ['duration_seconds: 43200']],
  ['duration 12h', ['duration: 12h']],
  ['external id 2', ['external_id: ab']],
  ['external id 1224', [`external_id: ${'e'.repeat(1224)}`]],
  ['external id, every allowed character', ['external_id: "aZ0_+=,.@:/-"']],
  ['serial 9', ['serial_number: GAHT12345']],
  ['serial 256', [`serial_number: "arn:aws:iam::${ACCOUNT}:mfa/${'m'.repeat(256 - 31)}"`]],
  ['token code with leading zero, quoted', ['serial_number: GAHT12345', 'token_code: "012345"']],
  ['session policy of 2048 characters', [`session_policy: '${policyOf(2048)}'`]],
  ['session policy, tab and Latin-1', [`session_policy: '${JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Café\t', Effect: 'Allow', Action: 's3:*', Resource: '*' }] })}'`]],
  ['10 policy ARNs', [`policy_arns: [${Array.from({ length: 10 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`).join(', ')}]`]],
  ['50 tags', [`tags: {${Array.from({ length: 50 }, (_, i) => `K${i}: v`).join(', ')}}`]],
  ['tag key of 128 code points outside the BMP', [`tags: {"${ASTRAL.repeat(128)}": v}`]],
  ['tag value of 256 code points outside the BMP', [`tags: {K: "${ASTRAL.repeat(256)}"}`]],
  ['tag key of 128 ASCII, empty value', [`tags: {"${'k'.repeat(128)}": ""}`]],
  ['tag text with every allowed kind of character', ['tags: {"Équipe 1_.:/=+-@": "café déploiement 9"}']],
  ['50 transitive tag keys', [`tags: {${Array.from({ length: 50 }, (_, i) => `K${i}: v`).join(', ')}}`, `transitive_tag_keys: [${Array.from({ length: 50 }, (_, i) => `K${i}`).join(', ')}]`]],
  ['source identity 2', ['source_identity: ab']],
  ['source identity 64', [`source_identity: ${'i'.repeat(64)}`]],
];

/** role_arn values at IAM's limits. */
const ARNS: [string, string][] = [
  ['shortest role name', `arn:aws:iam::${ACCOUNT}:role/A`],
  ['role name of 64', `arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(64)}`],
  ['path of 512', `arn:aws:iam::${ACCOUNT}:role/${'p'.repeat(510)}/App`],
  ['path with ! and other printable ASCII', `arn:aws:iam::${ACCOUNT}:role/team!ops/~x#y/App`],
  ['another partition', `arn:aws-us-gov:iam::${ACCOUNT}:role/App`],
];

const SESSION_TOKEN: [string, string[]][] = [
  ['get-session-token 900', ['duration_seconds: 900']],
  ['get-session-token 129600', ['duration_seconds: 129600']],
];

function policyOf(length: number): string {
  const base = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '' }] };
  const pad = length - JSON.stringify(base).length;
  base.Statement[0].Resource = 'r'.repeat(pad);
  return JSON.stringify(base);
}

function configOf(stores: string[][]): string {
  const lines = ['version: 1', 'secretStores:'];
  stores.forEach((s, i) => lines.push(`  s${i}:`, ...s.map((l) => `    ${l}`)));
  lines.push('envs:', '  e:', '    X: y', '');
  return lines.join('\n');
}

const STORES: [string, string[]][] = [
  ...ROLE.map(([name, lines]): [string, string[]] => [name, ['type: aws.sts', `role_arn: arn:aws:iam::${ACCOUNT}:role/App`, ...lines]]),
  ...ARNS.map(([name, arn]): [string, string[]] => [name, ['type: aws.sts', `role_arn: "${arn}"`]]),
  ...SESSION_TOKEN.map(([name, lines]): [string, string[]] => [name, ['type: aws.sts', 'operation: get-session-token', ...lines]]),
];

test.each(STORES)('valid at the limit: %s', (_, lines) => {
  try {
    prepareAll(parseConfig(configOf([lines]), 'dsops.yaml'), makeScope({ USER: 'tester' }, new Date('2026-03-04T05:06:07Z')));
  } catch (e) {
    if (e instanceof ConfigError) throw new Error(e.issues.map((i) => i.message).join('\n'));
    throw e;
  }
});

test('all of them in one file pass the built CLI', async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.js first`);
  const r = await runCli(['validate'], { cwd: project(configOf(STORES.map(([, l]) => l))) });
  expect(r.stderr).toContain(`valid (${STORES.length} stores, 1 env)`);
  expect(r.code).toBe(0);
  recordHardening('config-boundary', { boundaryInputs: STORES.length });
});
