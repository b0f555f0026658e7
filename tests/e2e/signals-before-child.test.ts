/**
 * Signals that arrive while dsops is still resolving (before any child exists). Regression: Node's
 * default SIGUSR1 action opened the inspector on a process holding credentials.
 */
import { spawn } from 'child_process';
import * as net from 'net';
import { CLI, project } from '../helpers/cli';

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

/** A loopback server that accepts connections and never answers: STS calls hang there. */
function blackHole(): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve) => {
    const sockets: net.Socket[] = [];
    const srv = net.createServer((s) => sockets.push(s));
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => (sockets.forEach((s) => s.destroy()), srv.close()) });
    });
  });
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
      await new Promise((r) => setTimeout(r, 1500)); // the STS call is now hanging
      child.kill('SIGUSR1');
      await new Promise((r) => setTimeout(r, 500));
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
