/**
 * Signals that arrive while dsops is still resolving (before any child exists). Regression: Node's
 * default SIGUSR1 action opened the inspector on a process holding credentials.
 */
import { spawn } from 'child_process';
import * as net from 'net';
import * as fs from 'fs';
import { CLI, project } from '../helpers/cli';
import { pollUntil } from '../helpers/poll';

const YAML = `version: 1
secretStores:
  role:
    type: aws.sts
    region: us-east-1
    role_arn: arn:aws:iam::123456789012:role/Slow
envs:
  prod:
    KEY: { from: { store: role, key: AccessKeyId } }
`;

interface BlackHole {
  url: string;
  /** Connections accepted so far. */
  accepted: () => number;
  /** Resets every open connection: the SDK sees a network error and retries. */
  reset: () => void;
  close: () => void;
}

/** A loopback server that accepts connections and never answers: STS calls hang there. */
function blackHole(): Promise<BlackHole> {
  return new Promise((resolve) => {
    const sockets: net.Socket[] = [];
    let accepted = 0;
    const srv = net.createServer((s) => (accepted++, sockets.push(s)));
    const reset = () => sockets.splice(0).forEach((s) => s.resetAndDestroy());
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, accepted: () => accepted, reset, close: () => (reset(), srv.close()) });
    });
  });
}

/** Whether `sig` is still waiting to be delivered to process `pid` (Linux /proc; elsewhere: assumed delivered). */
function pending(pid: number, sig: number): boolean {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return false;
  }
  const mask = (name: string) => BigInt('0x' + (new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'));
  const bit = 1n << BigInt(sig - 1);
  return ((mask('SigPnd') | mask('ShdPnd')) & bit) !== 0n;
}

describe('signals before the child starts', () => {
  it('SIGUSR1 does not open the Node inspector; SIGTERM still ends the run without a child', async () => {
    const hole = await blackHole();
    const cwd = project(YAML);
    const child = spawn(process.execPath, [CLI, 'exec', '--env', 'prod', '--no-cache', '--', 'sh', '-c', 'touch started'], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: cwd,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_ENDPOINT_URL: hole.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code, sig) => r(code ?? (sig ? -1 : null))));
    try {
      await pollUntil('the STS call to reach the black hole', () => hole.accepted() > 0, { attempts: 1000 });
      child.kill('SIGUSR1');
      await pollUntil('SIGUSR1 to be delivered', () => !pending(child.pid!, require('os').constants.signals.SIGUSR1), { attempts: 1000 });
      // Proof that dsops's event loop ran on after the signal (where the inspector would have opened): its
      // SDK retries a reset connection, and the retry arrives here.
      const before = hole.accepted();
      hole.reset();
      await pollUntil('the SDK to retry after a reset', () => hole.accepted() > before || child.exitCode !== null, { attempts: 1000 });
      expect(child.exitCode).toBeNull();
      expect(stderr).not.toMatch(/Debugger listening|inspector/i);
      child.kill('SIGTERM');
      expect(await exited).not.toBe(0);
    } finally {
      child.kill('SIGKILL');
      hole.close();
    }
    expect(require('fs').existsSync(`${cwd}/started`)).toBe(false);
  });
});
