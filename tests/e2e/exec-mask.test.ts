/**
 * `dsops exec --mask` end to end: a child prints every secret and credential it was given, one of them
 * split across two writes with a pause between, on stdout and stderr; none reaches dsops's output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliResult, project, runCli } from '../helpers/cli';
import { awsEnv, describeMoto, resetMoto, resetRecording, seedSecret } from '../helpers/moto';

const TARGET_ACCOUNT = '222222222222';
const SECRET = { password: 'pw-Mask-93xQ', token: 'tok-Ab12-Cd34-Ef56', pem: '-----BEGIN-----\nline-one-XYZ\n-----END-----', short: 'abc' };

const YAML = `
version: 1
secretStores:
  jump: { type: aws.sts, role_arn: "arn:aws:iam::111111111111:role/JumpRole" }
  target: { type: aws.sts, role_arn: "arn:aws:iam::${TARGET_ACCOUNT}:role/TargetRole", credentials_from: jump }
  secrets: { type: aws.secretsmanager, credentials_from: target }
envs:
  ci:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
    DB_PASSWORD: { from: { store: secrets, key: "app/mask#password" } }
    API_TOKEN: { from: { store: secrets, key: "app/mask#token" } }
    PEM: { from: { store: secrets, key: "app/mask#pem" } }
    SHORT: { from: { store: secrets, key: "app/mask#short" } }
    LOG_LEVEL: literal-visible
  lit:
    LOG_LEVEL: literal-visible
`;

const MASKED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'DB_PASSWORD', 'API_TOKEN', 'PEM'];

/**
 * Prints numbered lines and every masked var on both streams; API_TOKEN goes out in two writes, the
 * second after a pause (200 ms, under the 1 s quiet period), then exits with the code given.
 */
const CHILD = `
const names = ${JSON.stringify(MASKED)};
let n = 0;
for (const k of names) {
  process.stdout.write('line ' + (n++) + ' ' + k + '=' + process.env[k] + '\\n');
  process.stderr.write('err ' + k + '=' + process.env[k] + '\\n');
}
process.stdout.write('short=' + process.env.SHORT + ' level=' + process.env.LOG_LEVEL + '\\n');
const t = process.env.API_TOKEN;
process.stdout.write('split=' + t.slice(0, 7));
setTimeout(() => {
  process.stdout.write(t.slice(7) + ' done\\n');
  process.exit(Number(process.argv[2]));
}, 200);
`;

function run(dir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: awsEnv(env) });
}

describeMoto('dsops exec --mask against moto', () => {
  let dir: string;
  let values: Record<string, string>;

  beforeEach(async () => {
    await resetMoto();
    dir = project(YAML);
    fs.writeFileSync(path.join(dir, 'child.js'), CHILD);
    fs.writeFileSync(path.join(dir, 'suicide.js'), `process.stdout.write(process.env.DB_PASSWORD + '\\n'); process.kill(process.pid, 'SIGTERM'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`);
    await seedSecret(TARGET_ACCOUNT, 'app/mask', JSON.stringify(SECRET));
    await resetRecording();
    const r = await run(dir, ['export', '--env', 'ci', '--format', 'json']);
    expect(r.code).toBe(0);
    values = JSON.parse(r.stdout) as Record<string, string>;
  });

  const leaks = (r: CliResult) =>
    MASKED.flatMap((k) => [values[k], ...values[k].split('\n').filter((l) => l.length >= 4 && !l.startsWith('-----'))]).filter(
      (v) => r.stdout.includes(v) || r.stderr.includes(v),
    );

  it('nothing leaks, the split secret included; the exit code is the child\'s; order within each stream is kept', async () => {
    const r = await run(dir, ['exec', '--mask', '--env', 'ci', '--', 'node', 'child.js', '7']);
    expect(r.code).toBe(7);
    expect(leaks(r)).toEqual([]);
    expect(r.stdout).toContain('split=**** done\n');
    expect(r.stdout).toContain('DB_PASSWORD=****\n');
    // Shorter than 4 characters and literals are not masked (documented).
    expect(r.stdout).toContain('short=abc level=literal-visible\n');
    const numbered = r.stdout.split('\n').filter((l) => l.startsWith('line ')).map((l) => Number(l.split(' ')[1]));
    expect(numbered).toEqual(MASKED.map((_, i) => i));
    expect(r.stderr).toContain('err AWS_SESSION_TOKEN=****\n');
  });

  it('is on by default in CI when stdout is not a terminal, and --no-mask turns it off', async () => {
    const on = await run(dir, ['exec', '--env', 'ci', '--', 'node', 'child.js', '0'], { CI: 'true' });
    expect(on.code).toBe(0);
    expect(leaks(on)).toEqual([]);
    const off = await run(dir, ['exec', '--no-mask', '--env', 'ci', '--', 'node', 'child.js', '0'], { CI: 'true' });
    expect(off.code).toBe(0);
    expect(off.stdout).toContain(`DB_PASSWORD=${values.DB_PASSWORD}\n`);
  });

  it('is off by default outside CI (inherited stdio, as before)', async () => {
    const r = await run(dir, ['exec', '--env', 'ci', '--', 'node', 'child.js', '0']);
    expect(r.stdout).toContain(`DB_PASSWORD=${values.DB_PASSWORD}\n`);
  });

  it('a child killed by a signal still gives 128+N, its output masked', async () => {
    const r = await run(dir, ['exec', '--mask', '--env', 'ci', '--', 'node', 'suicide.js']);
    expect(r.code).toBe(143);
    expect(r.stdout).toBe('****\n');
  });

  it('a command that is not found is still 127', async () => {
    const r = await run(dir, ['exec', '--mask', '--env', 'lit', '--', 'no-such-command-dsops']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('command not found: no-such-command-dsops');
  });
});
