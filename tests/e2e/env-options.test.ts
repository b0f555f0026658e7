/**
 * Env-level `mask: true` and `server: true` (issues 12 and 11): what `exec --mask` and `exec --server` do,
 * set once in dsops.yaml; the flags still win (`--no-mask`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { project, runCli } from '../helpers/cli';
import { awsEnv, describeMoto, resetMoto, resetRecording, seedSecret } from '../helpers/moto';

const YAML = `
version: 1
secretStores:
  target: { type: aws.sts, role_arn: "arn:aws:iam::222222222222:role/TargetRole" }
  secrets: { type: aws.secretsmanager, credentials_from: target }
envs:
  masked:
    mask: true
    DB_PASSWORD: { from: { store: secrets, key: "app/opts#password" } }
  served:
    server: true
    aws_credentials: target
    LOG_LEVEL: info
`;
const PASSWORD = 'pw-EnvOpt-71kZ';
const CHILD = `process.stdout.write(JSON.stringify({ pw: process.env.DB_PASSWORD, key: process.env.AWS_ACCESS_KEY_ID ?? null, uri: process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? null, level: process.env.LOG_LEVEL ?? null }) + '\\n');`;

describeMoto('env-level mask and server', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    await seedSecret('222222222222', 'app/opts', JSON.stringify({ password: PASSWORD }));
    await resetRecording();
    dir = project(YAML);
    fs.writeFileSync(path.join(dir, 'child.js'), CHILD);
  });

  it('mask: true masks the secret in the output without --mask, and --no-mask still wins', async () => {
    const masked = await runCli(['exec', '--env', 'masked', '--', process.execPath, 'child.js'], { cwd: dir, env: awsEnv() });
    expect(masked.code).toBe(0);
    expect(masked.stdout).not.toContain(PASSWORD);
    expect(JSON.parse(masked.stdout).pw).toBe('****');
    const plain = await runCli(['exec', '--env', 'masked', '--no-mask', '--', process.execPath, 'child.js'], { cwd: dir, env: awsEnv() });
    expect(JSON.parse(plain.stdout).pw).toBe(PASSWORD);
  });

  it('server: true gives the child the credential endpoint instead of static keys, without --server', async () => {
    const r = await runCli(['exec', '--env', 'served', '--', process.execPath, 'child.js'], { cwd: dir, env: awsEnv() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const seen = JSON.parse(r.stdout) as { key: string | null; uri: string | null; level: string | null };
    expect(seen.key).toBeNull();
    expect(seen.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(seen.level).toBe('info');
  });
});
