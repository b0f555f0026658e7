/**
 * `dsops exec` end to end: the built CLI (dist/cli.js) spawned as a user would run it, talking to this
 * worker's moto_server. Every child is a small script written into the temp project, so what the child
 * really received (env, argv, signals) is observed from the child's side.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecretsManagerClient, CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CLI, CliResult, project, runCli } from '../helpers/cli';
import { pollUntil } from '../helpers/poll';
import {
  awsEnv,
  callsOf,
  describeMoto,
  motoUrl,
  resetMoto,
  resetRecording,
  roleCredentials,
  ROOT_KEY,
  seedSecret,
} from '../helpers/moto';

const ROOT_SECRET = awsEnv().AWS_SECRET_ACCESS_KEY;
const TARGET_ACCOUNT = '222222222222';
const TARGET_ARN_PREFIX = `arn:aws:sts::${TARGET_ACCOUNT}:assumed-role/TargetRole/`;
const CREDENTIALS_NOT_FOUND = "AWS credentials not found. Run 'aws sso login' or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.";

const YAML = `
version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/JumpRole
  target:
    type: aws.sts
    role_arn: arn:aws:iam::${TARGET_ACCOUNT}:role/TargetRole
    credentials_from: jump
  secrets:
    type: aws.secretsmanager
    credentials_from: target
  local:
    type: aws.secretsmanager
  pinned:
    type: aws.secretsmanager
    region: eu-west-1
  mfa:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/MfaRole
    serial_number: arn:aws:iam::123456789012:mfa/tester
  mfa-env:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/MfaRole
    serial_number: arn:aws:iam::123456789012:mfa/tester
    token_code: \${MFA_TOKEN}
  iam-jump:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/Jump
  iam-target:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/Target
    credentials_from: iam-jump
envs:
  lit:
    FOO: bar
  creds:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
  creds-token:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
  secret-only:
    DB_PASSWORD: { from: { store: secrets, key: "prod/db#password" } }
  fields:
    DB_PASSWORD: { from: { store: secrets, key: "prod/db#password" } }
    DB_PORT: { from: { store: secrets, key: "prod/db#conn.port" } }
    DB_HOST: { from: { store: secrets, key: "prod/db#conn.host.name" } }
    DB_CONN: { from: { store: secrets, key: "prod/db#conn" } }
    DB_WHOLE: { from: { store: secrets, key: "prod/db" } }
    PLAIN: { from: { store: secrets, key: "prod/plain" } }
    BLOB: { from: { store: secrets, key: "prod/blob" } }
  versions:
    CURRENT: { from: { store: secrets, key: "prod/rotating#password" } }
    PREVIOUS: { from: { store: secrets, key: "prod/rotating#password", version_stage: AWSPREVIOUS } }
    FIRST: { from: { store: secrets, key: "prod/rotating#password", version_id: FIRST_VERSION_ID } }
  missing-secret:
    DB_PASSWORD: { from: { store: secrets, key: "prod/missing#password" } }
  missing-field:
    DB_USER: { from: { store: secrets, key: "prod/db#user" } }
  leak:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
    DB_PASSWORD: { from: { store: secrets, key: "prod/db#password" } }
    PLAIN: { from: { store: secrets, key: "prod/plain" } }
  mfa:
    AWS_ACCESS_KEY_ID: { from: { store: mfa, key: AccessKeyId } }
  mfa-env:
    AWS_ACCESS_KEY_ID: { from: { store: mfa-env, key: AccessKeyId } }
  region-local:
    WHERE: { from: { store: local, key: where } }
  region-pinned:
    WHERE: { from: { store: pinned, key: where } }
  denied:
    AWS_ACCESS_KEY_ID: { from: { store: iam-target, key: AccessKeyId } }
  denied-root:
    AWS_ACCESS_KEY_ID: { from: { store: iam-jump, key: AccessKeyId } }
`;

/** Keeps a waiting child alive, but ends it if dsops dies without taking it along (a failed forward). */
const ORPHAN_GUARD = `const parent = process.ppid; setInterval(() => { if (process.ppid !== parent) process.exit(99); }, 100);`;

