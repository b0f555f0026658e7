/**
 * The MFA prompt on a real terminal: dsops runs on a pseudo-terminal (tests/helpers/pty-run.py),
 * the prompt is answered as a person would, and moto records what was sent.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, project } from '../helpers/cli';
import { LatencyProxy, startLatencyProxy } from '../../bench/latency-proxy';
import { awsEnv, callsOf, describeMoto, motoUrl, resetMoto } from '../helpers/moto';

const PTY = path.resolve(__dirname, '../helpers/pty-run.py');
const DEVICE = 'arn:aws:iam::123456789012:mfa/alice';
const YAML = `version: 1
secretStores:
  mfa:
    type: aws.sts
    operation: get-session-token
    serial_number: ${DEVICE}
    token_code: \${MFA_TOKEN}
  admin:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/Admin
    credentials_from: mfa
  auditor:
    type: aws.sts
    role_arn: arn:aws:iam::210987654321:role/Auditor
    credentials_from: mfa
envs:
  prod:
    ADMIN_KEY: { from: { store: admin, key: AccessKeyId } }
    AUDITOR_KEY: { from: { store: auditor, key: AccessKeyId } }
`;

/** Runs dsops on a pty, typing `answer` at the MFA prompt (or each answer at its marker, in turn). */
function onTerminal(
  cwd: string,
  answer: string | Array<[marker: string, text: string]>,
  args: string[],
  env: Record<string, string> = awsEnv(),
): Promise<{ code: number | null; screen: string }> {
  const typing = typeof answer === 'string' ? ['MFA code', answer] : answer.flat();
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PTY, ...typing, '--wait-raw', '--', process.execPath, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, USER: 'tester', DSOPS_CACHE_DIR: path.join(cwd, '.cache'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    child.stderr.on('data', (d) => (screen += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describeMoto('MFA prompt on a terminal (pty, moto)', () => {
  beforeEach(resetMoto);

  it('asks once, naming the store and device, does not echo the code, and reuses the session', async () => {
    const cwd = project(YAML);
    const first = await onTerminal(cwd, '654321\r', ['exec', '--env', 'prod', '--', 'sh', '-c', 'echo "child:$ADMIN_KEY:$AUDITOR_KEY" | cut -c1-6']);
    expect(first.code).toBe(0);
    expect(first.screen.match(/MFA code for store mfa \(device arn:aws:iam::123456789012:mfa\/alice\)/g)).toHaveLength(1);
    expect(first.screen).not.toContain('654321');
    expect(first.screen).toContain('child:');
    const gst = await callsOf('GetSessionToken');
    expect(gst).toHaveLength(1);
    expect(gst[0].params.get('TokenCode')).toBe('654321');
    expect(gst[0].params.get('SerialNumber')).toBe(DEVICE);
    expect(await callsOf('AssumeRole')).toHaveLength(2);

    // Cached: no prompt, no STS call, whatever is typed.
    const second = await onTerminal(cwd, '111111\r', ['exec', '--env', 'prod', '--', 'true']);
    expect(second.code).toBe(0);
    expect(second.screen).not.toContain('MFA code');
    expect(await callsOf('GetSessionToken')).toHaveLength(1);
  });

  it('Ctrl-C at the prompt exits 130 and leaves no lock and no session behind', async () => {
    const cwd = project(YAML);
    const r = await onTerminal(cwd, '\u0003', ['exec', '--env', 'prod', '--', 'sh', '-c', 'touch started']);
    expect(r.code).toBe(130);
    expect(r.screen).toContain('interrupted at the MFA prompt');
    expect(fs.existsSync(path.join(cwd, 'started'))).toBe(false);
    const left = fs.existsSync(path.join(cwd, '.cache')) ? fs.readdirSync(path.join(cwd, '.cache')) : [];
    expect(left.filter((f) => f.startsWith('sts-') || f.endsWith('.lock'))).toEqual([]);
    expect(await callsOf('GetSessionToken')).toHaveLength(0);
  });

  it('a code that is not 6 digits is refused before any call', async () => {
    const cwd = project(YAML);
    const r = await onTerminal(cwd, '12ab\r', ['exec', '--env', 'prod', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.screen).toContain('store mfa: the MFA code must be exactly 6 digits');
    expect(await callsOf('GetSessionToken')).toHaveLength(0);
  });
});

/** One get-session-token store: every STS call of a run is that store's, so the calls can be counted exactly. */
const SOLO = `version: 1
secretStores:
  mfa:
    type: aws.sts
    operation: get-session-token
    serial_number: ${DEVICE}
    token_code: \${MFA_TOKEN}
envs:
  prod:
    KEY: { from: { store: mfa, key: AccessKeyId } }
`;
/** STS's answer to a wrong, expired or reused code (moto accepts any code, so the proxy gives it). */
const INVALID_MFA = { kind: 'deny', action: 'GetSessionToken', status: 403, code: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' } as const;
const RETRY = 'AWS rejected that MFA code, and codes are single-use: wait for a new one';

describeMoto('a rejected MFA code on a terminal (pty, latency-proxy answering like AWS, moto)', () => {
  let proxy: LatencyProxy;
  beforeAll(async () => {
    proxy = await startLatencyProxy({ target: motoUrl!, delayMs: 0, slowMs: 0 });
  });
  afterAll(() => proxy.close());
  beforeEach(async () => {
    await resetMoto();
    proxy.clearFaults();
    proxy.clearLog();
  });
  const stsCalls = () => proxy.log.filter((e) => e.service === 'sts').map((e) => e.action);
  // NO_COLOR: the hint is matched as text, without the colour codes a terminal gets.
  const viaProxy = (extra: Record<string, string> = {}) => awsEnv({ AWS_ENDPOINT_URL: proxy.url, NO_COLOR: '1', ...extra });

  it('a rejected typed code is asked for again, as a new code; the second is sent and the child runs', async () => {
    proxy.addFault(INVALID_MFA);
    const cwd = project(SOLO);
    const r = await onTerminal(
      cwd,
      [
        ['MFA code', '111111\r'],
        ['try 2 of 3', '222222\r'],
      ],
      ['exec', '--env', 'prod', '--', 'sh', '-c', 'echo "child ran:${#KEY}"'],
      viaProxy(),
    );
    expect(r.code).toBe(0);
    expect(r.screen).toContain(`${RETRY} (try 2 of 3). MFA code for store mfa (device ${DEVICE})`);
    expect(r.screen).toContain('child ran:20');
    // Echo is off at both prompts: neither code ever reaches the screen.
    expect(r.screen).not.toContain('111111');
    expect(r.screen).not.toContain('222222');
    expect(stsCalls()).toEqual(['GetSessionToken', 'GetSessionToken']);
    const reached = await callsOf('GetSessionToken');
    expect(reached.map((c) => c.params.get('TokenCode'))).toEqual(['222222']);
  });

  it('three rejected codes: exit 1, naming the store and AWS\'s error code, after three calls', async () => {
    proxy.addFault({ ...INVALID_MFA, times: 3 });
    const cwd = project(SOLO);
    const r = await onTerminal(
      cwd,
      [
        ['MFA code', '111111\r'],
        ['try 2 of 3', '222222\r'],
        ['try 3 of 3', '333333\r'],
      ],
      ['exec', '--env', 'prod', '--', 'sh', '-c', 'touch started'],
      viaProxy(),
    );
    expect(r.code).toBe(1);
    expect(r.screen).toContain('store mfa: GetSessionToken failed: AccessDenied: MultiFactorAuthentication failed');
    expect(r.screen).toMatch(/hint: AWS rejected 3 codes typed for device arn:aws:iam::123456789012:mfa\/alice/);
    expect(r.screen).not.toContain('try 4');
    expect(r.screen).not.toMatch(/111111|222222|333333/);
    expect(fs.existsSync(path.join(cwd, 'started'))).toBe(false);
    expect(stsCalls()).toEqual(['GetSessionToken', 'GetSessionToken', 'GetSessionToken']);
    expect(await callsOf('GetSessionToken')).toHaveLength(0);
  });

  it('a code from MFA_TOKEN that AWS rejects is not retried, even on a terminal: one call, exit 1, the hint names the variable', async () => {
    proxy.addFault(INVALID_MFA);
    const cwd = project(SOLO);
    const r = await onTerminal(cwd, '999999\r', ['exec', '--env', 'prod', '--', 'sh', '-c', 'touch started'], viaProxy({ MFA_TOKEN: '123456' }));
    expect(r.code).toBe(1);
    expect(r.screen).not.toContain('MFA code for store');
    expect(r.screen).not.toContain(RETRY);
    expect(r.screen).toContain('store mfa: GetSessionToken failed: AccessDenied: MultiFactorAuthentication failed');
    expect(r.screen).toMatch(/hint: AWS rejected the code from MFA_TOKEN \(token_code: \$\{MFA_TOKEN\}\)/);
    expect(r.screen).not.toContain('123456');
    expect(fs.existsSync(path.join(cwd, 'started'))).toBe(false);
    expect(stsCalls()).toEqual(['GetSessionToken']);
    expect(await callsOf('GetSessionToken')).toHaveLength(0);
  });
});
