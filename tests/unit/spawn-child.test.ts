/**
 * Starting the child through the one seam (cross-spawn). Real processes, stdio inherited, so outcomes are
 * read from files.
 */
import fs = require('fs');
import os = require('os');
import path = require('path');
import { runChild } from '../../src/exec/run-child';
import { spawnChild, Spawner } from '../../src/exec/spawn-child';
import { DsopsError } from '../../src/errors';
import { pollUntil } from '../helpers/poll';

const NODE = process.execPath;

describe('spawnChild', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-spawn-'));
  });
  const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra });

  it('passes exit codes through', async () => {
    for (const code of [0, 3, 255]) {
      expect(await runChild(NODE, ['-e', `process.exit(${code})`], env())).toBe(code);
    }
  });

  it('gives the child exactly the env and the args, looked up on PATH', async () => {
    const out = path.join(dir, 'out.json');
    const script = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ env: process.env, argv: process.argv.slice(1) }))`;
    const binDir = path.join(dir, 'bin');
    fs.mkdirSync(binDir);
    fs.symlinkSync(NODE, path.join(binDir, 'mynode'));
    const code = await runChild('mynode', ['-e', script, '--', 'a b', '$HOME', ''], { PATH: binDir, ONLY: 'this', EMPTY: '' });
    expect(code).toBe(0);
    const seen = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(seen.argv).toEqual(['a b', '$HOME', '']); // node -e takes the --
    expect(seen.env).toMatchObject({ PATH: binDir, ONLY: 'this', EMPTY: '' });
    expect(seen.env.HOME).toBeUndefined();
  });

  it('a child killed by a signal gives 128+N', async () => {
    expect(await runChild(NODE, ['-e', "process.kill(process.pid, 'SIGTERM')"], env())).toBe(128 + 15);
  });

  it('kill() delivers the signal, and is ignored once the child is gone', async () => {
    const ready = path.join(dir, 'ready');
    const child = spawnChild(NODE, ['-e', `require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000)`], env());
    await pollUntil('the child to start', () => fs.existsSync(ready), { attempts: 1000 });
    child.kill('SIGUSR2');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGUSR2' });
    expect(() => child.kill('SIGTERM')).not.toThrow();
  });

  it('a missing command is E_COMMAND_NOT_FOUND (127), a non-executable one 126', async () => {
    await expect(runChild('dsops-no-such-command', [], env())).rejects.toMatchObject({ code: 'E_COMMAND_NOT_FOUND', exitCode: 127 });
    const file = path.join(dir, 'not-exec.sh');
    fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const err = await runChild(file, [], env()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DsopsError);
    expect(err).toMatchObject({ code: 'E_COMMAND_NOT_EXECUTABLE', exitCode: 126 });
  });
});

describe('runChild: values the OS cannot pass', () => {
  it('a NUL byte in a value is an error naming the variable, never showing the value, and nothing is started', async () => {
    const spawned: string[] = [];
    const spy: Spawner = (command, args, env) => (spawned.push(command), spawnChild(command, args, env));
    const err = await runChild(NODE, ['-e', '0'], { PATH: process.env.PATH ?? '', SECRET: 'top\0secret' }, spy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DsopsError);
    expect(err).toMatchObject({ code: 'E_NUL_IN_VALUE', exitCode: 1 });
    expect((err as Error).message).toContain('SECRET');
    expect((err as Error).message).not.toContain('top');
    expect(spawned).toEqual([]);
  });
});

describe('the start-up path uses public APIs only', () => {
  // Regression: the child was started through process.binding('process_wrap'), and the CLI loaded through
  // V8's cachedData; a damaged cache file then crashed every command.
  it('no source file reaches for process.binding or cachedData', () => {
    const src = path.resolve(__dirname, '../../src');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => /process\.binding|cachedData/.test(fs.readFileSync(path.join(src, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
