/**
 * The session cache in process, against moto: real STS sessions with real expirations, an injected
 * clock, and an injected MFA prompt standing in for the terminal.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cachedSession, DsopsError, Logger, parseConfig, resolveEnv } from '../../src';
import type { ResolveOptions } from '../../src';
import { awsEnv, callsOf, describeMoto, resetMoto } from '../helpers/moto';
import { pollUntil } from '../helpers/poll';

const MFA = 'arn:aws:iam::111111111111:mfa/tester';

const BREAKGLASS = `
version: 1
secretStores:
  breakglass:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/BreakGlass
    duration: 15m
envs:
  prod:
    KEY: { from: { store: breakglass, key: AccessKeyId } }
    EXP: { from: { store: breakglass, key: Expiration } }
`;

const MFA_ROLE = `
version: 1
secretStores:
  admin:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/Admin
    serial_number: ${MFA}
envs:
  prod:
    KEY: { from: { store: admin, key: AccessKeyId } }
`;

const GST_ROOT = `
version: 1
secretStores:
  mfa:
    type: aws.sts
    operation: get-session-token
    serial_number: ${MFA}
    duration: 12h
  deploy:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/Deploy
    credentials_from: mfa
  audit:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/Audit
    credentials_from: mfa
envs:
  prod:
    ROOT_KEY_ID: { from: { store: mfa, key: AccessKeyId } }
    DEPLOY_KEY: { from: { store: deploy, key: AccessKeyId } }
    AUDIT_KEY: { from: { store: audit, key: AccessKeyId } }
`;

describeMoto('session cache in process (moto)', () => {
  let dir: string;
  let clock: number;
  let prompts: string[];
  beforeEach(async () => {
    await resetMoto();
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-cache-int-')), 'cache');
    // The injected clock starts at real time only because moto stamps real expirations; tests move it by hand.
    clock = Date.now();
    prompts = [];
  });

  /** One "run": a fresh resolution (as a new process would make) sharing the cache dir. `lines` collects its verbose log. */
  const run = (yaml: string, opts: Partial<ResolveOptions> & { answer?: () => Promise<string>; lines?: string[] } = {}) =>
    resolveEnv(parseConfig(yaml, 'dsops.yaml'), 'prod', {
      env: awsEnv(),
      interactive: opts.answer !== undefined,
      prompt: async (message) => {
        prompts.push(message);
        return opts.answer!();
      },
      decorateSession: (provider, info) =>
        cachedSession(provider, info, {
          dir,
          log: new Logger('verbose', (l) => opts.lines?.push(l)),
          refresh: false,
          lockTimeoutMs: 10_000,
          now: () => clock,
        }),
      ...opts,
    });

  it('a real 900 s session is reused for ~11 min 15 s by the injected clock, then renewed', async () => {
    const first = await run(BREAKGLASS);
    // moto stamps the expiry by its own clock, some time after `clock` was read: only a lower bound is exact.
    expect((Date.parse(first.values.EXP) - clock) / 1000).toBeGreaterThanOrEqual(899);
    const [call] = await callsOf('AssumeRole');
    expect(call.params.get('DurationSeconds')).toBe('900');

    clock += 11 * 60 * 1000;
    expect((await run(BREAKGLASS)).values.KEY).toBe(first.values.KEY);
    expect(await callsOf('AssumeRole')).toHaveLength(1);

    clock += 20 * 1000; // 11 min 20 s: inside the last quarter
    const renewed = await run(BREAKGLASS);
    expect(renewed.values.KEY).not.toBe(first.values.KEY);
    expect(await callsOf('AssumeRole')).toHaveLength(2);
  });

  it('concurrent cold runs on one MFA role: one prompt, one AssumeRole, same session', async () => {
    let release!: () => void;
    const typed = new Promise<string>((r) => (release = () => r('123456')));
    const lines: string[] = [];
    const runs = [1, 2, 3].map(() => run(MFA_ROLE, { answer: () => typed, lines }));
    // Every run reaches the lock before the code is typed: one prompts, the other two wait for it.
    await pollUntil('two runs waiting on the lock', () => lines.filter((l) => l.includes('waiting for another dsops process')).length === 2);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('admin');
    expect(prompts[0]).toContain(MFA);
    release();
    const results = await Promise.all(runs);
    expect(new Set(results.map((r) => r.values.KEY)).size).toBe(1);
    const calls = await callsOf('AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0].params.get('SerialNumber')).toBe(MFA);
    expect(calls[0].params.get('TokenCode')).toBe('123456');
    expect(prompts).toHaveLength(1);
  });

  it('interrupted at the MFA prompt: no lock, no entry; the next run prompts again', async () => {
    await expect(
      run(MFA_ROLE, { answer: async () => Promise.reject(new DsopsError('interrupted at the MFA prompt', 'E_INTERRUPTED', 130)) }),
    ).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await callsOf('AssumeRole')).toHaveLength(0);

    await run(MFA_ROLE, { answer: async () => '123456' });
    expect(prompts).toHaveLength(2);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    // Cached now: no prompt, even with no terminal.
    await run(MFA_ROLE);
    expect(prompts).toHaveLength(2);
    expect(await callsOf('AssumeRole')).toHaveLength(1);
  });

  it('get-session-token root with two roles: one prompt, one GetSessionToken, both roles signed by its key', async () => {
    const { values } = await run(GST_ROOT, { answer: async () => '654321' });
    expect(prompts).toHaveLength(1);
    const gst = await callsOf('GetSessionToken');
    expect(gst).toHaveLength(1);
    expect(gst[0].params.get('SerialNumber')).toBe(MFA);
    expect(gst[0].params.get('TokenCode')).toBe('654321');
    const assumes = await callsOf('AssumeRole');
    expect(assumes.map((c) => c.params.get('RoleArn')).sort()).toEqual([
      'arn:aws:iam::222222222222:role/Deploy',
      'arn:aws:iam::333333333333:role/Audit',
    ]);
    for (const c of assumes) {
      expect(c.signedBy).toBe(values.ROOT_KEY_ID);
      expect(c.params.get('SerialNumber')).toBeNull();
    }
    // Three sessions cached; the next run needs no code at all.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(3);
    const again = await run(GST_ROOT);
    expect(again.values).toEqual(values);
    expect(prompts).toHaveLength(1);
    expect(await callsOf('GetSessionToken')).toHaveLength(1);
    expect(await callsOf('AssumeRole')).toHaveLength(2);
  });
});
