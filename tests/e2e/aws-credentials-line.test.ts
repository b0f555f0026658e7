/**
 * `aws_credentials: STORE`, one line for an env's AWS identity: the child is a real AWS CLI (v1, which
 * reads only AWS_DEFAULT_REGION) that calls moto as the assumed role and reads a secret, with no other
 * AWS_* line in the config. Needs dist/ (node scripts/build.js) and moto_server.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { CLI, project, runCli } from '../helpers/cli';
import { awsEnv, describeMoto, resetMoto, seedSecret } from '../helpers/moto';

const ACCOUNT = '222222222222';
const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.js first`);
});

const YAML = `
version: 1
secretStores:
  deploy:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::${ACCOUNT}:role/Deployer
envs:
  prod:
    aws_credentials: deploy
  pinned:
    aws_credentials: deploy
    AWS_REGION: eu-central-1
`;

/** The parent's environment: root keys for dsops, and no region, so the child's region is the store's. */
function parentEnv(): Record<string, string> {
  const env = awsEnv();
  delete env.AWS_REGION;
  return env;
}

describeMoto('aws_credentials: one line for the env\'s AWS identity', () => {
  beforeEach(async () => {
    await resetMoto();
    await seedSecret(ACCOUNT, 'app/db', 's3cr3t-value');
  });

  (hasAwsCli ? it : it.skip)('the AWS CLI in the child runs as the role and reads a secret, with no other AWS_* line', async () => {
    const dir = project(YAML);
    const script = [
      'set -e',
      'aws sts get-caller-identity --query Arn --output text',
      'aws secretsmanager get-secret-value --secret-id app/db --query SecretString --output text',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'child.sh'), script);
    const r = await runCli(['exec', '--env', 'prod', '--no-mask', '--', 'sh', 'child.sh'], { cwd: dir, env: parentEnv(), timeoutMs: 60000 });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const [arn, secret] = r.stdout.trim().split('\n');
    expect(arn).toMatch(new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/`));
    expect(secret).toBe('s3cr3t-value');
  }, 90000);

  it('injects the keys, the expiry and the store\'s region under both names; an explicit var wins', async () => {
    const dir = project(YAML);
    fs.writeFileSync(
      path.join(dir, 'dump.js'),
      'const n=["AWS_ACCESS_KEY_ID","AWS_SECRET_ACCESS_KEY","AWS_SESSION_TOKEN","AWS_CREDENTIAL_EXPIRATION","AWS_REGION","AWS_DEFAULT_REGION"];' +
        'process.stdout.write(JSON.stringify(Object.fromEntries(n.map((k)=>[k,process.env[k]??null]))))',
    );
    const prod = await runCli(['exec', '--env', 'prod', '--no-mask', '--', process.execPath, 'dump.js'], { cwd: dir, env: parentEnv() });
    expect(prod.code).toBe(0);
    const seen = JSON.parse(prod.stdout);
    expect(seen.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(seen.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    expect(seen.AWS_SESSION_TOKEN).toBeTruthy();
    expect(new Date(seen.AWS_CREDENTIAL_EXPIRATION).toISOString()).toBe(seen.AWS_CREDENTIAL_EXPIRATION);
    expect([seen.AWS_REGION, seen.AWS_DEFAULT_REGION]).toEqual(['us-east-1', 'us-east-1']);

    const pinned = JSON.parse((await runCli(['exec', '--env', 'pinned', '--no-mask', '--', process.execPath, 'dump.js'], { cwd: dir, env: parentEnv() })).stdout);
    expect([pinned.AWS_REGION, pinned.AWS_DEFAULT_REGION]).toEqual(['eu-central-1', 'us-east-1']);
  });

  it('masking hides the credentials but not the region', async () => {
    const dir = project(YAML);
    const r = await runCli(['exec', '--env', 'prod', '--mask', '--', 'sh', '-c', 'echo "$AWS_SECRET_ACCESS_KEY $AWS_REGION"'], { cwd: dir, env: parentEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('**** us-east-1');
  });
});