/** Child programs. Each is run as `node <script> args...`, so node never parses the args itself. */
const SCRIPTS: Record<string, string> = {
  // Prints the named vars as JSON (null when unset).
  'dump.js': `const o = {}; for (const k of process.argv.slice(2)) o[k] = process.env[k] ?? null; console.log(JSON.stringify(o));`,
  // Writes the named vars as JSON to a file and prints nothing.
  'save.js': `const [out, ...names] = process.argv.slice(2); const o = {}; for (const k of names) o[k] = process.env[k] ?? null; require('fs').writeFileSync(out, JSON.stringify(o));`,
  'argv.js': `console.log(JSON.stringify(process.argv.slice(2)));`,
  'exit.js': `process.exit(Number(process.argv[2]));`,
  'marker.js': `require('fs').writeFileSync(process.argv[2], 'started');`,
  // Kills itself with a signal it does not handle.
  'suicide.js': `process.kill(process.pid, process.argv[2]); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`,
  // Traps SIG, records it, then exits with CODE (dsops can only learn CODE from the real exit).
  'trap.js': `
const fs = require('fs');
const [sig, code, dir] = process.argv.slice(2);
process.on(sig, () => {
  fs.writeFileSync(dir + '/got-' + sig, String(process.pid));
  setImmediate(() => process.exit(Number(code)));
});
fs.writeFileSync(dir + '/ready', String(process.pid));
${ORPHAN_GUARD}`,
  // Signals readiness and waits without handling anything.
  'idle.js': `require('fs').writeFileSync(process.argv[2] + '/ready', String(process.pid));
${ORPHAN_GUARD}`,
  // The child's own STS GetCallerIdentity, with whatever credentials its environment gives the SDK.
  'whoami.js': `
const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(require.resolve('@aws-sdk/client-sts'))});
new STSClient({ region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL })
  .send(new GetCallerIdentityCommand({}))
  .then((r) => console.log(r.Arn), (e) => { console.error('whoami failed: ' + e.name + ': ' + e.message); process.exit(3); });`,
};

function newProject(yaml = YAML, file = 'dsops.yaml'): string {
  const dir = project(yaml, file);
  for (const [name, text] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function without(env: Record<string, string>, ...keys: string[]): Record<string, string> {
  const out = { ...env };
  for (const k of keys) delete out[k];
  return out;
}

function run(dir: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: dir, env });
}

function json(stdout: string): Record<string, string | null> {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, string | null>;
}

/** Writes ~/.aws/credentials with one profile whose keys moto accepts; returns the profile's key id. */
function writeProfile(home: string, profile: string, keyId = 'AKIAPROFILEEXAMPLE01'): string {
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.aws', 'credentials'),
    `[${profile}]\naws_access_key_id = ${keyId}\naws_secret_access_key = profileSecretExample\n`,
  );
  return keyId;
}

// --------------------------------------------------------------------------------------------------
// Exit codes, signals and argv need no AWS: the `lit` env resolves no store.
// --------------------------------------------------------------------------------------------------

describe('dsops exec: exit codes', () => {
  let dir: string;
  beforeEach(() => {
    dir = newProject();
  });

  it.each([0, 1, 7, 42, 255])('passes the child exit code %i through', async (code) => {
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'node', 'exit.js', String(code)]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
    expect(r.stderr).toBe('');
  });

  it.each([
    ['SIGKILL', 9],
    ['SIGTERM', 15],
    ['SIGINT', 2],
  ])('a child killed by %s makes dsops exit 128+%i', async (sig, n) => {
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'node', 'suicide.js', sig]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(128 + n);
  });

  it('the child inherits stdout and stderr', async () => {
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'node', '-e', 'console.log("to-out"); console.error("to-err")']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('to-out\n');
    expect(r.stderr).toBe('to-err\n');
  });

  it('a command that is not on PATH exits 127 with a clear message', async () => {
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'no-such-command-dsops-test', 'arg']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('command not found: no-such-command-dsops-test');
    expect(r.stderr).toContain('PATH');
    expect(r.stdout).toBe('');
  });

  it('a command that is not executable exits 126', async () => {
    fs.writeFileSync(path.join(dir, 'not-exec.sh'), '#!/bin/sh\necho ran\n', { mode: 0o644 });
    const r = await run(dir, ['exec', '--env', 'lit', '--', './not-exec.sh']);
    expect(r.code).toBe(126);
    expect(r.stderr).toContain('not-exec.sh');
    expect(r.stdout).not.toContain('ran');
  });
});

