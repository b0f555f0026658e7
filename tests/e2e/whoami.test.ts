/**
 * `dsops whoami` through the built CLI against moto: GetCallerIdentity at every hop, in chain order, with
 * the session cache deciding which hops need a new AssumeRole (none on a second run).
 */
import * as fs from 'fs';
import * as path from 'path';
import { project, runCli } from '../helpers/cli';
import { awsEnv, describeMoto, recordedCalls, resetMoto, resetRecording, ROOT_KEY } from '../helpers/moto';

const ROLES = ['arn:aws:iam::111111111111:role/Jump', 'arn:aws:iam::222222222222:role/Middle', 'arn:aws:iam::333333333333:role/Admin'];

const THREE_HOPS = `version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: ${ROLES[0]}
  middle:
    type: aws.sts
    role_arn: ${ROLES[1]}
    credentials_from: jump
  admin:
    type: aws.sts
    role_arn: ${ROLES[2]}
    credentials_from: middle
  db:
    type: aws.secretsmanager
    credentials_from: admin
envs:
  prod:
    aws_credentials: admin
  other:
    KEY: { from: { store: jump, key: AccessKeyId } }
`;

const whoami = (cwd: string, args: string[], env: Record<string, string> = {}) => runCli(['whoami', ...args], { cwd, env: awsEnv(env) });
const actions = async () => (await recordedCalls()).map((c) => c.action);

