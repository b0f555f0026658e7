/**
 * The MFA prompt on a real terminal: dsops runs on a pseudo-terminal (tests/helpers/pty-run.py),
 * the prompt is answered as a person would, and moto records what was sent.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, project } from '../helpers/cli';
import { awsEnv, callsOf, describeMoto, resetMoto } from '../helpers/moto';

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

/** Runs dsops on a pty, typing `answer` at the MFA prompt. */
function onTerminal(cwd: string, answer: string, args: string[]): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [PTY, 'MFA code', answer, '--wait-raw', '--', process.execPath, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, USER: 'tester', DSOPS_CACHE_DIR: path.join(cwd, '.cache'), ...awsEnv() },
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