describe('dsops exec: usage errors start no child', () => {
  let dir: string;
  beforeEach(() => {
    dir = newProject();
  });

  it.each([
    [['exec', '--env', 'lit', '--']],
    [['exec', '--env', 'lit']],
    [['exec', '-e', 'lit', '-v']],
  ])('no command (%j) exits 2 and shows how to pass one', async (args) => {
    const r = await run(dir, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing command');
    expect(r.stderr).toContain('dsops exec --env lit -- yourcommand');
  });

  it('no --env and no DSOPS_ENV exits 2, names both, and runs nothing', async () => {
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--', 'node', 'marker.js', marker]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --env');
    expect(r.stderr).toContain('DSOPS_ENV');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('an env that is not defined exits 2 and runs nothing', async () => {
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', 'nope', '--', 'node', 'marker.js', marker]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('env "nope" is not defined');
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('dsops exec: choosing the env', () => {
  let dir: string;
  beforeEach(() => {
    dir = newProject();
  });

  it('DSOPS_ENV works instead of --env', async () => {
    const r = await run(dir, ['exec', '--', 'node', 'dump.js', 'FOO'], { DSOPS_ENV: 'lit' });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ FOO: 'bar' });
  });

  it('--env wins over DSOPS_ENV', async () => {
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'node', 'dump.js', 'FOO'], { DSOPS_ENV: 'nope' });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ FOO: 'bar' });
  });

  it('the child keeps the parent environment and gets the env values on top', async () => {
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'node', 'dump.js', 'FOO', 'KEEP_ME'], { FOO: 'parent', KEEP_ME: 'yes' });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ FOO: 'bar', KEEP_ME: 'yes' });
  });
});

/**
 * Two parsers read exec's argv: a fast path for the everyday form, and yargs for anything else. A flag
 * only yargs knows (`--cache`) right after `exec` sends the same command line down the yargs path.
 */
const PATHS: [string, string[]][] = [
  ['fast path', []],
  ['yargs path', ['--cache']],
];

