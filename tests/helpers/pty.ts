/** Runs the built CLI on a pseudo-terminal (tests/helpers/pty-run.py): what a person at a terminal sees. */
import { spawn } from 'child_process';
import * as path from 'path';
import { CLI } from './cli';

const PTY = path.resolve(__dirname, 'pty-run.py');

/** Runs `dsops args` on a pty with exactly `env` (plus PATH/HOME/cache dir); types `answer` once `marker` shows, if given. */
export function onTerminal(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; marker?: string; answer?: string } = {},
): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    // A marker that never shows: nothing is typed.
    const typing = opts.marker !== undefined ? [opts.marker, opts.answer ?? ''] : ['\u0001never-shown\u0001', ''];
    const child = spawn('python3', [PTY, ...typing, '--', process.execPath, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, USER: 'tester', DSOPS_CACHE_DIR: path.join(cwd, '.cache'), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    child.stderr.on('data', (d) => (screen += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}
