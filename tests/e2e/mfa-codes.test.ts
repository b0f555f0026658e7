/**
 * MFA codes that do not come from the prompt, through the built CLI against moto. Regressions (issue 13):
 * `MFA_TOKEN=12345` was sent to AWS unchecked, and the no-terminal hint said MFA_TOKEN for a store that
 * reads ${MFA_CODE}.
 */
import { project, runCli } from '../helpers/cli';
import { awsEnv, callsOf, describeMoto, resetMoto } from '../helpers/moto';

const yaml = (tokenCode: string) => `version: 1
secretStores:
  mfa:
    type: aws.sts
    operation: get-session-token
    serial_number: arn:aws:iam::123456789012:mfa/alice
    token_code: ${tokenCode}
envs:
  prod:
    KEY: { from: { store: mfa, key: AccessKeyId } }
`;

describeMoto('MFA codes from the environment (moto)', () => {
  beforeEach(resetMoto);

  it.each([['12345'], ['abcdef'], ['123 456']])('MFA_TOKEN=%j is refused before any call, naming the store and the variable', async (code) => {
    const cwd = project(yaml('${MFA_TOKEN}'));
    const r = await runCli(['exec', '--env', 'prod', '--', 'true'], { cwd, env: awsEnv({ MFA_TOKEN: code }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dsops: error: store mfa: the MFA code from MFA_TOKEN (token_code: ${MFA_TOKEN}) must be exactly 6 digits');
    expect(r.stderr).not.toContain(code);
    expect(await callsOf('GetSessionToken')).toHaveLength(0);
  });

  it('with no terminal, the hint names MFA_CODE for a store that reads ${MFA_CODE}', async () => {
    const cwd = project(yaml('${MFA_CODE}'));
    const r = await runCli(['exec', '--env', 'prod', '--', 'true'], { cwd, env: awsEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: run with MFA_CODE=<6-digit code> in the environment');
    expect(r.stderr).not.toContain('MFA_TOKEN');
    expect(await callsOf('GetSessionToken')).toHaveLength(0);
  });
});
