/**
 * `validate` as a linter in CI, where no secret variable is exported: an unset `${VAR}` is listed as what a
 * run will need (exit 0); `--env` and `--strict` make it an error as exec does; `--json` is for machines.
 * Needs dist/ (node scripts/build.js).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CLI, project, runCli } from '../helpers/cli';

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.js first`);
});

const EXAMPLES = path.resolve(__dirname, '../../examples');

test.each(fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('examples/%s passes validate with an empty environment', async (file) => {
  const r = await runCli(['validate', '--config', path.join(EXAMPLES, file)], { cwd: project('unused', 'other.yaml') });
  expect(r.stderr).toContain(`${file}: valid (`);
  expect(r.code).toBe(0);
});

const YAML = [
  'version: 1', //                                             1
  'secretStores:', //                                          2
  '  role:', //                                                3
  '    type: aws.sts', //                                      4
  '    role_arn: arn:aws:iam::${ACCOUNT}:role/App', //         5
  '    duration: 13h', //                                       6
  'envs:', //                                                  7
  '  prod:', //                                                8
  '    TOKEN: pre-${APP_TOKEN}', //                            9
  '    GREETING: hi-${ACCOUNT}', //                           10
  '',
].join('\n');

test('an unset variable does not hide the problems that do not depend on it', async () => {
  const r = await runCli(['validate'], { cwd: project(YAML) });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/dsops\.yaml:6:\d+: error\[E_[A-Z_]+\] store role: duration/);
  expect(r.stderr).not.toContain('E_UNDEFINED_VAR');
  expect(r.stderr).toContain('dsops: 1 config problem; nothing was run');
});

test('--json: problems and needed variables with code, message, file, line and col on stdout', async () => {
  const dir = project(YAML);
  const r = await runCli(['validate', '--json'], { cwd: dir });
  expect(r.code).toBe(2);
  const out = JSON.parse(r.stdout);
  expect(out.valid).toBe(false);
  expect(out.problems).toEqual([
    expect.objectContaining({ code: expect.stringMatching(/^E_/), message: expect.stringContaining('store role: duration'), file: expect.stringMatching(/dsops\.yaml$/), line: 6, col: expect.any(Number) }),
  ]);
  expect(out.needs.map((n: { variable: string }) => n.variable)).toEqual(['ACCOUNT', 'APP_TOKEN']);
  expect(out.needs[0].uses.map((u: { line: number; col: number }) => [u.line, u.col])).toEqual([[5, 15], [10, 15]]);
  expect(out.needs[1].uses[0]).toMatchObject({ code: 'E_UNDEFINED_VAR', line: 9, col: 12 });

  const strict = JSON.parse((await runCli(['validate', '--json', '--strict'], { cwd: dir })).stdout);
  expect(strict.needs).toEqual([]);
  expect(strict.problems.filter((p: { code: string }) => p.code === 'E_UNDEFINED_VAR')).toHaveLength(3);
});

test('--json on a valid file: exit 0, valid, nothing needed', async () => {
  const dir = project(YAML.replace('13h', '1h'));
  const r = await runCli(['validate', '--json'], { cwd: dir, env: { ACCOUNT: '123456789012', APP_TOKEN: 'x' } });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, problems: [], needs: [] });
});

test('--env with a missing variable exits 2, located, as exec does', async () => {
  const r = await runCli(['validate', '--env', 'prod'], { cwd: project(YAML.replace('13h', '1h')) });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('dsops.yaml:9:12: error[E_UNDEFINED_VAR] env prod, var TOKEN: uses ${APP_TOKEN}, which is not set');
  expect(r.stderr).toContain('dsops: 2 config problems; nothing was run');
});

test('--json with a YAML syntax error still prints JSON', async () => {
  const r = await runCli(['validate', '--json'], { cwd: project('version: 1\nenvs: {a: [\n') });
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout).problems[0]).toMatchObject({ code: 'E_YAML', line: expect.any(Number) });
});
