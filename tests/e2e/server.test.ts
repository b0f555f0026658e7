/**
 * Issue 11, jobs longer than a session: `dsops credential-process` read by the real AWS CLI through a
 * config profile, and `dsops exec --server`, whose child gets a refreshing credential endpoint instead of
 * keys. The built CLI against this worker's moto_server; every child is a script in the temp project.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CLI, CliResult, project, runCli } from '../helpers/cli';
import { awsEnv, callsOf, describeMoto, motoUrl, resetMoto, resetRecording, ROOT_KEY } from '../helpers/moto';
import { pollUntil } from '../helpers/poll';

const TARGET_ARN_PREFIX = 'arn:aws:sts::222222222222:assumed-role/TargetRole/';
const ROOT_SECRET = awsEnv().AWS_SECRET_ACCESS_KEY;
const STS_SDK = JSON.stringify(require.resolve('@aws-sdk/client-sts'));

/** `short`: a 15-minute session that is inside its margin about a second after it was made. */
const YAML = `
version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/JumpRole
    duration_seconds: 900
    cache: { refresh_before: 899s }
  target:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/TargetRole
    credentials_from: jump
    duration_seconds: 900
    cache: { refresh_before: 899s }
  steady-jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/JumpRole
  steady:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/TargetRole
    credentials_from: steady-jump
  iam-jump:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/Jump
    duration_seconds: 900
    cache: { refresh_before: 899s }
  iam-target:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/Target
    credentials_from: iam-jump
    duration_seconds: 900
    cache: { refresh_before: 899s }
  mfa-prompt:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/MfaRole
    serial_number: arn:aws:iam::123456789012:mfa/tester
  mfa:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/MfaRole
    serial_number: arn:aws:iam::123456789012:mfa/tester
    token_code: \${MFA_TOKEN}
    duration_seconds: 900
    cache: { refresh_before: 899s }
envs:
  production:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
    GREETING: hello
  steady:
    AWS_ACCESS_KEY_ID: { from: { store: steady, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: steady, key: SecretAccessKey } }
  mfa:
    AWS_ACCESS_KEY_ID: { from: { store: mfa, key: AccessKeyId } }
  mfa-prompt:
    AWS_ACCESS_KEY_ID: { from: { store: mfa-prompt, key: AccessKeyId } }
  denied:
    AWS_ACCESS_KEY_ID: { from: { store: iam-target, key: AccessKeyId } }
  nokeys:
    GREETING: hello
`;

/** Helpers the child scripts share: a raw request to the endpoint, and waiting for a session to go stale. */
const COMMON = `
const fs = require('fs');
async function raw(token) {
  const headers = token === undefined ? {} : { authorization: token };
  const res = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers });
  return { status: res.status, body: await res.json() };
}
// Waits for a clock, not for an event: the session is stale once its refresh_before (899 s of 900) is
// reached, i.e. about one second after it was made. Bounded: the loop ends within that second.
async function untilStale(expiration) {
  const at = Date.parse(expiration) - 899000 + 50;
  while (Date.now() < at) await new Promise((r) => setTimeout(r, 25));
}
`;

const SCRIPTS: Record<string, string> = {
  'dump.js': `const o = {}; for (const k of process.argv.slice(2)) o[k] = process.env[k] ?? null; console.log(JSON.stringify(o));`,
  // GetCallerIdentity through the endpoint with a new client (so a new fetch), twice, with the session going stale between.
  'outlive.js': `${COMMON}
const { STSClient, GetCallerIdentityCommand } = require(${STS_SDK});
async function who() {
  const c = new STSClient({ region: 'us-east-1', endpoint: process.env.AWS_ENDPOINT_URL });
  const r = await c.send(new GetCallerIdentityCommand({}));
  const creds = await c.config.credentials();
  return { arn: r.Arn, key: creds.accessKeyId, expiration: creds.expiration.toISOString() };
}
(async () => {
  const first = await who();
  await untilStale(first.expiration);
  const second = await who();
  console.log(JSON.stringify({ first, second }));
})().catch((e) => { console.error('child failed: ' + e.name + ': ' + e.message); process.exit(3); });`,
  // Asks without a token, with a wrong one, with the right one; reports statuses and what came back.
  'refusals.js': `${COMMON}
const ifaces = Object.values(require('os').networkInterfaces()).flat();
const other = ifaces.find((i) => i.family === 'IPv4' && !i.internal);
(async () => {
  const missing = await raw(undefined);
  const wrong = await raw('0'.repeat(64));
  const right = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  const port = new URL(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).port;
  // Whether anything answers on this machine's other address at the endpoint's port.
  const elsewhere = other
    ? await new Promise((resolve) => {
        const s = require('net').connect(Number(port), other.address);
        s.on('connect', () => (s.destroy(), resolve('connected')));
        s.on('error', (e) => resolve(e.code));
      })
    : 'no other address';
  console.log(JSON.stringify({ missing, wrong, right: { status: right.status, keys: Object.keys(right.body).sort() }, port, elsewhere }));
})();`,
  // One good request; then waits (for the test to break STS) for the file 'go', and asks again once stale.
  'fail-later.js': `${COMMON}
(async () => {
  const dir = process.argv[2];
  const first = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  fs.writeFileSync(dir + '/first', JSON.stringify(first.status));
  while (!fs.existsSync(dir + '/go')) await new Promise((r) => setTimeout(r, 20));
  await untilStale(first.body.Expiration);
  const second = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  const third = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  console.log(JSON.stringify({ first: { status: first.status, key: first.body.AccessKeyId }, second, third: third.status }));
})();`,
  'parallel.js': `${COMMON}
(async () => {
  const first = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  await untilStale(first.body.Expiration);
  const all = await Promise.all([1, 2, 3, 4, 5].map(() => raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN)));
  console.log(JSON.stringify({ first: first.body.AccessKeyId, keys: all.map((r) => r.body.AccessKeyId) }));
})();`,
};

