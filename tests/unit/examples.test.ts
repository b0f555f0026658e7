/**
 * examples/*.yaml: one per pattern in the STS guide. Each must validate as users would run it,
 * with exactly the variables its header asks for (MFA_TOKEN is read lazily, so it is never needed here).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, makeScope, parseConfig, prepareAll } from '../../src/index';
import type { PreparedEnv, StsSpec } from '../../src/index';

const DIR = path.resolve(__dirname, '../../examples');
const NOW = new Date('2026-05-06T07:08:09Z');

interface Case {
  /** Variables the example needs; each must be reported missing when absent. */
  vars: Record<string, string>;
  check: (envs: PreparedEnv[]) => void;
}

function sts(envs: PreparedEnv[], store: string): StsSpec {
  for (const e of envs) {
    const s = e.stores.get(store);
    if (s?.type === 'aws.sts') return s as StsSpec;
  }
  throw new Error(`no aws.sts store ${store} in any env`);
}
const env = (envs: PreparedEnv[], name: string) => envs.find((e) => e.env === name) ?? fail(`no env ${name}`);
function fail(msg: string): never {
  throw new Error(msg);
}

const CASES: Record<string, Case> = {
  'basic.yaml': {
    vars: {},
    check: (envs) => {
      const prod = env(envs, 'production');
      expect(prod.order).toEqual(['aws-sts-prod', 'aws-secrets-prod']);
      expect(sts(envs, 'aws-sts-prod')).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/ProdAccessRole', durationSeconds: 3600 });
      expect(prod.vars).toEqual([
        {
          name: 'DATABASE_URL',
          kind: 'store',
          store: 'aws-secrets-prod',
          id: expect.any(String),
          credential: false,
          ref: { secretId: 'prod/database/connection', field: undefined, versionStage: undefined, versionId: undefined },
        },
      ]);
    },
  },
  'external-id.yaml': {
    vars: {},
    check: (envs) => {
      expect(sts(envs, 'aws-sts-customer')).toMatchObject({ externalId: 'unique-customer-id-12345', durationSeconds: 1800, roleSessionName: 'vendor-dsops' });
      expect(env(envs, 'customer').vars.find((v) => v.name === 'CUSTOMER_API_KEY')).toMatchObject({ ref: { secretId: 'vendor/api', field: 'key' } });
    },
  },
  'mfa.yaml': {
    vars: {},
    check: (envs) => {
      const s = sts(envs, 'aws-sts-sensitive');
      expect(s.serialNumber).toBe('arn:aws:iam::123456789012:mfa/username');
      // Unset MFA_TOKEN means "ask the user" at call time, not a config error.
      expect(s.tokenCode()).toBeUndefined();
    },
  },
  'session-policy.yaml': {
    vars: {},
    check: (envs) => {
      const policy = JSON.parse(sts(envs, 'aws-sts-restricted').sessionPolicy ?? 'null');
      expect(policy.Statement[0]).toEqual({
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*',
      });
      expect(sts(envs, 'aws-sts-restricted').sessionPolicy).not.toMatch(/\s/);
    },
  },
  'chain-of-roles.yaml': {
    vars: {},
    check: (envs) => {
      expect(env(envs, 'target').order).toEqual(['aws-sts-jump', 'aws-sts-target', 'target-secrets']);
      expect(sts(envs, 'aws-sts-target')).toMatchObject({ credentialsFrom: 'aws-sts-jump', durationSeconds: 3600 });
    },
  },
  'dynamic-role-selection.yaml': {
    vars: { AWS_REGION: 'eu-west-1', TARGET_ROLE_ARN: 'arn:aws:iam::123456789012:role/Deployer', EXTERNAL_ID: 'ci-external-id' },
    check: (envs) => {
      expect(sts(envs, 'aws-sts-dynamic')).toMatchObject({
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::123456789012:role/Deployer',
        externalId: 'ci-external-id',
        roleSessionName: 'dsops-example.user-20260506T070809Z',
      });
      // aws_credentials gives the child the store's region, which is ${AWS_REGION} here.
      expect(env(envs, 'dynamic').vars.find((v) => v.name === 'AWS_REGION')).toMatchObject({ kind: 'store', store: 'aws-sts-dynamic', ref: 'Region' });
    },
  },
  'multi-region.yaml': {
    vars: {},
    check: (envs) => {
      expect(sts(envs, 'aws-sts-us-east').region).toBe('us-east-1');
      expect(sts(envs, 'aws-sts-eu-west').region).toBe('eu-west-1');
      expect(sts(envs, 'aws-sts-eu-west').roleSessionName).toBe('dsops-example.user');
      expect(env(envs, 'global').order.sort()).toEqual(['aws-sts-eu-west', 'aws-sts-us-east', 'secrets-eu', 'secrets-us']);
      expect(env(envs, 'eu').order).toEqual(['aws-sts-eu-west', 'secrets-eu']);
    },
  },
  'dev-to-prod.yaml': {
    vars: { PROD_ACCOUNT_ID: '210987654321' },
    check: (envs) => {
      expect(sts(envs, 'prod-access')).toMatchObject({
        roleArn: 'arn:aws:iam::210987654321:role/DeveloperAccess',
        roleSessionName: 'example.user-dev-to-prod',
        durationSeconds: 3600,
      });
    },
  },
  'service-account.yaml': {
    vars: {
      CUSTOMER_ROLE_ARN: 'arn:aws:iam::987654321098:role/ServiceAccess',
      CUSTOMER_EXTERNAL_ID: 'tenant-42-external-id',
      SERVICE_NAME: 'billing-sync',
    },
    check: (envs) => {
      expect(sts(envs, 'customer-access')).toMatchObject({
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::987654321098:role/ServiceAccess',
        externalId: 'tenant-42-external-id',
        roleSessionName: 'service-billing-sync-20260506T070809Z',
      });
    },
  },
  'github-actions-oidc.yaml': {
    vars: {},
    check: (envs) => {
      expect(sts(envs, 'ci')).toMatchObject({
        operation: 'assume-role-with-web-identity',
        roleSessionName: 'gha-local',
        webIdentity: { variable: 'ACTIONS_ID_TOKEN' },
        durationSeconds: 3600,
      });
      expect(env(envs, 'deploy').order).toEqual(['ci', 'deploy', 'params']);
    },
  },
  'parameter-store.yaml': {
    vars: {},
    check: (envs) => {
      const refs = env(envs, 'production').vars.map((v) => (v.kind === 'store' ? v.ref : undefined));
      expect(refs).toEqual([
        { name: '/app/prod/db-password' },
        { name: '/app/prod/flags', selector: ':live' },
        { name: '/app/prod/api-url', selector: ':3', version: 3 },
      ]);
    },
  },
  'break-glass.yaml': {
    vars: { MFA_DEVICE_ARN: 'arn:aws:iam::123456789012:mfa/alice' },
    check: (envs) => {
      const s = sts(envs, 'break-glass');
      expect(s).toMatchObject({
        serialNumber: 'arn:aws:iam::123456789012:mfa/alice',
        durationSeconds: 900,
        roleSessionName: 'emergency-example.user-20260506T070809Z',
      });
      expect(s.tokenCode()).toBeUndefined();
    },
  },
};

