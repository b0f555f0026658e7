/** A CI job with no static key (issue 10): a web-identity token file gives the child a role session it can use. */
import * as fs from 'fs';
import * as path from 'path';
import { project, runCli } from '../helpers/cli';
import { callsOf, describeMoto, motoUrl, resetMoto } from '../helpers/moto';

const CHILD = path.resolve(__dirname, '../../scripts/demo-child.js');

describeMoto('exec with an assume-role-with-web-identity root', () => {
  beforeEach(resetMoto);

  it('the child sees the chained role, and no root credential was needed', async () => {
    const cwd = project(`version: 1
secretStores:
  ci:
    type: aws.sts
    operation: assume-role-with-web-identity
    role_arn: arn:aws:iam::123456789012:role/ci-deployer
    web_identity_token_file: ./token
  deploy:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/Deploy
    credentials_from: ci
envs:
  ci:
    AWS_ACCESS_KEY_ID: { from: { store: deploy, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: deploy, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: deploy, key: SessionToken } }
`);
    fs.writeFileSync(path.join(cwd, 'token'), 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln');
    const r = await runCli(['exec', '--env', 'ci', '--', process.execPath, CHILD], {
      cwd,
      env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: motoUrl!, AWS_EC2_METADATA_DISABLED: 'true', NODE_PATH: path.resolve(__dirname, '../../node_modules') },
    });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GetCallerIdentity → arn:aws:sts::222222222222:assumed-role\/Deploy\//);
    expect(await callsOf('AssumeRoleWithWebIdentity')).toHaveLength(1);
  });
});
