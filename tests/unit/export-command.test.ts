/** `dsops export` output routing (no AWS: a literal-only env), with stdout and files injected. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandContext } from '../../src/cli/context';
import { exportCommand, ExportIo } from '../../src/cli/export';

function setup(tty: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-export-'));
  const config = path.join(dir, 'dsops.yaml');
  fs.writeFileSync(config, 'version: 1\nenvs:\n  dev:\n    GREETING: hello\n    MULTI: "a\\nb"\n');
  const stdout: string[] = [];
  const files: Record<string, string> = {};
  const io: ExportIo = {
    stdout: (t) => void stdout.push(t),
    stdoutIsTTY: () => tty,
    writeFile: async (f, t) => void (files[f] = t),
    appendFile: (f, t) => void (files[f] = (files[f] ?? '') + t),
  };
  const stderr: string[] = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
  return { dir, config, stdout, stderr, files, io };
}

afterEach(() => jest.restoreAllMocks());

test('at a terminal the values are printed anyway, and stderr says they are shown', async () => {
  const { config, stdout, stderr, io } = setup(true);
  const code = await exportCommand(new CommandContext({ config }, {}), { env: 'dev', format: 'shell' }, io);
  expect(code).toBe(0);
  expect(stdout.join('')).toBe("export GREETING='hello'\nexport MULTI='a\nb'\n");
  expect(stderr.join('')).toContain('warning: showing 2 values on the terminal');
});

test('not at a terminal, nothing is said', async () => {
  const { config, stderr, io } = setup(false);
  await exportCommand(new CommandContext({ config }, {}), { env: 'dev', format: 'json' }, io);
  expect(stderr.join('')).toBe('');
});

test('--out at a terminal writes the file and says nothing (no value is shown)', async () => {
  const { config, dir, stdout, stderr, files, io } = setup(true);
  const out = path.join(dir, 'x.env');
  await exportCommand(new CommandContext({ config }, {}), { env: 'dev', format: 'dotenv', out }, io);
  expect(files[out]).toBe("GREETING=hello\nMULTI='a\nb'\n");
  expect(stdout).toEqual([]);
  expect(stderr.join('')).toBe('');
});

test('github at a terminal with $GITHUB_ENV: the masks show values, so stderr says so; the blocks go to $GITHUB_ENV', async () => {
  const { config, stdout, stderr, files, io } = setup(true);
  const code = await exportCommand(new CommandContext({ config }, { GITHUB_ENV: '/gh/env' }), { env: 'dev', format: 'github' }, io);
  expect(code).toBe(0);
  expect(stdout.join('')).toBe('::add-mask::hello\n::add-mask::a\n::add-mask::b\n');
  expect(files['/gh/env']).toMatch(/^GREETING<<ghadelimiter_[0-9a-f-]+\nhello\nghadelimiter_[0-9a-f-]+\nMULTI<<ghadelimiter_[0-9a-f-]+\na\nb\nghadelimiter_[0-9a-f-]+\n$/);
  expect(stderr.join('')).toContain('showing 2 values on the terminal');
});

test('github without $GITHUB_ENV or --out prints the masks, then the blocks, on stdout', async () => {
  const { config, stdout, io } = setup(false);
  await exportCommand(new CommandContext({ config }, {}), { env: 'dev', format: 'github' }, io);
  expect(stdout.join('')).toMatch(/^::add-mask::hello\n::add-mask::a\n::add-mask::b\nGREETING<<ghadelimiter_/);
});
