/**
 * `dsops doctor` end to end: the built CLI against this worker's moto_server. Each problem the issue names
 * (a world-readable cache dir, no root credentials, an unreachable endpoint, an invalid config) is made for
 * real and must fail the run and be named; a healthy set-up passes.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CliResult, project, runCli } from '../helpers/cli';
import { awsEnv, describeMoto, recordedCalls, resetMoto, ROOT_KEY } from '../helpers/moto';
import { checkNodeVersion } from '../../src/doctor/node-version';

const ROOT_SECRET = awsEnv().AWS_SECRET_ACCESS_KEY;

const YAML = `
version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/JumpRole
  secrets:
    type: aws.secretsmanager
    credentials_from: jump
envs:
  demo:
    DB: { from: { store: secrets, key: app/db } }
`;

interface Check {
  name: string;
  status: string;
  detail: string;
  hint?: string;
}

const CHECKS = ['config', 'root credentials', 'clock', 'cache dir', 'endpoints', 'node', 'locks'];
/** Node's own line depends on which Node runs the suite (20 is past end of life by now): judged as doctor judges it. */
const nodeStatus = checkNodeVersion(process.versions.node, new Date()).status;

const doctor = (dir: string, env: Record<string, string>, ...args: string[]): Promise<CliResult> =>
  runCli(['doctor', ...args], { cwd: dir, env });

const json = (r: CliResult): { checks: Check[]; ok: boolean } => JSON.parse(r.stdout);
const check = (r: CliResult, name: string): Check => json(r).checks.find((c) => c.name === name)!;

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describeMoto('dsops doctor', () => {
  beforeEach(resetMoto);

  test('a healthy set-up exits 0 with one ok line per check, the root ARN shown', async () => {
    const dir = project(YAML);
    const r = await doctor(dir, awsEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').filter((l) => !l.startsWith(' '));
    expect(lines.map((l) => l.slice(6).split(':')[0])).toEqual(CHECKS);
    expect(lines.map((l) => l.slice(0, 6).trim())).toEqual(CHECKS.map((c) => (c === 'node' && nodeStatus === 'warn' ? 'warn' : 'ok')));
    expect(r.stdout).toMatch(/^ok {4}config: dsops\.yaml is valid \(2 stores, 1 env\)$/m);
    expect(r.stdout).toMatch(/^ok {4}root credentials: environment keys \(AWS_ACCESS_KEY_ID\) work: arn:aws:\S+ \(via http:\/\/127\.0\.0\.1:\d+\)$/m);
    expect(r.stdout).toMatch(/^ok {4}clock: within \d+ s of STS$/m);
    expect(r.stdout).toMatch(/^ok {4}endpoints: overridden: AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/m);
  });

  test('--json: every check with name, status and detail; ok true', async () => {
    const dir = project(YAML);
    const r = await doctor(dir, awsEnv(), '--json');
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.ok).toBe(true);
    expect(out.checks.map((c) => c.name)).toEqual(CHECKS);
    for (const c of out.checks) expect(c.status).toBe(c.name === 'node' ? nodeStatus : 'ok');
  });

  test.each(['755', '744'])('a cache dir others can read (chmod %s) fails, naming the dir and its mode', async (mode) => {
    const dir = project(YAML);
    const cache = path.join(dir, 'shared-cache');
    fs.mkdirSync(cache);
    fs.chmodSync(cache, parseInt(mode, 8));
    const r = await doctor(dir, awsEnv({ DSOPS_CACHE_DIR: cache }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  cache dir: ${cache} is readable by group or others (mode ${mode})`);
    expect(r.stdout).toContain(`hint: chmod 700 ${cache}`);
    // doctor only looks: the mode is as it was
    expect((fs.statSync(cache).mode & 0o777).toString(8)).toBe(mode);
  });

  test('missing root credentials fail, naming them, and the clock check is skipped', async () => {
    const dir = project(YAML);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-empty-home-'));
    const env = awsEnv({ HOME: home, DSOPS_REQUEST_TIMEOUT: '2s' });
    delete (env as Partial<typeof env>).AWS_ACCESS_KEY_ID;
    delete (env as Partial<typeof env>).AWS_SECRET_ACCESS_KEY;
    const r = await doctor(dir, env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}root credentials: no source: .*instance metadata is off/m);
    expect(r.stdout).toMatch(/^skip {2}clock: /m);
    expect(r.stdout).toMatch(/^ok {4}config: /m);
  });

  test('an unreachable endpoint fails, naming the endpoint and the network code', async () => {
    const dir = project(YAML);
    const port = await closedPort();
    const r = await doctor(dir, awsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, DSOPS_REQUEST_TIMEOUT: '3s' }), '--json');
    expect(r.code).toBe(1);
    expect(json(r).ok).toBe(false);
    const c = check(r, 'root credentials');
    expect(c.status).toBe('fail');
    expect(c.detail).toContain(`GetCallerIdentity at http://127.0.0.1:${port} failed: ECONNREFUSED`);
    expect(c.hint).toMatch(/check the endpoint/);
    expect(check(r, 'clock').status).toBe('skip');
  });

  test('an invalid config exits 2 with file:line:col, makes no AWS call and still checks the rest', async () => {
    const dir = project(YAML.replace('role_arn: arn:aws:iam::111111111111:role/JumpRole', 'role_arn: not-an-arn\n    bogus: 1'));
    const r = await doctor(dir, awsEnv());
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^FAIL {2}config: dsops\.yaml has 2 problems$/m);
    expect(r.stdout).toMatch(/^ {8}dsops\.yaml:\d+:\d+: error\[\w+\] /m);
    expect(r.stdout).toMatch(/^skip {2}root credentials: the config is invalid/m);
    expect(r.stdout).toMatch(/^ok {4}cache dir: /m);
    expect(await recordedCalls()).toEqual([]);
  });

  test('no config: FAIL with the dsops init hint, and the other checks still run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-noconfig-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const r = await doctor(dir, awsEnv());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}config: config file dsops\.yaml not found\n {6}hint: dsops init/m);
    expect(r.stdout).toMatch(/^ok {4}root credentials: environment keys/m);
  });

  test('no key id, secret or session credential in the output at any log level', async () => {
    const dir = project(YAML);
    for (const flag of ['-q', '-v', '--debug', '--json']) {
      const r = await doctor(dir, awsEnv(), flag);
      expect(r.code).toBe(0);
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(ROOT_KEY);
        expect(text).not.toContain(ROOT_SECRET);
      }
    }
  });
});
