/**
 * A run loads only the SDK parts it needs (src/aws/sdk.ts): the everyday warm run, whose STS sessions come from
 * the cache, loads the Secrets Manager client and neither the STS client nor the default credential chain.
 * Observed on the built CLI through a module-resolution hook (tests/helpers/import-log.mjs).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, project } from '../helpers/cli';
import { awsEnv, callsOf, describeMoto, resetMoto, resetRecording, seedSecret } from '../helpers/moto';

const IMPORT_LOG = path.resolve(__dirname, '../helpers/import-log.mjs');
const YAML = `version: 1
secretStores:
  jump: { type: aws.sts, role_arn: "arn:aws:iam::111111111111:role/Jump" }
  target: { type: aws.sts, role_arn: "arn:aws:iam::222222222222:role/Target", credentials_from: jump }
  app: { type: aws.secretsmanager, credentials_from: target }
envs:
  deploy:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    DB_PASSWORD: { from: { store: app, key: "app/db#password" } }
    API_TOKEN: { from: { store: app, key: "app/api-token" } }
`;

/** Runs the CLI and returns the SDK parts (dist/aws/sdk/<part>.mjs) it imported. */
function sdkPartsLoaded(cwd: string, args: string[], env: Record<string, string> = awsEnv()): { code: number | null; stderr: string; parts: string[] } {
  const log = path.join(cwd, `imports-${Date.now()}-${Math.random()}.txt`);
  fs.writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', IMPORT_LOG, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, USER: 'tester', DSOPS_CACHE_DIR: path.join(cwd, '.cache'), DSOPS_TEST_IMPORT_LOG: log, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const parts = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .map((u) => /\/dist\/aws\/sdk\/([\w-]+)\.mjs$/.exec(u)?.[1])
    .filter((p): p is string => Boolean(p) && !/^(chunk|dist-es)-/.test(p!));
  return { code: r.status, stderr: r.stderr, parts: [...new Set(parts)].sort() };
}

describeMoto('which SDK parts a run loads (built CLI, moto)', () => {
  beforeEach(async () => {
    await resetMoto();
    await seedSecret('222222222222', 'app/db', JSON.stringify({ password: 'pw' }));
    await seedSecret('222222222222', 'app/api-token', 'tok');
    await resetRecording();
  });

  it('a cold run loads what it calls; a warm run with secrets loads only the Secrets Manager client', async () => {
    const cwd = project(YAML);
    const cold = sdkPartsLoaded(cwd, ['exec', '--env', 'deploy', '--', 'sh', '-c', 'test "$DB_PASSWORD" = pw && test "$API_TOKEN" = tok']);
    expect(cold).toMatchObject({ code: 0, stderr: '' });
    // Root keys in the environment are taken as they are: no credential chain.
    expect(cold.parts).toEqual(['secrets-manager', 'sts']);
    expect(await callsOf('AssumeRole')).toHaveLength(2);

    await resetRecording();
    const warm = sdkPartsLoaded(cwd, ['exec', '--env', 'deploy', '--', 'sh', '-c', 'test "$DB_PASSWORD" = pw && test "$API_TOKEN" = tok']);
    expect(warm).toMatchObject({ code: 0, stderr: '' });
    expect(warm.parts).toEqual(['secrets-manager']);
    expect(await callsOf('AssumeRole')).toHaveLength(0);
    expect(await callsOf('BatchGetSecretValue')).toHaveLength(1);
  });

  it('root credentials from a profile load the credential chain on a cold run only', async () => {
    const cwd = project(YAML);
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...rest } = awsEnv();
    fs.writeFileSync(path.join(cwd, 'credentials'), `[ci]\naws_access_key_id = ${AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}\n`);
    const env = { ...rest, AWS_PROFILE: 'ci', AWS_SHARED_CREDENTIALS_FILE: path.join(cwd, 'credentials'), AWS_CONFIG_FILE: path.join(cwd, 'no-config') };
    const cold = sdkPartsLoaded(cwd, ['exec', '--env', 'deploy', '--', 'true'], env);
    expect(cold).toMatchObject({ code: 0, stderr: '' });
    expect(cold.parts).toEqual(['credential-providers', 'secrets-manager', 'sts']);
    const warm = sdkPartsLoaded(cwd, ['exec', '--env', 'deploy', '--', 'true'], env);
    expect(warm).toMatchObject({ code: 0, stderr: '', parts: ['secrets-manager'] });
  });

  it('a warm run without secrets loads no SDK part at all', async () => {
    const cwd = project(YAML.replace(/    DB_PASSWORD.*\n    API_TOKEN.*\n/, ''));
    expect(sdkPartsLoaded(cwd, ['exec', '--env', 'deploy', '--', 'true']).code).toBe(0);
    const warm = sdkPartsLoaded(cwd, ['exec', '--env', 'deploy', '--', 'true']);
    expect(warm).toMatchObject({ code: 0, parts: [] });
  });
});
