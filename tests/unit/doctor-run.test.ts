/** runDoctor's order and exit codes, with the network and the clock injected and a real config file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeScope } from '../../src/config/interpolate';
import { loadConfig } from '../../src/config/load';
import type { ConfigSource } from '../../src/config/source';
import { runDoctor, DoctorOptions } from '../../src/doctor/run-doctor';
import { silentLogger } from '../../src/log';

const VALID = `version: 1
secretStores:
  jump: { type: aws.sts, role_arn: "arn:aws:iam::111111111111:role/Jump", region: us-east-1 }
envs:
  demo:
    A: { from: { store: jump, key: AccessKeyId } }
`;
const NOW = Date.parse('2026-11-30T12:00:00Z');

function options(yaml: string | undefined, over: Partial<DoctorOptions> = {}): { o: DoctorOptions; calls: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-doctor-run-'));
  const file = path.join(dir, 'dsops.yaml');
  if (yaml !== undefined) fs.writeFileSync(file, yaml);
  const cache = path.join(dir, 'cache');
  fs.mkdirSync(cache, { mode: 0o700 });
  const calls: string[] = [];
  let source: ConfigSource | undefined;
  const env = { AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 's' };
  const o: DoctorOptions = {
    env,
    load: () => (source = loadConfig(file)),
    current: () => source,
    scope: makeScope(env, new Date(NOW)),
    cacheDir: cache,
    nodeVersion: '22.12.0',
    nowMs: () => NOW,
    lockStaleMs: 10_000,
    log: silentLogger,
    loadProfiles: async () => ({}),
    network: {
      credentials: () => async () => (calls.push('credentials'), { accessKeyId: 'AKIA1', secretAccessKey: 's' }),
      identity: async () => (calls.push('GetCallerIdentity'), { arn: 'arn:aws:iam::111111111111:user/u', account: '1', userId: 'u', serverDate: new Date(NOW) }),
    },
    ...over,
  };
  return { o, calls };
}

test('healthy: every check ok, in order, exit 0', async () => {
  const { o, calls } = options(VALID);
  const r = await runDoctor(o);
  expect(r.checks.map((c) => [c.name, c.status])).toEqual([
    ['config', 'ok'],
    ['root credentials', 'ok'],
    ['clock', 'ok'],
    ['cache dir', 'ok'],
    ['endpoints', 'ok'],
    ['node', 'ok'],
    ['locks', 'ok'],
  ]);
  expect(r.exitCode).toBe(0);
  expect(calls).toEqual(['credentials', 'GetCallerIdentity']);
});

test('warnings alone do not fail: exit 0', async () => {
  const { o } = options(VALID, { nodeVersion: '20.20.2' });
  const r = await runDoctor(o);
  expect(r.checks.find((c) => c.name === 'node')?.status).toBe('warn');
  expect(r.exitCode).toBe(0);
});

test('an invalid config: exit 2, no credentials looked up, no AWS call, the local checks still run', async () => {
  const { o, calls } = options(VALID.replace('region: us-east-1', 'region: us-east-1, bogus: 1'));
  const r = await runDoctor(o);
  expect(r.exitCode).toBe(2);
  expect(r.checks[0]).toMatchObject({ name: 'config', status: 'fail' });
  expect(r.checks[0].issues?.[0]).toMatch(/dsops\.yaml:3:\d+: error\[/);
  expect(r.checks.find((c) => c.name === 'root credentials')?.status).toBe('skip');
  expect(r.checks.find((c) => c.name === 'cache dir')?.status).toBe('ok');
  expect(calls).toEqual([]);
});

test('no config: FAIL (exit 1), and the credentials are still checked with the default chain', async () => {
  const { o, calls } = options(undefined);
  const r = await runDoctor(o);
  expect(r.exitCode).toBe(1);
  expect(r.checks[0]).toMatchObject({ status: 'fail', hint: expect.stringContaining('dsops init') });
  expect(calls).toEqual(['credentials', 'GetCallerIdentity']);
});

test('an unset ${VAR} is something a run needs, not a problem (as validate)', async () => {
  const { o } = options(VALID.replace('role/Jump"', 'role/Jump", external_id: "${EXT_ID}"'));
  const r = await runDoctor(o);
  expect(r.checks[0].status).toBe('ok');
  expect(r.checks[0].detail).toContain('a run will need 1 variable not set here: EXT_ID');
  expect(r.exitCode).toBe(0);
});

test('--no-cache: the cache dir and its locks are not looked at', async () => {
  const { o } = options(VALID, { cacheDir: undefined });
  const r = await runDoctor(o);
  expect(r.checks.filter((c) => c.status === 'skip').map((c) => c.name)).toEqual(['cache dir', 'locks']);
});
