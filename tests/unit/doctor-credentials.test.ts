/**
 * Where doctor says root credentials come from (the SDK chain's order, profiles as the SDK's loader returns
 * them), which targets it asks STS with, and how the check reports each outcome. The network is injected.
 */
import { CallerIdentityError } from '../../src/aws/caller-identity';
import type { StoreSpec } from '../../src/config/types';
import { ResolveError } from '../../src/errors';
import { detectSource, ProfileData } from '../../src/aws/credential-source';
import { checkRootCredentials, IdentityDeps } from '../../src/doctor/root-credentials-check';
import { DOCTOR_TIMEOUT_MS, rootTargets } from '../../src/doctor/root-targets';

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID0001', AWS_SECRET_ACCESS_KEY: 'secret-value-never-shown' };
const PROFILES: Record<string, ProfileData> = {
  sso: { sso_session: 'corp', sso_account_id: '123456789012', sso_role_name: 'Dev' },
  legacy_sso: { sso_start_url: 'https://corp.awsapps.com/start' },
  proc: { credential_process: 'vault-creds --json' },
  chained: { role_arn: 'arn:aws:iam::123456789012:role/Ops', source_profile: 'static' },
  ec2: { role_arn: 'arn:aws:iam::123456789012:role/Ops', credential_source: 'Ec2InstanceMetadata' },
  wi: { role_arn: 'arn:aws:iam::123456789012:role/Ci', web_identity_token_file: '/var/run/token' },
  static: { aws_access_key_id: 'AKIA0000', aws_secret_access_key: 'x' },
  empty: { region: 'eu-west-1' },
};

