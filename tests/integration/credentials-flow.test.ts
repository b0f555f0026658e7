import { parseConfig, resolveEnv } from '../../src';
import { callsOf, describeMoto, resetMoto, resetRecording, seedSecret, awsEnv, ROOT_KEY } from '../helpers/moto';

const CHAIN = `
version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/JumpRole
  target:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/TargetRole
    credentials_from: jump
  secrets:
    type: aws.secretsmanager
    credentials_from: target
envs:
  prod:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
    DB_PASSWORD: { from: { store: secrets, key: "prod/db#password" } }
`;

describeMoto('credentials flow through credentials_from (moto)', () => {
  beforeEach(resetMoto);

  it('reads a secret that exists only in the target account, through a two-hop chain', async () => {
    await seedSecret('222222222222', 'prod/db', JSON.stringify({ password: 'only-in-222' }));
    await resetRecording();
    const { values } = await resolveEnv(parseConfig(CHAIN, 'dsops.yaml'), 'prod', { env: awsEnv() });
    expect(values.DB_PASSWORD).toBe('only-in-222');
  });

  it('signs each hop with the previous hop\'s key', async () => {
    await seedSecret('222222222222', 'prod/db', JSON.stringify({ password: 'x' }));
    await resetRecording();
    const { values } = await resolveEnv(parseConfig(CHAIN, 'dsops.yaml'), 'prod', { env: awsEnv() });
    const assumes = await callsOf('AssumeRole');
    expect(assumes.map((c) => c.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::111111111111:role/JumpRole',
      'arn:aws:iam::222222222222:role/TargetRole',
    ]);
    expect(assumes[0].signedBy).toBe(ROOT_KEY);
    // The second hop is signed by the first hop's temporary key, not the root key.
    expect(assumes[1].signedBy).toMatch(/^ASIA/);
    expect(assumes[1].signedBy).not.toBe(ROOT_KEY);
    const reads = await callsOf('GetSecretValue');
    expect(reads).toHaveLength(1);
    expect(reads[0].signedBy).toBe(values.AWS_ACCESS_KEY_ID);
  });

  it('a secret in the target account is not visible to the root account', async () => {
    await seedSecret('222222222222', 'prod/db', JSON.stringify({ password: 'x' }));
    const direct = CHAIN.replace('    credentials_from: target\nenvs', 'envs');
    await resetRecording();
    await expect(resolveEnv(parseConfig(direct, 'dsops.yaml'), 'prod', { env: awsEnv() })).rejects.toMatchObject({
      awsCode: 'ResourceNotFoundException',
      store: 'secrets',
    });
    // The read did reach AWS, signed with the root account's key: it is the account that hides the secret.
    const reads = await callsOf('GetSecretValue');
    expect(reads.map((c) => c.signedBy)).toEqual([ROOT_KEY]);
  });
});