const read = (file: string) => fs.readFileSync(path.join(DIR, file), 'utf8');

function prepare(file: string, vars: Record<string, string>) {
  const source = parseConfig(read(file), file);
  return prepareAll(source, makeScope({ USER: 'example.user', ...vars }, NOW));
}

test('there is one example per pattern, and nothing else', () => {
  expect(fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(Object.keys(CASES))('%s', (file) => {
  const { vars, check } = CASES[file];

  test('opens with a comment saying when to use it, and is version 1', () => {
    const text = read(file);
    const header = text.split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#') || x === ''));
    expect(header.filter((l) => l.startsWith('# ')).length).toBeGreaterThanOrEqual(3);
    expect(header.join('\n')).toMatch(/Use this (when|for|in)/);
    expect(text).toMatch(/^version: 1$/m);
  });

  test('validates with its variables, and every store is used by an env', () => {
    const envs = prepare(file, vars);
    expect(envs.length).toBeGreaterThan(0);
    const source = parseConfig(read(file), file);
    const stores = Object.keys((source.data as { secretStores: object }).secretStores);
    const used = new Set(envs.flatMap((e) => [...e.stores.keys()]));
    expect([...used].sort()).toEqual(stores.sort());
    check(envs);
  });

  test('reports exactly its required variables when they are missing', () => {
    const names = Object.keys(vars);
    if (!names.length) {
      expect(() => prepare(file, {})).not.toThrow();
      return;
    }
    let err: unknown;
    try {
      prepare(file, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues;
    expect(issues.every((i) => i.code === 'E_UNDEFINED_VAR')).toBe(true);
    const missing = new Set(issues.map((i) => /\$\{(\w+)\}/.exec(i.message)![1]));
    expect([...missing].sort()).toEqual(names.sort());
    for (const i of issues) expect(i.loc).toMatchObject({ file, line: expect.any(Number), col: expect.any(Number) });
  });
});

test('no example shares an MFA device between two stores of one env', () => {
  for (const file of Object.keys(CASES)) {
    for (const e of prepare(file, CASES[file].vars)) {
      const serials = [...e.stores.values()].flatMap((s) => (s.type === 'aws.sts' && (s as StsSpec).serialNumber ? [(s as StsSpec).serialNumber!] : []));
      expect(new Set(serials).size).toBe(serials.length);
    }
  }
});