describe('detectSource', () => {
  test.each([
    ['sso', 'sso', 'profile sso (SSO session corp'],
    ['legacy_sso', 'sso', 'profile legacy_sso (SSO'],
    ['proc', 'process', 'profile proc (credential_process'],
    ['chained', 'assume-role', 'profile chained (assumes arn:aws:iam::123456789012:role/Ops with source_profile static'],
    ['ec2', 'assume-role', 'credential_source Ec2InstanceMetadata'],
    ['wi', 'web-identity', 'profile wi (web identity, role arn:aws:iam::123456789012:role/Ci'],
    ['static', 'profile', 'profile static (static keys'],
  ])("AWS_PROFILE=%s is a %s source", (profile, kind, describe) => {
    const s = detectSource(undefined, { AWS_PROFILE: profile, ...KEYS }, PROFILES);
    expect(s.kind).toBe(kind);
    expect(s.describe).toContain(describe);
    expect(s.describe).toContain('named by AWS_PROFILE');
    expect(s.problem).toBeUndefined();
  });

  test("a store's profile wins over AWS_PROFILE, and says so", () => {
    const s = detectSource('proc', { AWS_PROFILE: 'sso' }, PROFILES);
    expect(s.describe).toBe("profile proc (credential_process, named by the store's profile:)");
  });

  test('a named profile skips the environment keys, as the JS SDK does', () => {
    expect(detectSource('static', KEYS, PROFILES).kind).toBe('profile');
  });

  test('a named profile that does not exist, or has no credentials, is a problem named up front', () => {
    expect(detectSource(undefined, { AWS_PROFILE: 'nope' }, PROFILES).problem?.detail).toBe(
      'profile nope (named by AWS_PROFILE) is not in ~/.aws/config or ~/.aws/credentials',
    );
    expect(detectSource('empty', {}, PROFILES).problem?.detail).toMatch(/^profile empty .* has no credentials/);
  });

  test('environment keys come first without a profile; only the variable names are shown', () => {
    const s = detectSource(undefined, { ...KEYS, AWS_SESSION_TOKEN: 'tok' }, PROFILES);
    expect(s).toEqual({ kind: 'env', describe: 'environment keys (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN)' });
    expect(JSON.stringify(s)).not.toContain(KEYS.AWS_ACCESS_KEY_ID);
  });

  test('then the default profile, then web identity, container, instance metadata', () => {
    expect(detectSource(undefined, {}, { default: PROFILES.sso }).describe).toBe('profile default (SSO session corp)');
    const wi = { AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/R' };
    expect(detectSource(undefined, wi, { default: PROFILES.empty }).kind).toBe('web-identity');
    expect(detectSource(undefined, { AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }, {}).kind).not.toBe('web-identity');
    expect(detectSource(undefined, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' }, {}).describe).toBe(
      'container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
    );
    expect(detectSource(undefined, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/x' }, {}).kind).toBe('container');
    expect(detectSource(undefined, {}, {}).kind).toBe('instance');
  });

  test('nothing at all, with instance metadata off: a problem that says what was looked for', () => {
    const s = detectSource(undefined, { AWS_EC2_METADATA_DISABLED: 'true' }, {});
    expect(s.kind).toBe('none');
    expect(s.problem?.detail).toMatch(/no AWS_\* keys, no profile, .* instance metadata is off/);
  });
});

const spec = (s: Partial<StoreSpec> & { name: string; operation?: string }): StoreSpec => ({ type: 'aws.sts', ...s }) as StoreSpec;

describe('rootTargets', () => {
  const env = { AWS_REGION: 'eu-west-1' };

  test('without a config: the default chain, AWS_REGION, the STS endpoint variables, a short timeout', async () => {
    expect(await rootTargets(undefined, { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:6000' })).toEqual({
      targets: [{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:6000', timeoutMs: DOCTOR_TIMEOUT_MS }],
    });
  });

  test("a first hop's region, STS endpoint and timeout; one target per profile; chained stores are not roots", async () => {
    const { targets } = await rootTargets(
      [
        spec({ name: 'sm', type: 'aws.secretsmanager', region: 'ap-south-1', endpoint: 'http://127.0.0.1:7000' }),
        spec({ name: 'jump', region: 'us-west-2', endpoint: 'http://127.0.0.1:8000', requestTimeoutMs: 2000 }),
        spec({ name: 'admin', credentialsFrom: 'jump', region: 'eu-central-1' }),
        spec({ name: 'other', profile: 'ops' }),
      ],
      env,
    );
    expect(targets).toEqual([
      { store: 'jump', profile: undefined, region: 'us-west-2', endpoint: 'http://127.0.0.1:8000', timeoutMs: 2000 },
      { store: 'other', profile: 'ops', region: 'eu-west-1', endpoint: undefined, timeoutMs: DOCTOR_TIMEOUT_MS },
    ]);
  });

  test('a Secrets Manager endpoint is not where STS is', async () => {
    const { targets } = await rootTargets([spec({ name: 'sm', type: 'aws.secretsmanager', endpoint: 'http://127.0.0.1:7000' })], env);
    expect(targets[0].endpoint).toBeUndefined();
  });

  test('every first hop a web identity exchange: skipped, saying why', async () => {
    const r = await rootTargets(
      [spec({ name: 'ci', operation: 'assume-role-with-web-identity' }), spec({ name: 'deploy', credentialsFrom: 'ci' })],
      env,
    );
    expect(r).toEqual({ targets: [], skip: 'not needed: every first hop (ci) exchanges a web identity token' });
  });
});

describe('checkRootCredentials', () => {
  const target = { store: 'jump', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', timeoutMs: 1000 };
  const creds = { accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY };
  const source = detectSource(undefined, KEYS, {});
  const deps = (over: Partial<IdentityDeps>): IdentityDeps => ({
    credentials: () => async () => creds,
    identity: async () => ({ arn: 'arn:aws:iam::123456789012:user/alice', account: '123456789012', userId: 'AIDA1', serverDate: new Date(1_000_000) }),
    nowMs: () => 1_000_000 + 90_000,
    ...over,
  });

  test('working: the source and the ARN, never a key; the Date header feeds the clock check', async () => {
    const r = await checkRootCredentials('root credentials', target, source, KEYS, deps({}));
    expect(r.result).toEqual({
      name: 'root credentials',
      status: 'ok',
      detail: 'environment keys (AWS_ACCESS_KEY_ID) work: arn:aws:iam::123456789012:user/alice (via http://127.0.0.1:9)',
    });
    expect(r.clock).toMatchObject({ name: 'clock', status: 'warn', detail: '90 s ahead of STS' });
    expect(JSON.stringify(r)).not.toMatch(/AKIAEXAMPLE|secret-value/);
  });

  test('STS unreachable: FAIL naming the endpoint and the code, with the hint for it; no clock result', async () => {
    const failure = { code: 'ECONNREFUSED', detail: 'connection to http://127.0.0.1:9 failed: connect ECONNREFUSED 127.0.0.1:9' };
    const r = await checkRootCredentials('root credentials', target, source, KEYS, deps({ identity: async () => Promise.reject(new CallerIdentityError(failure)) }));
    expect(r.result.status).toBe('fail');
    expect(r.result.detail).toBe(`environment keys (AWS_ACCESS_KEY_ID): GetCallerIdentity at http://127.0.0.1:9 failed: ECONNREFUSED: ${failure.detail}`);
    expect(r.result.hint).toMatch(/check the endpoint/);
    expect(r.clock).toBeUndefined();
  });

  test('credentials the chain cannot load: FAIL with the predicted problem, or the lookup message and its hint', async () => {
    const notFound = () => async () => Promise.reject(new ResolveError('store jump: AWS credentials not found.', 'E_NO_CREDENTIALS', 'jump', 'check the profile'));
    const none = detectSource(undefined, { AWS_EC2_METADATA_DISABLED: 'true' }, {});
    const predicted = await checkRootCredentials('root credentials', target, none, {}, deps({ credentials: notFound }));
    expect(predicted.result).toMatchObject({ status: 'fail', detail: none.problem!.detail, hint: none.problem!.hint });
    const ims = detectSource(undefined, {}, {});
    const looked = await checkRootCredentials('root credentials', target, ims, {}, deps({ credentials: notFound }));
    expect(looked.result).toMatchObject({ status: 'fail', detail: `${ims.describe}: AWS credentials not found.`, hint: 'check the profile' });
  });
});