function newProject(): string {
  const dir = project(YAML);
  for (const [name, text] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const run = (dir: string, args: string[], env: Record<string, string> = awsEnv()): Promise<CliResult> =>
  runCli(args, { cwd: dir, env, timeoutMs: 60_000 });

const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').pop() ?? '') as T;

const refused = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => (s.destroy(), resolve('connected')));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });

describe('config problems (no AWS)', () => {
  let dir: string;
  beforeEach(() => (dir = newProject()));

  it('exec --server on an env that binds no AWS_ACCESS_KEY_ID: exit 2 saying what to add; no child', async () => {
    const r = await run(dir, ['exec', '--server', '--env', 'nokeys', '--', 'node', 'dump.js', 'GREETING']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('dsops.yaml:');
    expect(r.stderr).toContain('E_NO_SESSION_STORE');
    expect(r.stderr).toContain('AWS_ACCESS_KEY_ID: { from: { store: <an aws.sts store>, key: AccessKeyId } }');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('credential-process --env on an env that binds no AWS_ACCESS_KEY_ID: exit 2', async () => {
    const r = await run(dir, ['credential-process', '--env', 'nokeys']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('E_NO_SESSION_STORE');
  });

  it('credential-process --store of an unknown store: exit 2 with a suggestion', async () => {
    const r = await run(dir, ['credential-process', '--store', 'targt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "target"?');
  });
});

describeMoto('dsops credential-process against moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
  });

  it('prints only the credential_process JSON; a second run is a cache hit', async () => {
    const r = await run(dir, ['credential-process', '--store', 'steady']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken', 'Version']);
    expect(out.Version).toBe(1);
    expect(out.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    await resetRecording();
    const again = await run(dir, ['credential-process', '--store', 'steady']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(out);
    expect(await callsOf('AssumeRole')).toHaveLength(0);
  });

  it('the AWS CLI, through a profile with credential_process, is the chain last role; its second run makes no STS call', async () => {
    const configFile = path.join(dir, 'aws-config');
    fs.writeFileSync(
      configFile,
      `[profile prod]\nregion = us-east-1\ncredential_process = ${process.execPath} ${CLI} credential-process -c ${path.join(dir, 'dsops.yaml')} --env steady\n`,
    );
    const aws = () =>
      spawnSync('aws', ['sts', 'get-caller-identity', '--profile', 'prod', '--endpoint-url', motoUrl!, '--output', 'json'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...awsEnv(),
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: dir,
          PYENV_ROOT: process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'),
          AWS_CONFIG_FILE: configFile,
          AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
          DSOPS_CACHE_DIR: path.join(dir, '.cache'),
        },
      });
    const first = aws();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect((JSON.parse(first.stdout) as { Arn: string }).Arn.startsWith(TARGET_ARN_PREFIX)).toBe(true);
    expect((await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::111111111111:role/JumpRole',
      'arn:aws:iam::222222222222:role/TargetRole',
    ]);
    await resetRecording();
    const second = aws();
    expect(second.status).toBe(0);
    expect((JSON.parse(second.stdout) as { Arn: string }).Arn.startsWith(TARGET_ARN_PREFIX)).toBe(true);
    expect(await callsOf('AssumeRole')).toHaveLength(0);
    expect(await callsOf('GetCallerIdentity')).toHaveLength(1);
  });

  it('an MFA code needed with no terminal at all: fails clearly on stderr, nothing on stdout', async () => {
    // detached: a new session, so there is no controlling terminal and /dev/tty cannot be opened.
    const child = spawn(process.execPath, [CLI, 'credential-process', '--env', 'mfa-prompt'], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...awsEnv(), PATH: process.env.PATH ?? '', HOME: dir, DSOPS_CACHE_DIR: path.join(dir, '.cache') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('store mfa-prompt: needs an MFA code for device arn:aws:iam::123456789012:mfa/tester, and there is no terminal to ask on');
    expect(stderr).toContain('hint:');
    expect(await callsOf('AssumeRole')).toHaveLength(0);
  });
});

describeMoto('dsops exec --server against moto', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
  });

  it('the child gets the endpoint and token, not the keys; other values as usual', async () => {
    const names = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'GREETING'];
    const r = await run(dir, ['exec', '--server', '--env', 'production', '--', 'node', 'dump.js', ...names], awsEnv({ AWS_SESSION_TOKEN: 'ambient' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = lastJson<Record<string, string | null>>(r.stdout);
    expect(got.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(got.AWS_CONTAINER_AUTHORIZATION_TOKEN).toMatch(/^[0-9a-f]{64}$/); // 256 bits
    expect(got.AWS_ACCESS_KEY_ID).toBeNull();
    expect(got.AWS_SECRET_ACCESS_KEY).toBeNull();
    expect(got.AWS_SESSION_TOKEN).toBeNull();
    expect(got.GREETING).toBe('hello');
  });

  it('a child that outlives its first session: both calls are the target role, the second with a new key after new AssumeRoles', async () => {
    const r = await run(dir, ['exec', '--server', '--env', 'production', '--', 'node', 'outlive.js']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { first, second } = lastJson<{ first: { arn: string; key: string }; second: { arn: string; key: string } }>(r.stdout);
    expect(first.arn.startsWith(TARGET_ARN_PREFIX)).toBe(true);
    expect(second.arn.startsWith(TARGET_ARN_PREFIX)).toBe(true);
    expect(second.key).not.toBe(first.key);
    // Both hops were stale: each was assumed again (once for exec, once for the refresh).
    const roles = (await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'));
    expect(roles.filter((a) => a === 'arn:aws:iam::111111111111:role/JumpRole')).toHaveLength(2);
    expect(roles.filter((a) => a === 'arn:aws:iam::222222222222:role/TargetRole')).toHaveLength(2);
  });

  it('concurrent requests on a stale session share one refresh', async () => {
    const r = await run(dir, ['exec', '--server', '--env', 'production', '--', 'node', 'parallel.js']);
    expect(r.stderr).toBe('');
    const { first, keys } = lastJson<{ first: string; keys: string[] }>(r.stdout);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).not.toBe(first);
    expect((await callsOf('AssumeRole')).filter((c) => c.params.get('RoleArn')?.includes('TargetRole'))).toHaveLength(2);
  });

  it('refusals: missing or wrong token gets 403 and no credentials; only 127.0.0.1 listens; gone after the child exits', async () => {
    const r = await run(dir, ['exec', '--server', '--env', 'production', '--', 'node', 'refusals.js']);
    expect(r.code).toBe(0);
    const got = lastJson<{
      missing: { status: number; body: object };
      wrong: { status: number; body: object };
      right: { status: number; keys: string[] };
      port: string;
      elsewhere: string;
    }>(r.stdout);
    for (const bad of [got.missing, got.wrong]) {
      expect(bad.status).toBe(403);
      expect(JSON.stringify(bad.body)).not.toMatch(/AccessKeyId|SecretAccessKey|Token"/);
    }
    expect(got.right).toEqual({ status: 200, keys: ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token'] });
    expect(got.elsewhere).not.toBe('connected');
    expect(await refused(Number(got.port))).toBe('ECONNREFUSED');
    expect(fs.readdirSync(path.join(dir, '.cache')).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('the child exit code and signals pass through as without --server', async () => {
    fs.writeFileSync(path.join(dir, 'exit.js'), 'process.exit(7)');
    fs.writeFileSync(path.join(dir, 'suicide.js'), "process.kill(process.pid, 'SIGTERM'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);");
    expect((await run(dir, ['exec', '--server', '--env', 'production', '--', 'node', 'exit.js'])).code).toBe(7);
    expect((await run(dir, ['exec', '--server', '--env', 'production', '--', 'node', 'suicide.js'])).code).toBe(128 + 15);
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

/** From now on moto checks signatures (`count` = unauthenticated calls still allowed). */
async function motoAuth(count: number | 'inf'): Promise<void> {
  const res = await fetch(`${motoUrl}/moto-api/reset-auth`, { method: 'POST', body: String(count) });
  if (!res.ok) throw new Error(`moto reset-auth: HTTP ${res.status}`);
}

describeMoto('dsops exec --server: failures during a refresh', () => {
  let dir: string;
  beforeEach(async () => {
    await resetMoto();
    dir = newProject();
  });
  afterEach(() => motoAuth('inf'));

  type Outcome = { first: { status: number; key: string }; second: { status: number; body: { Code: string; Message: string } }; third: number };

  /** exec --server whose child asks once, then (after the test broke STS with moto's auth) twice more once stale. */
  async function failLater(env: string, creds: Record<string, string>): Promise<{ r: CliResult; got: Outcome }> {
    const pending = run(dir, ['exec', '--server', '--env', env, '--', 'node', 'fail-later.js', dir], awsEnv(creds));
    await pollUntil('the first request', () => fs.existsSync(path.join(dir, 'first')), { attempts: 1000 });
    await motoAuth(0);
    fs.writeFileSync(path.join(dir, 'go'), '');
    const r = await pending;
    return { r, got: lastJson<Outcome>(r.stdout) };
  }

  it('an STS failure during a refresh: 500 naming the store and the AWS code, logged once, no secret in the output', async () => {
    // The root key is not a real IAM user: with auth on, the refresh's first hop is refused.
    const { r, got } = await failLater('production', {});
    expect(r.code).toBe(0);
    expect(got.first.status).toBe(200);
    expect(got.second.status).toBe(500);
    expect(got.third).toBe(500);
    expect(got.second.body.Message).toContain('store jump: AssumeRole arn:aws:iam::111111111111:role/JumpRole failed: InvalidClientTokenId');
    expect(JSON.stringify(got.second.body)).not.toContain('AccessKeyId');
    expect(r.stderr).toContain('credential endpoint: store jump');
    expect(r.stderr.match(/credential endpoint:/g)).toHaveLength(1);
    expect(r.stderr).not.toContain(ROOT_SECRET);
    expect(r.stderr).not.toContain(got.first.key);
  });

  it('a denied second hop during a refresh: the 500 names the store, the hop and AccessDenied', async () => {
    // A user who may assume any role; Jump has no permissions, which only matters once moto checks policies.
    await iam('CreateUser', { UserName: 'deployer' });
    const key = await iam('CreateAccessKey', { UserName: 'deployer' });
    const user = { AWS_ACCESS_KEY_ID: /<AccessKeyId>([^<]+)</.exec(key)![1], AWS_SECRET_ACCESS_KEY: /<SecretAccessKey>([^<]+)</.exec(key)![1] };
    const allowAssume = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    await iam('PutUserPolicy', { UserName: 'deployer', PolicyName: 'assume', PolicyDocument: JSON.stringify(allowAssume) });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    await iam('CreateRole', { RoleName: 'Jump', AssumeRolePolicyDocument: JSON.stringify(trust) });
    await iam('CreateRole', { RoleName: 'Target', AssumeRolePolicyDocument: JSON.stringify(trust) });
    const { r, got } = await failLater('denied', user);
    expect(got.first.status).toBe(200);
    expect(got.second.status).toBe(500);
    expect(got.second.body.Message).toContain('store iam-target');
    expect(got.second.body.Message).toContain('hop 2 of 2: iam-jump → iam-target');
    expect(got.second.body.Message).toContain('AccessDenied');
    expect(r.stderr).toContain('credential endpoint: store iam-target');
    expect(r.stderr).not.toContain(user.AWS_SECRET_ACCESS_KEY);
    expect(r.stderr).not.toContain(got.first.key);
  });

  it('MFA: a refresh that needs a new code answers 500 with what to do at once, logged once; it never waits', async () => {
    const script = `${COMMON}
(async () => {
  const first = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  await untilStale(first.body.Expiration);
  const second = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  const third = await raw(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
  console.log(JSON.stringify({ first: first.status, second, third: third.status }));
})();`;
    fs.writeFileSync(path.join(dir, 'mfa.js'), script);
    const r = await run(dir, ['exec', '--server', '--env', 'mfa', '--', 'node', 'mfa.js'], awsEnv({ MFA_TOKEN: '123456' }));
    expect(r.code).toBe(0);
    const got = lastJson<{ first: number; second: { status: number; body: { Code: string; Message: string } }; third: number }>(r.stdout);
    expect(got.first).toBe(200);
    expect(got.second.status).toBe(500);
    expect(got.second.body.Code).toBe('E_MFA_REQUIRED');
    expect(got.second.body.Message).toContain(`dsops exec -c ${fs.realpathSync(path.join(dir, 'dsops.yaml'))} --env mfa -- true`);
    expect(got.third).toBe(500);
    expect(r.stderr.match(/credential endpoint:/g)).toHaveLength(1);
    // One AssumeRole with the code, for exec itself; the endpoint sent none.
    expect(await callsOf('AssumeRole')).toHaveLength(1);
  });
});
