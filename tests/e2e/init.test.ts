/** `dsops init` and `dsops graph` through the built CLI: each pattern writes a file that validates, and never overwrites. */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { project, runCli } from '../helpers/cli';
import { PATTERNS, SCHEMA_URL } from '../../src/init/templates';

describe('dsops init', () => {
  it.each(PATTERNS.map((p) => [p]))('--pattern %s writes a commented config that passes dsops validate', async (pattern) => {
    const cwd = project('', 'unused.txt');
    const made = await runCli(['init', '--pattern', pattern], { cwd });
    expect(made.code).toBe(0);
    expect(made.stderr).toContain(`dsops: wrote dsops.yaml (pattern ${pattern})`);
    const text = fs.readFileSync(path.join(cwd, 'dsops.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SCHEMA_URL}`);
    const valid = await runCli(['validate'], { cwd });
    expect(valid.stderr).toMatch(/^dsops: dsops\.yaml: valid \(\d+ stores?, \d+ envs?\)\n$/);
    expect(valid.code).toBe(0);
  });

  it.each(PATTERNS.map((p) => [p]))('--pattern %s gives every env its AWS identity with the one aws_credentials line', async (pattern) => {
    const cwd = project('', 'unused.txt');
    await runCli(['init', '--pattern', pattern], { cwd });
    const text = fs.readFileSync(path.join(cwd, 'dsops.yaml'), 'utf8');
    // The three-line form (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the store's keys) is gone.
    expect(text).not.toMatch(/key: (AccessKeyId|SecretAccessKey|SessionToken)\b/);
    const envs = Object.keys((YAML.parse(text) as { envs: Record<string, unknown> }).envs);
    expect(envs.length).toBeGreaterThan(0);
    for (const env of envs) {
      const plan = await runCli(['plan', '--env', env, '--json'], { cwd });
      expect(plan.code).toBe(0);
      const sts = (JSON.parse(plan.stdout) as { stores: Array<{ type: string; vars: string[] }> }).stores.filter((s) => s.type === 'aws.sts');
      // Only the line injects the expiry and both region names alongside the keys.
      expect(sts.map((s) => s.vars).find((v) => v.includes('AWS_ACCESS_KEY_ID'))).toEqual(
        expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION']),
      );
    }
  });

  it('the schema line names the schema\'s own $id', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/dsops.schema.json'), 'utf8'));
    expect(SCHEMA_URL).toBe(schema.$id);
  });

  it('refuses to overwrite an existing file, which is left as it was, and exits 1', async () => {
    const cwd = project('mine: true\n');
    const r = await runCli(['init', '--pattern', 'chain'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dsops: error: init: dsops.yaml already exists; not overwriting it');
    expect(fs.readFileSync(path.join(cwd, 'dsops.yaml'), 'utf8')).toBe('mine: true\n');
  });

  it('--config names the file to write', async () => {
    const cwd = project('', 'unused.txt');
    const r = await runCli(['-c', 'ops.yaml', 'init'], { cwd });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'ops.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'dsops.yaml'))).toBe(false);
  });

  it('an unknown pattern is a usage error with the choices', async () => {
    const cwd = project('', 'unused.txt');
    const r = await runCli(['init', '--pattern', 'chian'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dsops: error: init: unknown --pattern "chian"\n  hint: did you mean "chain"? patterns: basic, chain, mfa, multi-region');
    expect(fs.existsSync(path.join(cwd, 'dsops.yaml'))).toBe(false);
  });
});

describe('dsops graph', () => {
  it('prints mermaid of dsops.yaml on stdout', async () => {
    const cwd = project('', 'unused.txt');
    await runCli(['init', '--pattern', 'chain'], { cwd });
    const r = await runCli(['graph'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  s1 -->|credentials_from| s2\n');
  });

  it('--env of an env that does not exist is a located config error', async () => {
    const cwd = project('', 'unused.txt');
    await runCli(['init', '--pattern', 'chain'], { cwd });
    const r = await runCli(['graph', '--env', 'targt'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dsops\.yaml:\d+:1: error\[E_UNKNOWN_ENV\] env "targt" is not defined in dsops\.yaml \(envs: target\)\n {4}hint: did you mean "target"\?/);
  });

  it('--format svg is a usage error', async () => {
    const cwd = project('', 'unused.txt');
    const r = await runCli(['graph', '--format', 'svg'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('formats: mermaid, dot');
  });
});
