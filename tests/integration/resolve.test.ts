/**
 * resolveEnv (the library) against moto: how many AWS calls one run makes. Each distinct secret is read
 * once however many vars use it, each store resolves once however many vars and stores depend on it,
 * and independent stores are each resolved.
 */
import { parseConfig, resolveEnv, ResolveError } from '../../src';
import { awsEnv, callsOf, describeMoto, RecordedCall, recordedCalls, resetMoto, resetRecording, ROOT_KEY, seedSecret } from '../helpers/moto';

const STORES = `
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
  more-secrets:
    type: aws.secretsmanager
    credentials_from: target
  other:
    type: aws.sts
    role_arn: arn:aws:iam::333333333333:role/OtherRole
  other-secrets:
    type: aws.secretsmanager
    credentials_from: other
  target-twin:
    type: aws.sts
    role_arn: arn:aws:iam::222222222222:role/TargetRole
    credentials_from: jump
`;

function config(envs: string) {
  return parseConfig(`${STORES}envs:\n${envs}`, 'dsops.yaml');
}

/** The secret ids one recorded read asked for (one for GetSecretValue, the list for Batch). */
function idsOf(c: RecordedCall): string[] {
  const body = JSON.parse(c.body) as { SecretId?: string; SecretIdList?: string[] };
  return body.SecretIdList ?? (body.SecretId !== undefined ? [body.SecretId] : []);
}

async function secretReads(): Promise<{ get: RecordedCall[]; batch: RecordedCall[]; ids: string[] }> {
  const get = await callsOf('GetSecretValue');
  const batch = await callsOf('BatchGetSecretValue');
  return { get, batch, ids: [...get, ...batch].flatMap(idsOf) };
}

