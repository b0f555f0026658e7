/**
 * `cache clear STORE`: a name that is neither in the config nor in the cache is named, with a suggestion,
 * and exits 1. Regression (issue 13): `cache clear nosuch` said "removed 0" and exited 0.
 */
import { project, runCli } from '../helpers/cli';

const YAML = `version: 1
secretStores:
  aws-sts-prod:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/A
envs:
  demo:
    K: { from: { store: aws-sts-prod, key: AccessKeyId } }
`;

describe('cache clear of named stores', () => {
  it('an unknown store is named, with the one meant, and exits 1', async () => {
    const r = await runCli(['cache', 'clear', 'aws-sts-prd'], { cwd: project(YAML) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dsops: error: cache clear: store "aws-sts-prd" is not defined in dsops.yaml and has no cached session\n');
    expect(r.stderr).toContain('  hint: did you mean "aws-sts-prod"? known stores: aws-sts-prod\n');
  });

  it('a store of the config with nothing cached is fine: exit 0', async () => {
    const r = await runCli(['cache', 'clear', 'aws-sts-prod'], { cwd: project(YAML) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('removed 0 cached sessions');
  });

  it('with no config at all, a name with no cached session is unknown', async () => {
    const r = await runCli(['cache', 'clear', 'x'], { cwd: project('', 'unused.txt') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('store "x" is not defined in the config and has no cached session');
    expect(r.stderr).toContain('hint: nothing is cached');
  });
});