describe.each(PATHS)('dsops exec (%s): arguments after the command belong to the child', (_label, via) => {
  let dir: string;
  beforeEach(() => {
    dir = newProject();
  });

  const FLAGLIKE = ['--env', 'x', '-e', 'y', '-v', '--debug', '--no-cache', '--config', 'z.yaml', '--help', '--version', '--cache'];

  it('without --, dsops-looking flags after the command reach the child untouched', async () => {
    const r = await run(dir, ['exec', ...via, '--env', 'lit', 'node', 'argv.js', ...FLAGLIKE]);
    expect(r.code).toBe(0);
    expect(json(r.stdout) as unknown).toEqual(FLAGLIKE);
    // dsops itself took none of them: it would have logged at --debug, or printed help or a version.
    expect(r.stderr).toBe('');
  });

  it('with --, everything after it reaches the child, including a second --', async () => {
    const r = await run(dir, ['exec', ...via, '--env', 'lit', '--', 'node', 'argv.js', ...FLAGLIKE, '--', 'tail']);
    expect(r.code).toBe(0);
    expect(json(r.stdout) as unknown).toEqual([...FLAGLIKE, '--', 'tail']);
    expect(r.stderr).toBe('');
  });

  it('dsops flags before the command still apply, and the same flags after it do not', async () => {
    const r = await run(dir, ['exec', ...via, '-e', 'lit', '--debug', 'node', 'argv.js', '--debug', '-e', 'other']);
    expect(r.code).toBe(0);
    expect(json(r.stdout) as unknown).toEqual(['--debug', '-e', 'other']);
    expect(r.stderr).toContain('dsops: debug:');
  });

  it('with DSOPS_ENV and no --, a trailing `--env x` is the child\'s, not dsops\'s', async () => {
    const r = await run(dir, ['exec', ...via, 'node', 'argv.js', '--env', 'x'], { DSOPS_ENV: 'lit' });
    expect(r.code).toBe(0);
    expect(json(r.stdout) as unknown).toEqual(['--env', 'x']);
  });

  it('a global -c before exec is skipped over when finding the command', async () => {
    const other = newProject(YAML, 'other.yaml');
    fs.rmSync(path.join(other, 'dsops.yaml'), { force: true });
    const r = await run(other, ['-c', 'other.yaml', 'exec', ...via, '-e', 'lit', 'node', 'argv.js', '--env', 'x', '-c', 'y']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout) as unknown).toEqual(['--env', 'x', '-c', 'y']);
  });

  it('a command named like a dsops command is still the child\'s', async () => {
    fs.writeFileSync(path.join(dir, 'plan'), '#!/bin/sh\necho "plan ran: $*"\n', { mode: 0o755 });
    const r = await run(dir, ['exec', ...via, '-e', 'lit', './plan', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('plan ran: --json\n');
  });

  it('arguments are passed literally, without a shell', async () => {
    const args = ['with space', '', '$HOME', '*', '"quoted"', "it's", 'a;b'];
    const r = await run(dir, ['exec', ...via, '--env', 'lit', '--', 'node', 'argv.js', ...args]);
    expect(r.code).toBe(0);
    expect(json(r.stdout) as unknown).toEqual(args);
  });

  it('exit codes pass through', async () => {
    const r = await run(dir, ['exec', ...via, '--env', 'lit', '--', 'node', 'exit.js', '7']);
    expect(r.code).toBe(7);
  });

  it('a missing command after -- is a usage error naming the env', async () => {
    const r = await run(dir, ['exec', ...via, '--env', 'lit', '--']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dsops exec --env lit -- yourcommand');
  });
});

describe('dsops exec: signals sent to dsops are forwarded to the child', () => {
  let dir: string;
  beforeEach(() => {
    dir = newProject();
  });

  /** Starts `dsops exec --env lit -- node <script...>`, waits for the child's ready file, signals dsops. */
  async function signalDsops(sig: NodeJS.Signals, script: string[], via: string[] = []): Promise<CliResult & { dsopsPid: number }> {
    const child: ChildProcess = spawn(process.execPath, [CLI, 'exec', ...via, '--env', 'lit', '--', 'node', ...script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, USER: 'tester', DSOPS_CACHE_DIR: path.join(dir, '.cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own session, with no terminal, as under CI: run from a terminal, dsops would be in that terminal's
      // foreground group and rightly leave SIGINT/SIGQUIT to the terminal (see terminal-signals.test.ts).
      detached: true,
      // The bound on a dsops that never exits after the signal (it would show as signal SIGKILL).
      timeout: 30_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    const ready = path.join(dir, 'ready');
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    await pollUntil('the child to write its ready file', () => fs.existsSync(ready) || gone(), { attempts: 1000 }).catch(() => undefined);
    if (!fs.existsSync(ready)) {
      child.kill('SIGKILL');
      const r = await exited;
      throw new Error(`child never became ready (dsops ${r.code ?? r.signal}): ${stderr}`);
    }
    // The child is a different process from dsops: the signal goes to dsops alone.
    expect(Number(fs.readFileSync(ready, 'utf8'))).not.toBe(child.pid);
    child.kill(sig);
    const r = await exited;
    return { ...r, stdout, stderr, dsopsPid: child.pid! };
  }

  it.each([
    ['SIGINT', 21],
    ['SIGTERM', 22],
    ['SIGHUP', 23],
    ['SIGUSR1', 24],
    ['SIGUSR2', 25],
    ['SIGQUIT', 26],
  ] as [NodeJS.Signals, number][])('%s reaches the child, and dsops exits with the child\'s code', async (sig, code) => {
    const r = await signalDsops(sig, ['trap.js', sig, String(code), dir]);
    const got = path.join(dir, `got-${sig}`);
    expect(fs.existsSync(got)).toBe(true);
    // The child that got it is the one dsops started, not dsops itself.
    expect(fs.readFileSync(got, 'utf8')).toBe(fs.readFileSync(path.join(dir, 'ready'), 'utf8'));
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
  });

  it.each([
    ['SIGTERM', 31],
    ['SIGUSR1', 32],
  ] as [NodeJS.Signals, number][])('%s is forwarded on the yargs path too', async (sig, code) => {
    const r = await signalDsops(sig, ['trap.js', sig, String(code), dir], ['--cache']);
    expect(fs.existsSync(path.join(dir, `got-${sig}`))).toBe(true);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
  });

  it.each([
    ['SIGTERM', 15],
    ['SIGHUP', 1],
    ['SIGINT', 2],
  ] as [NodeJS.Signals, number][])('a forwarded %s that kills the child makes dsops exit 128+%i', async (sig, n) => {
    const r = await signalDsops(sig, ['idle.js', dir]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(128 + n);
  });
});

// --------------------------------------------------------------------------------------------------
// Against moto.
// --------------------------------------------------------------------------------------------------

describeMoto('dsops exec against moto: credentials', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
  });

  const AMBIENT = {
    AWS_DEFAULT_PROFILE: 'ambient-default',
    AWS_SESSION_TOKEN: 'ambient-session-token',
    AWS_SECURITY_TOKEN: 'ambient-security-token',
    AWS_CREDENTIAL_EXPIRATION: '2099-01-01T00:00:00Z',
  };
  const AMBIENT_NAMES = ['AWS_PROFILE', ...Object.keys(AMBIENT)];

  it('the child\'s own GetCallerIdentity is the target role of a two-hop chain', async () => {
    const r = await run(dir, ['exec', '--env', 'creds-token', '--', 'node', 'whoami.js'], awsEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().startsWith(TARGET_ARN_PREFIX)).toBe(true);
    const assumes = await callsOf('AssumeRole');
    expect(assumes.map((c) => c.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::111111111111:role/JumpRole',
      `arn:aws:iam::${TARGET_ACCOUNT}:role/TargetRole`,
    ]);
    const who = await callsOf('GetCallerIdentity');
    expect(who).toHaveLength(1);
    expect(who[0].signedBy).toMatch(/^ASIA/);
    expect(who[0].signedBy).not.toBe(ROOT_KEY);
  });

  const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
  (hasBoto3 ? it : it.skip)('boto3 in the child sees the target role too', async () => {
    const py =
      "import boto3, os; print(boto3.client('sts', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='us-east-1').get_caller_identity()['Arn'])";
    const r = await run(dir, ['exec', '--env', 'creds-token', '--', 'python3', '-c', py], awsEnv());
    expect(r.code).toBe(0);
    expect(r.stdout.trim().startsWith(TARGET_ARN_PREFIX)).toBe(true);
  });

  it('injecting AWS_ACCESS_KEY_ID removes ambient profile and token vars from the child (root keys from the env)', async () => {
    const r = await run(dir, ['-v', 'exec', '--env', 'creds', '--', 'node', 'dump.js', ...AMBIENT_NAMES, 'AWS_ACCESS_KEY_ID'], awsEnv(AMBIENT));
    expect(r.code).toBe(0);
    const seen = json(r.stdout);
    for (const k of AMBIENT_NAMES) expect(seen[k]).toBeNull();
    expect(seen.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(r.stderr).toContain('removed ambient AWS_DEFAULT_PROFILE, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION');
  });

  it('with AWS_PROFILE set, root credentials come from that profile and the child still runs as the target role', async () => {
    const profileKey = writeProfile(dir, 'ambient');
    const env = { ...without(awsEnv(AMBIENT), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'), AWS_PROFILE: 'ambient' };
    const dump = await run(dir, ['exec', '--env', 'creds', '--', 'node', 'dump.js', ...AMBIENT_NAMES], env);
    expect(dump.stderr).toBe('');
    expect(dump.code).toBe(0);
    const seen = json(dump.stdout);
    for (const k of AMBIENT_NAMES) expect(seen[k]).toBeNull();
    // The first hop was signed with the profile's key: AWS_PROFILE was honoured for dsops's own root credentials.
    const first = (await callsOf('AssumeRole'))[0];
    expect(first.signedBy).toBe(profileKey);

    // Had AWS_PROFILE reached the child, its SDK would have used the profile (the root key) instead.
    const who = await run(dir, ['exec', '--env', 'creds', '--', 'node', 'whoami.js'], env);
    expect(who.code).toBe(0);
    expect(who.stdout.trim().startsWith(TARGET_ARN_PREFIX)).toBe(true);
  });

  it('a token the env injects itself replaces the ambient one rather than being removed', async () => {
    const r = await run(dir, ['exec', '--env', 'creds-token', '--', 'node', 'dump.js', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'], awsEnv(AMBIENT));
    expect(r.code).toBe(0);
    const seen = json(r.stdout);
    expect(seen.AWS_SESSION_TOKEN).toBeTruthy();
    expect(seen.AWS_SESSION_TOKEN).not.toBe(AMBIENT.AWS_SESSION_TOKEN);
    expect(seen.AWS_SECURITY_TOKEN).toBeNull();
  });

  it('an env that does not inject AWS_ACCESS_KEY_ID leaves the ambient vars alone', async () => {
    await seedSecret(TARGET_ACCOUNT, 'prod/db', JSON.stringify({ password: 'pw' }));
    writeProfile(dir, 'ambient', ROOT_KEY);
    const env = { ...without(awsEnv(AMBIENT), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'), AWS_PROFILE: 'ambient' };
    const r = await run(dir, ['-v', 'exec', '--env', 'secret-only', '--', 'node', 'dump.js', ...AMBIENT_NAMES, 'DB_PASSWORD'], env);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ ...AMBIENT, AWS_PROFILE: 'ambient', DB_PASSWORD: 'pw' });
    expect(r.stderr).not.toContain('removed ambient');
  });

  it('a literal-only env leaves ambient credentials, keys included, untouched', async () => {
    const env = { ...AMBIENT, AWS_PROFILE: 'whatever', AWS_ACCESS_KEY_ID: 'AKIAAMBIENT', AWS_SECRET_ACCESS_KEY: 'ambient' };
    const r = await run(dir, ['exec', '--env', 'lit', '--', 'node', 'dump.js', ...Object.keys(env)], env);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual(env);
  });

  it('no root credentials anywhere: exit 1 with the login hint, and no child', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-empty-home-'));
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', 'creds', '--', 'node', 'marker.js', marker], {
      HOME: home,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(home, 'nope', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'nope', 'credentials'),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: motoUrl!,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(CREDENTIALS_NOT_FOUND);
    expect(r.stderr).toContain('store jump');
    expect(fs.existsSync(marker)).toBe(false);
    expect(await callsOf('AssumeRole')).toHaveLength(0);
  });
});

describeMoto('dsops exec against moto: MFA', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
  });

  it.each(['mfa', 'mfa-env'])('store %s with no code and no terminal: exit 1, names the store and MFA_TOKEN, calls nothing', async (env) => {
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', env, '--', 'node', 'marker.js', marker], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`store ${env}:`);
    expect(r.stderr).toContain('arn:aws:iam::123456789012:mfa/tester');
    expect(r.stderr).toContain('MFA_TOKEN');
    expect(fs.existsSync(marker)).toBe(false);
    expect(await callsOf('AssumeRole')).toHaveLength(0);
  });

  it('MFA_TOKEN in the environment is sent as the token code', async () => {
    const r = await run(dir, ['exec', '--env', 'mfa-env', '--', 'node', 'dump.js', 'AWS_ACCESS_KEY_ID'], awsEnv({ MFA_TOKEN: '123456' }));
    expect(r.code).toBe(0);
    expect(json(r.stdout).AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    const [call] = await callsOf('AssumeRole');
    expect(call.params.get('SerialNumber')).toBe('arn:aws:iam::123456789012:mfa/tester');
    expect(call.params.get('TokenCode')).toBe('123456');
  });
});

describeMoto('dsops exec against moto: secrets', () => {
  let dir: string;
  const DB = { password: 'pw-Xq93-unique', conn: { port: 5432, host: { name: 'db.internal' } } };
  const BLOB = Uint8Array.from([0, 1, 2, 250, 251, 252, 255, 10, 13]);

  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
  });

  it('#field dot paths, whole secrets and SecretBinary (as base64)', async () => {
    await seedSecret(TARGET_ACCOUNT, 'prod/db', JSON.stringify(DB));
    await seedSecret(TARGET_ACCOUNT, 'prod/plain', 'plain text, not JSON');
    await seedSecret(TARGET_ACCOUNT, 'prod/blob', BLOB);
    await resetRecording();
    const names = ['DB_PASSWORD', 'DB_PORT', 'DB_HOST', 'DB_CONN', 'DB_WHOLE', 'PLAIN', 'BLOB'];
    const r = await run(dir, ['exec', '--env', 'fields', '--', 'node', 'dump.js', ...names], awsEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      DB_PASSWORD: DB.password,
      DB_PORT: '5432',
      DB_HOST: 'db.internal',
      DB_CONN: JSON.stringify(DB.conn),
      DB_WHOLE: JSON.stringify(DB),
      PLAIN: 'plain text, not JSON',
      BLOB: Buffer.from(BLOB).toString('base64'),
    });
    // Five vars from prod/db, one read of it.
    const reads = [...(await callsOf('GetSecretValue')), ...(await callsOf('BatchGetSecretValue'))];
    const ids = reads.flatMap((c) => {
      const body = JSON.parse(c.body) as { SecretId?: string; SecretIdList?: string[] };
      return body.SecretIdList ?? [body.SecretId!];
    });
    expect(ids.sort()).toEqual(['prod/blob', 'prod/db', 'prod/plain']);
  });

  it('version_stage and version_id pick older versions', async () => {
    const creds = await roleCredentials(TARGET_ACCOUNT);
    const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: motoUrl, credentials: creds });
    const first = await sm.send(new CreateSecretCommand({ Name: 'prod/rotating', SecretString: JSON.stringify({ password: 'v1' }) }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'prod/rotating', SecretString: JSON.stringify({ password: 'v2' }) }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'prod/rotating', SecretString: JSON.stringify({ password: 'v3' }) }));
    sm.destroy();
    await resetRecording();
    // version_id is taken literally (no \${VAR} expansion), so the id goes into the file itself.
    fs.writeFileSync(path.join(dir, 'dsops.yaml'), YAML.replace('FIRST_VERSION_ID', first.VersionId!));
    const r = await run(dir, ['exec', '--env', 'versions', '--', 'node', 'dump.js', 'CURRENT', 'PREVIOUS', 'FIRST'], awsEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ CURRENT: 'v3', PREVIOUS: 'v2', FIRST: 'v1' });
    const reads = await callsOf('GetSecretValue');
    const bodies = reads.map((c) => JSON.parse(c.body) as { VersionStage?: string; VersionId?: string });
    expect(bodies.some((b) => b.VersionStage === 'AWSPREVIOUS')).toBe(true);
    expect(bodies.some((b) => b.VersionId === first.VersionId)).toBe(true);
  });

  it('a missing secret: exit 1 naming the store, the secret id and ResourceNotFoundException; no child', async () => {
    await seedSecret(TARGET_ACCOUNT, 'prod/db', JSON.stringify(DB));
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', 'missing-secret', '--', 'node', 'marker.js', marker], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store secrets');
    expect(r.stderr).toContain('prod/missing');
    expect(r.stderr).toContain('ResourceNotFoundException');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('a missing JSON field: exit 1 naming the var, secret and field, listing fields but no values; no child', async () => {
    await seedSecret(TARGET_ACCOUNT, 'prod/db', JSON.stringify(DB));
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['--debug', 'exec', '--env', 'missing-field', '--', 'node', 'marker.js', marker], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store secrets');
    expect(r.stderr).toContain('DB_USER');
    expect(r.stderr).toContain('prod/db');
    expect(r.stderr).toContain('"user"');
    expect(r.stderr).toContain('password, conn');
    expect(r.stderr).not.toContain(DB.password);
    expect(r.stderr).not.toContain('db.internal');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each([['-v'], ['--debug']])('no secret or credential value appears in dsops output at %s, fresh or cached', async (flag) => {
    await seedSecret(TARGET_ACCOUNT, 'prod/db', JSON.stringify(DB));
    await seedSecret(TARGET_ACCOUNT, 'prod/plain', 'plain-secret-Zr71');
    const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'DB_PASSWORD', 'PLAIN'];
    const rootToken = 'root-session-token-Kp20';
    const runs: CliResult[] = [];
    const seen: Record<string, string>[] = [];
    // The second run takes the STS session from the cache: its log lines differ, and are checked too.
    for (const i of [1, 2]) {
      const out = path.join(dir, `child-env-${i}.json`);
      const r = await run(dir, [flag, 'exec', '--env', 'leak', '--', 'node', 'save.js', out, ...names], awsEnv({ AWS_SESSION_TOKEN: rootToken }));
      expect(r.code).toBe(0);
      runs.push(r);
      seen.push(JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, string>);
    }
    // The runs really logged: steps at -v, decisions at --debug.
    expect(runs[0].stderr).toContain('AssumeRole');
    expect(runs[1].stderr).toContain('cached session');
    if (flag === '--debug') for (const r of runs) expect(r.stderr).toContain('dsops: debug:');
    expect(seen[0].DB_PASSWORD).toBe(DB.password);
    expect(seen[0].PLAIN).toBe('plain-secret-Zr71');
    const values = [...seen.flatMap((g) => names.map((n) => g[n])), ROOT_SECRET, rootToken];
    for (const r of runs) {
      for (const v of values) {
        expect(v).toBeTruthy();
        expect(r.stdout).not.toContain(v);
        expect(r.stderr).not.toContain(v);
      }
    }
  });
});

