/** Spawns the built CLI (dist/cli.js) in a temp project, as a user would run it. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp dir holding dsops.yaml with `yaml` as its text; removed by the OS's tmp cleanup. */
export function project(yaml: string, file = 'dsops.yaml'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-test-'));
  fs.writeFileSync(path.join(dir, file), yaml);
  return dir;
}

/** Runs `node dist/cli.js ...args` with exactly `env` (plus PATH/HOME), never the test runner's AWS vars. */
export function runCli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number; /** Told the dsops process's pid once it is spawned. */ onSpawn?: (pid: number) => void },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: opts.cwd,
        USER: 'tester',
        DSOPS_CACHE_DIR: path.join(opts.cwd, '.cache'),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // The bound on a hung run: spawn's own timeout sends SIGKILL, which shows as signal SIGKILL.
      timeout: opts.timeoutMs ?? 30000,
      killSignal: 'SIGKILL',
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
