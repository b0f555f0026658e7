/**
 * Ctrl-C at a terminal: the terminal sends SIGINT to its whole foreground process group, which holds
 * dsops and the child. dsops must not send the child a second one (terraform takes a second Ctrl-C as
 * "abort now"). Runs dsops on a real pseudo-terminal (tests/helpers/pty-run.py types the Ctrl-C).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, project } from '../helpers/cli';
import { foregroundFromStat } from '../../src/exec/run-child';

const PTY = path.resolve(__dirname, '../helpers/pty-run.py');
const YAML = `version: 1
envs:
  lit:
    FOO: bar
`;
// Counts SIGINTs, then reports and exits 0 (as a graceful shutdown would). No clock decides when the count
// is complete: after the first SIGINT the child sends dsops a SIGUSR2, which dsops always forwards. dsops
// had the SIGINT before (the terminal signals the whole group at once; or it was sent to dsops alone), and
// handles its signals in order, so a second SIGINT, had dsops sent one, reaches the child before the SIGUSR2.
const CHILD = `let n = 0;
process.on('SIGINT', () => { if (n++ === 0) process.kill(process.ppid, 'SIGUSR2'); });
process.on('SIGUSR2', () => { process.stdout.write('SIGINTS=' + n + '\\n'); process.exit(0); });
process.stdout.write('READY\\n');
setInterval(() => {}, 1000);`;

const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;
const onLinux = process.platform === 'linux';

(hasPython && onLinux ? describe : describe.skip)('Ctrl-C at a terminal (pty)', () => {
  it('reaches the child once, and dsops exits with the code the child chose', () => {
    const cwd = project(YAML);
    fs.writeFileSync(path.join(cwd, 'child.js'), CHILD);
    const r = spawnSync('python3', [PTY, 'READY', '\x03', '--', process.execPath, CLI, 'exec', '--env', 'lit', '--', process.execPath, 'child.js'], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout).toContain('READY');
    expect(r.stdout).toContain('SIGINTS=1');
    expect(r.status).toBe(0);
  });

  it('the same child run without a terminal still gets a SIGINT sent to dsops alone', () => {
    const cwd = project(YAML);
    fs.writeFileSync(path.join(cwd, 'child.js'), CHILD);
    // Its own session, no terminal (as under CI, and whoever runs these tests): a signal it gets is forwarded.
    const script = `
      const { spawn } = require('child_process');
      const p = spawn(process.execPath, [${JSON.stringify(CLI)}, 'exec', '--env', 'lit', '--', process.execPath, 'child.js'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      let out = '';
      p.stdout.on('data', (d) => { out += d; if (out.includes('READY') && !p.sent) { p.sent = true; p.kill('SIGINT'); } });
      p.on('exit', (code) => { process.stdout.write(out + 'EXIT=' + code + '\\n'); });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd }, encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toContain('SIGINTS=1');
    expect(r.stdout).toContain('EXIT=0');
  });
});

describe('foregroundFromStat (/proc/self/stat)', () => {
  const stat = (pgrp: number, tty: number, tpgid: number) => `4242 (node (weird) name) S 1 ${pgrp} 4242 ${tty} ${tpgid} 4194304 0 0`;
  it('is true only with a terminal whose foreground group is ours', () => {
    expect(foregroundFromStat(stat(4242, 34816, 4242))).toBe(true);
    expect(foregroundFromStat(stat(4242, 34816, 5000))).toBe(false); // a background job
    expect(foregroundFromStat(stat(4242, 0, -1))).toBe(false); // no terminal (CI, daemons)
  });
  it('is false where /proc is not there: keyboard signals are then forwarded like the rest', () => {
    expect(foregroundFromStat(undefined)).toBe(false);
  });
});