describeMoto('dsops whoami (moto)', () => {
  beforeEach(resetMoto);

  it('prints four identities for a three-hop chain, root first, then each hop in order', async () => {
    const dir = project(THREE_HOPS);
    const r = await whoami(dir, ['--env', 'prod']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^root\s+arn:aws:sts::123456789012:user\/moto\s+from environment keys \(AWS_ACCESS_KEY_ID\)$/);
    expect(lines[1]).toMatch(/^hop 1 of 3\s+jump\s+arn:aws:sts::111111111111:assumed-role\/Jump\/\S+\s+expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (59m|1h00m), new\)$/);
    expect(lines[2]).toMatch(/^hop 2 of 3\s+middle\s+arn:aws:sts::222222222222:assumed-role\/Middle\//);
    expect(lines[3]).toMatch(/^hop 3 of 3\s+admin\s+arn:aws:sts::333333333333:assumed-role\/Admin\//);
    // One AssumeRole per hop, as exec makes; one GetCallerIdentity per identity.
    expect((await actions()).sort()).toEqual([...Array(3).fill('AssumeRole'), ...Array(4).fill('GetCallerIdentity')].sort());
    // The key never shows.
    expect(r.stdout).not.toContain(ROOT_KEY);
  });

  it('a second run takes every session from the cache and makes only GetCallerIdentity calls', async () => {
    const dir = project(THREE_HOPS);
    expect((await whoami(dir, ['--env', 'prod'])).code).toBe(0);
    await resetRecording();
    const r = await whoami(dir, ['--env', 'prod', '--json']);
    expect(r.code).toBe(0);
    expect(await actions()).toEqual(Array(4).fill('GetCallerIdentity'));
    const out = JSON.parse(r.stdout) as { env: string; hops: Array<Record<string, unknown>> };
    expect(out.env).toBe('prod');
    expect(out.hops.map((h) => h.kind)).toEqual(['root', 'session', 'session', 'session']);
    expect(out.hops.slice(1).map((h) => h.store)).toEqual(['jump', 'middle', 'admin']);
    expect(out.hops.slice(1).map((h) => h.fromCache)).toEqual([true, true, true]);
    expect(out.hops[3]).toMatchObject({ hop: 3, of: 3, path: ['jump', 'middle', 'admin'], account: '333333333333' });
    expect(Date.parse(out.hops[3].expiration as string)).toBeGreaterThan(Date.now());
    expect(JSON.stringify(out)).not.toMatch(/SecretAccessKey|SessionToken/);
  });

  it('makes no AssumeRole exec would not: with only the last hop cached, earlier hops are not renewed', async () => {
    const dir = project(THREE_HOPS);
    expect((await whoami(dir, ['--env', 'prod'])).code).toBe(0);
    // Drop the first two hops' sessions: exec would now read admin's cached session and call nothing.
    const cache = path.join(dir, '.cache');
    for (const f of fs.readdirSync(cache).filter((n) => n.endsWith('.json'))) {
      const entry = JSON.parse(fs.readFileSync(path.join(cache, f), 'utf8')) as { store: string };
      if (entry.store !== 'admin') fs.unlinkSync(path.join(cache, f));
    }
    await resetRecording();
    const r = await whoami(dir, ['--env', 'prod', '--json']);
    expect(r.code).toBe(0);
    expect(await actions()).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
    const hops = (JSON.parse(r.stdout) as { hops: Array<Record<string, unknown>> }).hops;
    expect(hops.map((h) => [h.kind, h.store, h.arn !== undefined])).toEqual([
      ['root', undefined, true],
      ['session', 'jump', false],
      ['session', 'middle', false],
      ['session', 'admin', true],
    ]);
    expect(hops[1].skipped).toMatch(/exec would not make one/);
  });

  it('--store shows one chain; --no-cache makes every session new', async () => {
    const dir = project(THREE_HOPS);
    const r = await whoami(dir, ['--store', 'middle', '--no-cache', '--json']);
    expect(r.code).toBe(0);
    const hops = (JSON.parse(r.stdout) as { hops: Array<Record<string, unknown>> }).hops;
    expect(hops.map((h) => h.store ?? 'root')).toEqual(['root', 'jump', 'middle']);
    expect(hops.slice(1).map((h) => h.fromCache)).toEqual([false, false]);
    expect(fs.existsSync(path.join(dir, '.cache'))).toBe(false);
  });

  it('a dead STS endpoint is exit 1 naming the store and the error; nothing on stdout', async () => {
    const dir = project(THREE_HOPS);
    const r = await whoami(dir, ['--env', 'prod'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', DSOPS_REQUEST_TIMEOUT: '2s' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/store jump: AssumeRole arn:aws:iam::111111111111:role\/Jump failed: ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a chained role over 1 h is a located config error (exit 2) before any call', async () => {
    const dir = project(THREE_HOPS.replace('role/Middle', 'role/Middle\n    duration: 2h'));
    const r = await whoami(dir, ['--env', 'prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dsops\.yaml:\d+:\d+/);
    expect(await actions()).toEqual([]);
  });

  it('a web-identity first hop needs no root credentials, so no root line is printed', async () => {
    const dir = project(`version: 1
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
    aws_credentials: deploy
`);
    fs.writeFileSync(path.join(dir, 'token'), 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln');
    const env = awsEnv();
    delete (env as Record<string, string | undefined>).AWS_ACCESS_KEY_ID;
    delete (env as Record<string, string | undefined>).AWS_SECRET_ACCESS_KEY;
    const r = await runCli(['whoami', '--env', 'ci'], { cwd: dir, env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual(['hop 1 of 2', 'hop 2 of 2']);
    expect(lines[0]).toMatch(/assumed-role\/ci-deployer\//);
    expect(lines[1]).toMatch(/arn:aws:sts::222222222222:assumed-role\/Deploy\//);
  });

  it('an env of literals only: nothing to show, said on stderr, exit 0, no call', async () => {
    const dir = project(`${THREE_HOPS}  plain:\n    GREETING: hello\n`);
    const r = await whoami(dir, ['--env', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/env plain: reads no store/);
    expect(await actions()).toEqual([]);
  });

  it('usage: neither or both of --env and --store is exit 2', async () => {
    const dir = project(THREE_HOPS);
    expect((await whoami(dir, [])).code).toBe(2);
    const both = await whoami(dir, ['--env', 'prod', '--store', 'jump']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--env and --store/);
  });
});