/** IAM over the query protocol, unsigned: moto checks nothing while auth is off. */
async function iam(action: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(motoUrl!, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `AWS4-HMAC-SHA256 Credential=${ROOT_KEY}/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString(),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${action}: HTTP ${res.status}: ${text}`);
  return text;
}

/** From now on moto checks signatures and IAM policies (`count` = unauthenticated calls still allowed). */
async function motoAuth(count: number | 'inf'): Promise<void> {
  const res = await fetch(`${motoUrl}/moto-api/reset-auth`, { method: 'POST', body: String(count) });
  if (!res.ok) throw new Error(`moto reset-auth: HTTP ${res.status}`);
}

describeMoto('dsops exec against moto: STS failures (moto IAM auth on)', () => {
  let dir: string;
  let user: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };

  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
    // A user allowed to assume any role; roles Jump and Target trust anyone, but Jump has no permissions,
    // so the second hop (Jump's session assuming Target) is denied by AWS's own policy evaluation.
    await iam('CreateUser', { UserName: 'deployer' });
    const key = await iam('CreateAccessKey', { UserName: 'deployer' });
    user = {
      AWS_ACCESS_KEY_ID: /<AccessKeyId>([^<]+)</.exec(key)![1],
      AWS_SECRET_ACCESS_KEY: /<SecretAccessKey>([^<]+)</.exec(key)![1],
    };
    const allowAssume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    await iam('PutUserPolicy', { UserName: 'deployer', PolicyName: 'assume', PolicyDocument: JSON.stringify(allowAssume) });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    await iam('CreateRole', { RoleName: 'Jump', AssumeRolePolicyDocument: JSON.stringify(trust) });
    await iam('CreateRole', { RoleName: 'Target', AssumeRolePolicyDocument: JSON.stringify(trust) });
    await resetRecording();
    await motoAuth(0);
  });

  afterEach(async () => {
    // Auth is server-wide: leave it off for every later test on this worker.
    await motoAuth('inf');
  });

  it('a denied second hop: exit 1 naming the store, the hop chain and AccessDenied; no child', async () => {
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', 'denied', '--', 'node', 'marker.js', marker], awsEnv(user));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store iam-target');
    expect(r.stderr).toContain('hop 2 of 2: iam-jump → iam-target');
    expect(r.stderr).toContain('AssumeRole arn:aws:iam::123456789012:role/Target failed: AccessDenied');
    expect(r.stderr).toContain('trust policy');
    expect(r.stderr).not.toContain(user.AWS_SECRET_ACCESS_KEY);
    expect(fs.existsSync(marker)).toBe(false);
    // The first hop did succeed: the failure is really the second one.
    const assumes = await callsOf('AssumeRole');
    expect(assumes.map((c) => c.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::123456789012:role/Jump',
      'arn:aws:iam::123456789012:role/Target',
    ]);
  });

  it('root keys AWS does not know: exit 1 naming the first store and InvalidClientTokenId', async () => {
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', 'denied-root', '--', 'node', 'marker.js', marker], awsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store iam-jump');
    expect(r.stderr).toContain('InvalidClientTokenId');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('the same user can assume Jump alone (the setup is not simply broken)', async () => {
    const r = await run(dir, ['exec', '--env', 'denied-root', '--', 'node', 'dump.js', 'AWS_ACCESS_KEY_ID'], awsEnv(user));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout).AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
  });
});

