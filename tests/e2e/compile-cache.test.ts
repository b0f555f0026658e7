/**
 * Node's compile cache (Node >= 22.1) in dsops's cache dir. Regression: a damaged `code-*.bin` (dsops's own
 * V8 code cache) crashed every command in V8's deserializer, `cache clear` included. Each case runs the
 * built CLI in fresh processes. On Node 20 there is no compile cache: the same runs must simply work, and
 * nothing may be written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { nodeHasCompileCache, untrustedDirReason } from '../../src/compile-cache';
import { project, runCli } from '../helpers/cli';

const YAML = `version: 1
envs:
  lit:
    FOO: bar
`;
const HAS_CACHE = nodeHasCompileCache();

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.lstatSync(f).isFile());
}

/** Flips 8 bytes in the middle of each file, the damage that crashed the old loader. */
function damage(files: string[]): void {
  for (const f of files) {
    const b = fs.readFileSync(f);
    const at = Math.max(0, Math.floor(b.length / 2) - 4);
    for (let i = at; i < Math.min(b.length, at + 8); i++) b[i] ^= 0xff;
    fs.writeFileSync(f, b);
  }
}

describe('compile cache', () => {
  let cwd: string;
  let compileDir: string;
  beforeEach(() => {
    cwd = project(YAML);
    compileDir = path.join(cwd, '.cache', 'compile');
  });

  it(`is ${HAS_CACHE ? 'written to <cache dir>/compile, 0700 and ours' : 'not used on this Node (' + process.versions.node + ')'}`, async () => {
    const r = await runCli(['exec', '--env', 'lit', '--', 'true'], { cwd });
    expect(r.code).toBe(0);
    if (HAS_CACHE) {
      expect(filesUnder(compileDir).length).toBeGreaterThan(0);
      expect(fs.statSync(compileDir).mode & 0o777).toBe(0o700);
      expect(untrustedDirReason(compileDir)).toBeUndefined();
      for (const f of filesUnder(compileDir)) expect(fs.statSync(f).mode & 0o022).toBe(0);
    } else {
      expect(filesUnder(compileDir)).toEqual([]);
    }
  });

  it('a damaged compile-cache file crashes nothing: exec, --help and cache clear still work', async () => {
    expect((await runCli(['exec', '--env', 'lit', '--', 'true'], { cwd })).code).toBe(0);
    const files = filesUnder(compileDir);
    if (HAS_CACHE) expect(files.length).toBeGreaterThan(0);
    damage(files);
    const exec = await runCli(['exec', '--env', 'lit', '--', 'node', '-e', 'console.log(process.env.FOO)'], { cwd });
    expect(exec).toMatchObject({ code: 0, signal: null, stdout: 'bar\n' });
    expect(exec.stderr).toBe('');
    const help = await runCli(['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('dsops exec');
    damage(filesUnder(compileDir));
    const clear = await runCli(['cache', 'clear'], { cwd });
    expect(clear.code).toBe(0);
    expect(clear.stderr).not.toMatch(/Fatal|unreachable|at \S+:\d+/);
    expect(fs.existsSync(compileDir)).toBe(false);
  });

  it('random bytes or an empty file in place of a cache entry are a miss too', async () => {
    expect((await runCli(['exec', '--env', 'lit', '--', 'true'], { cwd })).code).toBe(0);
    const files = filesUnder(compileDir);
    files.forEach((f, i) => fs.writeFileSync(f, i % 2 ? Buffer.alloc(0) : Buffer.from(Array.from({ length: 4096 }, (_, j) => (j * 131 + i) & 0xff))));
    const r = await runCli(['exec', '--env', 'lit', '--', 'true'], { cwd });
    expect(r).toMatchObject({ code: 0, signal: null, stderr: '' });
  });

  it('--no-cache writes no compiled code, on any command', async () => {
    for (const args of [['exec', '--no-cache', '--env', 'lit', '--', 'true'], ['--no-cache', 'validate'], ['cache', 'list', '--no-cache']]) {
      const r = await runCli(args, { cwd });
      expect(r.code).toBe(0);
    }
    expect(fs.existsSync(compileDir)).toBe(false);
  });

  it('a compile folder others can write to is not used', async () => {
    fs.mkdirSync(compileDir, { recursive: true });
    fs.chmodSync(path.join(cwd, '.cache'), 0o700);
    fs.chmodSync(compileDir, 0o777);
    const r = await runCli(['exec', '--env', 'lit', '--', 'true'], { cwd });
    expect(r.code).toBe(0);
    expect(filesUnder(compileDir)).toEqual([]);
  });

  it('a compile folder that is a symbolic link is not followed', async () => {
    const elsewhere = fs.mkdtempSync(path.join(cwd, 'elsewhere-'));
    fs.mkdirSync(path.join(cwd, '.cache'), { mode: 0o700 });
    fs.symlinkSync(elsewhere, compileDir);
    const r = await runCli(['exec', '--env', 'lit', '--', 'true'], { cwd });
    expect(r.code).toBe(0);
    expect(filesUnder(elsewhere)).toEqual([]);
  });
});

describe('untrustedDirReason', () => {
  it('accepts only a real directory of ours that others cannot write to', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'dsops-trust-'));
    fs.chmodSync(dir, 0o700);
    expect(untrustedDirReason(dir)).toBeUndefined();
    fs.chmodSync(dir, 0o755);
    expect(untrustedDirReason(dir)).toBeUndefined();
    fs.chmodSync(dir, 0o775);
    expect(untrustedDirReason(dir)).toMatch(/writable by other users/);
    fs.chmodSync(dir, 0o700);
    expect(untrustedDirReason(dir, (process.getuid?.() ?? 0) + 1)).toMatch(/another user/);
    fs.symlinkSync(dir, dir + '-link');
    expect(untrustedDirReason(dir + '-link')).toMatch(/symbolic link/);
    fs.writeFileSync(path.join(dir, 'f'), '');
    expect(untrustedDirReason(path.join(dir, 'f'))).toMatch(/not a directory/);
    expect(untrustedDirReason(path.join(dir, 'missing'))).toMatch(/ENOENT/);
  });

  it('nodeHasCompileCache follows module.enableCompileCache (22.1.0)', () => {
    expect(nodeHasCompileCache('20.20.2')).toBe(false);
    expect(nodeHasCompileCache('22.0.0')).toBe(false);
    expect(nodeHasCompileCache('22.1.0')).toBe(true);
    expect(nodeHasCompileCache('24.0.0')).toBe(true);
  });
});
