/** Config discovery through the built CLI: a run from a sub-folder finds the repository's dsops.yaml, and -v says which. */
import * as fs from 'fs';
import * as path from 'path';
import { project, runCli } from '../helpers/cli';

const YAML = 'version: 1\nenvs:\n  dev:\n    GREETING: hello\n';

test('from infra/modules/x, the dsops.yaml at the repository root is used, and -v names it', async () => {
  const root = fs.realpathSync(project(YAML));
  fs.mkdirSync(path.join(root, '.git'));
  const sub = path.join(root, 'infra/modules/x');
  fs.mkdirSync(sub, { recursive: true });
  const r = await runCli(['-v', 'export', '--env', 'dev', '--format', 'json'], { cwd: sub });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ GREETING: 'hello' });
  expect(r.stderr).toContain(`using config ${path.join(root, 'dsops.yaml')}`);
});

test('a dsops.yaml above the repository root is not used: E_NO_CONFIG, exit 2', async () => {
  const outer = fs.realpathSync(project(YAML));
  const sub = path.join(outer, 'repo/src');
  fs.mkdirSync(sub, { recursive: true });
  fs.mkdirSync(path.join(outer, 'repo/.git'));
  const r = await runCli(['validate'], { cwd: sub });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('error[E_NO_CONFIG] config file dsops.yaml not found');
});

test('errors in a discovered config point at its path', async () => {
  const root = fs.realpathSync(project('version: 1\nenvs:\n  dev:\n    bad name: x\n'));
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'sub'));
  const r = await runCli(['validate'], { cwd: path.join(root, 'sub') });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^${path.join(root, 'dsops.yaml').replace(/[.]/g, '\\.')}:4:5: error\\[`, 'm'));
});
