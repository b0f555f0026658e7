/**
 * `dsops export` end to end: the built CLI against this worker's moto, a two-hop role chain and a secret
 * whose fields hold values that break naive quoting. Each format is read back by its own reader.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CliResult, project, runCli } from '../helpers/cli';
import { awsEnv, callsOf, describeMoto, resetMoto, resetRecording, seedSecret } from '../helpers/moto';

const TARGET_ACCOUNT = '222222222222';

const HARD = {
  quotes: `it's "quoted" \`tick\``,
  dollar: 'pa$$ $HOME ${HOME} $(id)',
  backslash: 'C:\\dir\\n \\\\ x',
  multiline: '-----BEGIN KEY-----\nabc+/=\n-----END KEY-----\n',
  equals: 'a=b==',
  unicode: 'pässwörd ✓ 秘密',
  dash: '-n --flag',
};

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
${Object.keys(HARD)
  .map((k) => `    ${k.toUpperCase()}: { from: { store: secrets, key: "app/hard#${k}" } }`)
  .join('\n')}
    LOG_LEVEL: info
  missing:
    NOPE: { from: { store: secrets, key: "app/none" } }
`;

const EXPECTED_SECRETS = Object.fromEntries(Object.entries(HARD).map(([k, v]) => [k.toUpperCase(), v]));

function run(dir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: awsEnv(env) });
}

/** The runner's reading of GITHUB_ENV: `NAME<<DELIM` blocks, lines joined by \n. */
function readGithubEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (!m) {
      const eq = lines[i].indexOf('=');
      if (eq > 0) out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
      continue;
    }
    const body: string[] = [];
    for (i++; lines[i] !== m[2]; i++) {
      if (i >= lines.length) throw new Error(`unterminated ${m[1]}`);
      body.push(lines[i]);
    }
    out[m[1]] = body.join('\n');
  }
  return out;
}

const pythonDotenv = spawnSync('python3', ['-c', 'import dotenv'], { stdio: 'ignore' }).status === 0;

describeMoto('dsops export against moto', () => {
  let dir: string;
  let reference: Record<string, string>;

  beforeEach(async () => {
    await resetMoto();
    dir = project(YAML);
    await seedSecret(TARGET_ACCOUNT, 'app/hard', JSON.stringify(HARD));
    await resetRecording();
    const r = await run(dir, ['export', '--env', 'ci', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    reference = JSON.parse(r.stdout) as Record<string, string>;
  });

  const noValueIn = (text: string) => {
    for (const [k, v] of Object.entries(reference)) if (k !== 'LOG_LEVEL') expect(text).not.toContain(v);
  };

  it('json: one object with every value, secrets exact, credentials of the target role', async () => {
    expect(reference).toMatchObject({ ...EXPECTED_SECRETS, LOG_LEVEL: 'info' });
    expect(Object.keys(reference)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', ...Object.keys(EXPECTED_SECRETS), 'LOG_LEVEL']);
    expect(reference.AWS_SESSION_TOKEN.length).toBeGreaterThan(10);
    expect(await callsOf('AssumeRole')).toHaveLength(2);
  });

  it('shell: eval in bash gives back every value', async () => {
    const r = await run(dir, ['export', '--env', 'ci', '--format', 'shell']);
    expect(r.code).toBe(0);
    const names = Object.keys(reference);
    const script = `eval "$(cat)"\n` + names.map((n) => `printf '%s\\0' "$${n}"`).join('\n');
    const b = spawnSync('bash', ['-c', script], { input: r.stdout, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(b.status).toBe(0);
    expect(b.stdout.split('\0').slice(0, -1)).toEqual(names.map((n) => reference[n]));
  });

  it('dotenv --out: a 0600 file, nothing on stdout, read back by python-dotenv; a link at the name is replaced, not followed', async () => {
    const out = path.join(dir, 'ci.env');
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'untouched');
    fs.symlinkSync(victim, out);
    const r = await run(dir, ['export', '--env', 'ci', '--format', 'dotenv', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched');
    const st = fs.lstatSync(out);
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    if (!pythonDotenv) {
      if (process.env.CI) throw new Error('python-dotenv is required when CI is set');
      console.warn('SKIPPING the python-dotenv read-back: pip install python-dotenv');
      return;
    }
    const py = spawnSync('python3', ['-c', 'import json,sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1], interpolate=False)))', out], {
      encoding: 'utf8',
    });
    expect(JSON.parse(py.stdout)).toEqual(reference);
  });

  it('github: masks every value (each line of a multi-line one) on stdout, appends blocks to $GITHUB_ENV', async () => {
    const ghEnv = path.join(dir, 'github_env');
    fs.writeFileSync(ghEnv, 'EARLIER=kept\n');
    const r = await run(dir, ['export', '--env', 'ci', '--format', 'github'], { GITHUB_ENV: ghEnv });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const masks = r.stdout.trim().split('\n');
    for (const line of masks) expect(line.startsWith('::add-mask::')).toBe(true);
    for (const v of Object.values(reference)) {
      for (const part of v.split('\n').filter((l) => l.trim())) expect(masks).toContain(`::add-mask::${part.replace(/%/g, '%25')}`);
    }
    expect(readGithubEnv(fs.readFileSync(ghEnv, 'utf8'))).toEqual({ EARLIER: 'kept', ...reference });
  });

  it('github --out writes the blocks to that file (0600) and leaves $GITHUB_ENV alone', async () => {
    const ghEnv = path.join(dir, 'github_env');
    fs.writeFileSync(ghEnv, '');
    const out = path.join(dir, 'blocks');
    const r = await run(dir, ['export', '--env', 'ci', '--format', 'github', '--out', out], { GITHUB_ENV: ghEnv });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(ghEnv, 'utf8')).toBe('');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(readGithubEnv(fs.readFileSync(out, 'utf8'))).toEqual(reference);
  });

  it.each(['-v', '--debug'])('logs at %s name steps, never a value', async (flag) => {
    const r = await run(dir, [flag, 'export', '--env', 'ci', '--format', 'dotenv', '--out', path.join(dir, 'x.env')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('store secrets: GetSecretValue app/hard');
    expect(r.stderr).toContain('MULTILINE is quoted');
    noValueIn(r.stderr);
    noValueIn(r.stdout);
  });

  it('a missing secret exits 1 naming the store; nothing is written', async () => {
    const out = path.join(dir, 'none.env');
    const r = await run(dir, ['export', '--env', 'missing', '--format', 'dotenv', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store secrets');
    expect(r.stderr).toContain('ResourceNotFoundException');
    expect(fs.existsSync(out)).toBe(false);
  });

  it.each([
    [['--env', 'ci'], 'missing --format'],
    [['--env', 'ci', '--format', 'yaml'], 'unknown --format yaml'],
    [['--format', 'json'], 'missing --env'],
    [['--env', 'nope', '--format', 'json'], 'E_UNKNOWN_ENV'],
  ])('usage and config errors exit 2 before any AWS call: %j', async (args, message) => {
    await resetRecording();
    const r = await run(dir, ['export', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(await callsOf('AssumeRole')).toHaveLength(0);
  });
});