describeMoto('dsops exec against moto: region precedence', () => {
  let dir: string;

  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
    // The same secret name in three regions of the root account, each value naming its region.
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1']) {
      const sm = new SecretsManagerClient({ region, endpoint: motoUrl, credentials: { accessKeyId: ROOT_KEY, secretAccessKey: 'x' } });
      await sm.send(new CreateSecretCommand({ Name: 'where', SecretString: region }));
      sm.destroy();
    }
    await resetRecording();
  });

  /** awsEnv without its AWS_REGION, plus `extra`; no config file, so no profile region either. */
  const regionEnv = (extra: Record<string, string>) => ({
    ...without(awsEnv(), 'AWS_REGION'),
    AWS_CONFIG_FILE: path.join(dir, 'no-config'),
    ...extra,
  });

  it('the store\'s region beats AWS_REGION and AWS_DEFAULT_REGION', async () => {
    const env = regionEnv({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-east-1' });
    const r = await run(dir, ['exec', '--env', 'region-pinned', '--', 'node', 'dump.js', 'WHERE'], env);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ WHERE: 'eu-west-1' });
  });

  it('AWS_REGION beats AWS_DEFAULT_REGION', async () => {
    const env = regionEnv({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-east-1' });
    const r = await run(dir, ['exec', '--env', 'region-local', '--', 'node', 'dump.js', 'WHERE'], env);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ WHERE: 'ap-south-1' });
  });

  it('AWS_DEFAULT_REGION alone is used', async () => {
    const env = regionEnv({ AWS_DEFAULT_REGION: 'eu-west-1' });
    const r = await run(dir, ['exec', '--env', 'region-local', '--', 'node', 'dump.js', 'WHERE'], env);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ WHERE: 'eu-west-1' });
  });

  it('with no region in the store or the environment, the profile\'s region is used', async () => {
    const config = path.join(dir, 'aws-config');
    fs.writeFileSync(config, '[default]\nregion = ap-south-1\n');
    const r = await run(dir, ['exec', '--env', 'region-local', '--', 'node', 'dump.js', 'WHERE'], regionEnv({ AWS_CONFIG_FILE: config }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({ WHERE: 'ap-south-1' });
  });

  it('no region anywhere: exit 2 naming the store, before any AWS call, and no child', async () => {
    const marker = path.join(dir, 'started');
    const r = await run(dir, ['exec', '--env', 'region-local', '--', 'node', 'marker.js', marker], regionEnv({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('store local');
    expect(r.stderr).toContain('no region');
    expect(r.stderr).toContain('AWS_REGION');
    expect(fs.existsSync(marker)).toBe(false);
    expect(await callsOf('GetSecretValue')).toHaveLength(0);
  });
});