describeMoto('resolveEnv against moto: call counts', () => {
  beforeEach(resetMoto);

  it('one secret used by many vars is read once', async () => {
    await seedSecret('222222222222', 'app/db', JSON.stringify({ user: 'u', password: 'p', host: { name: 'h', port: 5432 } }));
    await resetRecording();
    const cfg = config(`
  prod:
    DB_USER: { from: { store: secrets, key: "app/db#user" } }
    DB_PASSWORD: { from: { store: secrets, key: "app/db#password" } }
    DB_HOST: { from: { store: secrets, key: "app/db#host.name" } }
    DB_PORT: { from: { store: secrets, key: "app/db#host.port" } }
    DB_JSON: { from: { store: secrets, key: "app/db" } }
`);
    const { values } = await resolveEnv(cfg, 'prod', { env: awsEnv() });
    expect(values).toEqual({
      DB_USER: 'u',
      DB_PASSWORD: 'p',
      DB_HOST: 'h',
      DB_PORT: '5432',
      DB_JSON: JSON.stringify({ user: 'u', password: 'p', host: { name: 'h', port: 5432 } }),
    });
    const reads = await secretReads();
    expect(reads.ids).toEqual(['app/db']);
    expect(reads.get.length + reads.batch.length).toBe(1);
  });

  it('several distinct secrets, each used by several vars: each id is requested exactly once', async () => {
    for (const name of ['app/a', 'app/b', 'app/c']) await seedSecret('222222222222', name, JSON.stringify({ x: `${name}-x`, y: `${name}-y` }));
    await resetRecording();
    const vars = ['a', 'b', 'c'].flatMap((s) =>
      ['x', 'y'].map((f) => `    ${s.toUpperCase()}_${f.toUpperCase()}: { from: { store: secrets, key: "app/${s}#${f}" } }`),
    );
    const { values } = await resolveEnv(config(`  prod:\n${vars.join('\n')}\n`), 'prod', { env: awsEnv() });
    expect(values).toEqual({
      A_X: 'app/a-x', A_Y: 'app/a-y', B_X: 'app/b-x', B_Y: 'app/b-y', C_X: 'app/c-x', C_Y: 'app/c-y',
    });
    const reads = await secretReads();
    expect([...reads.ids].sort()).toEqual(['app/a', 'app/b', 'app/c']);
    // Three plain secrets of one store go in one batch.
    expect(reads.batch).toHaveLength(1);
    expect(reads.get).toHaveLength(0);
  });

  it('the same secret at a pinned version is a separate read, but still only one per distinct version', async () => {
    await seedSecret('222222222222', 'app/db', JSON.stringify({ password: 'p' }));
    await resetRecording();
    const cfg = config(`
  prod:
    CUR_1: { from: { store: secrets, key: "app/db#password" } }
    CUR_2: { from: { store: secrets, key: "app/db" } }
    STAGED_1: { from: { store: secrets, key: "app/db#password", version_stage: AWSCURRENT } }
    STAGED_2: { from: { store: secrets, key: "app/db", version_stage: AWSCURRENT } }
`);
    const { values } = await resolveEnv(cfg, 'prod', { env: awsEnv() });
    expect(values).toEqual({ CUR_1: 'p', CUR_2: '{"password":"p"}', STAGED_1: 'p', STAGED_2: '{"password":"p"}' });
    const reads = await secretReads();
    expect(reads.get).toHaveLength(2);
    expect(reads.batch).toHaveLength(0);
    const stages = reads.get.map((c) => (JSON.parse(c.body) as { VersionStage?: string }).VersionStage ?? null).sort();
    expect(stages).toEqual(['AWSCURRENT', null]);
  });

  it('the same secret name in two stores is read once per store', async () => {
    await seedSecret('222222222222', 'app/db', JSON.stringify({ password: 'p' }));
    await resetRecording();
    const cfg = config(`
  prod:
    A: { from: { store: secrets, key: "app/db#password" } }
    B: { from: { store: more-secrets, key: "app/db#password" } }
    C: { from: { store: more-secrets, key: "app/db" } }
`);
    const { values } = await resolveEnv(cfg, 'prod', { env: awsEnv() });
    expect(values).toEqual({ A: 'p', B: 'p', C: '{"password":"p"}' });
    const reads = await secretReads();
    expect(reads.ids).toEqual(['app/db', 'app/db']);
  });

  it('each store resolves once, however many vars and stores depend on it (single-flight)', async () => {
    await seedSecret('222222222222', 'app/a', 'A');
    await seedSecret('222222222222', 'app/b', 'B');
    await resetRecording();
    const cfg = config(`
  prod:
    AWS_ACCESS_KEY_ID: { from: { store: target, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: target, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: target, key: SessionToken } }
    AWS_CREDENTIAL_EXPIRATION: { from: { store: target, key: Expiration } }
    JUMP_KEY: { from: { store: jump, key: AccessKeyId } }
    A: { from: { store: secrets, key: app/a } }
    B: { from: { store: more-secrets, key: app/b } }
`);
    const { values } = await resolveEnv(cfg, 'prod', { env: awsEnv() });
    const assumes = await callsOf('AssumeRole');
    expect(assumes.map((c) => c.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::111111111111:role/JumpRole',
      'arn:aws:iam::222222222222:role/TargetRole',
    ]);
    expect(assumes[0].signedBy).toBe(ROOT_KEY);
    expect(assumes[1].signedBy).toBe(values.JUMP_KEY);
    expect(values.A).toBe('A');
    expect(values.B).toBe('B');
    expect(values.AWS_CREDENTIAL_EXPIRATION).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Both secrets stores signed with the one target session that the env also injects.
    const reads = (await recordedCalls()).filter((c) => c.action === 'GetSecretValue' || c.action === 'BatchGetSecretValue');
    expect(reads).toHaveLength(2);
    for (const r of reads) expect(r.signedBy).toBe(values.AWS_ACCESS_KEY_ID);
  });

  it('two stores with an identical session share one AssumeRole', async () => {
    const cfg = config(`
  prod:
    A: { from: { store: target, key: AccessKeyId } }
    B: { from: { store: target-twin, key: AccessKeyId } }
`);
    const { values } = await resolveEnv(cfg, 'prod', { env: awsEnv() });
    expect(values.A).toMatch(/^ASIA/);
    expect(values.B).toBe(values.A);
    expect((await callsOf('AssumeRole')).map((c) => c.params.get('RoleArn'))).toEqual([
      'arn:aws:iam::111111111111:role/JumpRole',
      'arn:aws:iam::222222222222:role/TargetRole',
    ]);
  });

  it('independent stores are both resolved, each from the root credentials', async () => {
    await seedSecret('222222222222', 'app/where', 'in-222');
    await seedSecret('333333333333', 'app/where', 'in-333');
    await resetRecording();
    const cfg = config(`
  prod:
    VIA_TARGET: { from: { store: secrets, key: app/where } }
    VIA_OTHER: { from: { store: other-secrets, key: app/where } }
    TARGET_KEY: { from: { store: target, key: AccessKeyId } }
    OTHER_KEY: { from: { store: other, key: AccessKeyId } }
`);
    const { values } = await resolveEnv(cfg, 'prod', { env: awsEnv() });
    expect(values.VIA_TARGET).toBe('in-222');
    expect(values.VIA_OTHER).toBe('in-333');
    expect(values.TARGET_KEY).not.toBe(values.OTHER_KEY);
    const assumes = await callsOf('AssumeRole');
    const byRole = new Map(assumes.map((c) => [c.params.get('RoleArn'), c.signedBy]));
    expect(assumes).toHaveLength(3);
    expect(byRole.get('arn:aws:iam::111111111111:role/JumpRole')).toBe(ROOT_KEY);
    expect(byRole.get('arn:aws:iam::333333333333:role/OtherRole')).toBe(ROOT_KEY);
    const targetSigner = byRole.get('arn:aws:iam::222222222222:role/TargetRole');
    expect(targetSigner).toMatch(/^ASIA/);
    const reads = (await recordedCalls()).filter((c) => c.action === 'GetSecretValue');
    expect(reads.map((r) => r.signedBy).sort()).toEqual([values.OTHER_KEY, values.TARGET_KEY].sort());
  });

  it('a missing secret fails the run with the store and AWS code; two vars on it still cost one read', async () => {
    await seedSecret('222222222222', 'app/a', JSON.stringify({ x: 1 }));
    await resetRecording();
    const cfg = config(`
  prod:
    A: { from: { store: secrets, key: "app/a#x" } }
    MISSING_1: { from: { store: secrets, key: "app/missing#x" } }
    MISSING_2: { from: { store: secrets, key: "app/missing#y" } }
`);
    const err = await resolveEnv(cfg, 'prod', { env: awsEnv() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ResolveError);
    expect(err).toMatchObject({ store: 'secrets', awsCode: 'ResourceNotFoundException' });
    expect((err as Error).message).toContain('app/missing');
    expect((await callsOf('AssumeRole'))).toHaveLength(2);
    // Two vars name app/missing: it was still asked for once.
    const reads = await secretReads();
    expect(reads.ids.filter((id) => id === 'app/missing')).toHaveLength(1);
  });
});
