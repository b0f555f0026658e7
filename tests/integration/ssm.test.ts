/**
 * aws.ssm (issue 10) against moto: parameters read through a two-hop chain in one GetParameters call,
 * SecureStrings decrypted, a version selected, and a missing parameter named.
 */
import { ConfigError, parseConfig, resolveEnv, ResolveError } from '../../src';
import { awsEnv, callsOf, describeMoto, resetMoto, resetRecording } from '../helpers/moto';
import { seedParameters } from '../helpers/ssm';

const ACCOUNT = '222222222222';

const config = (vars: string) =>
  parseConfig(
    `version: 1
secretStores:
  jump:
    type: aws.sts
    role_arn: arn:aws:iam::111111111111:role/Jump
  target:
    type: aws.sts
    role_arn: arn:aws:iam::${ACCOUNT}:role/Target
    credentials_from: jump
  params:
    type: aws.ssm
    credentials_from: target
envs:
  e:
${vars}`,
    'dsops.yaml',
  );

describeMoto('aws.ssm against moto', () => {
  beforeEach(async () => {
    await resetMoto();
    await seedParameters(ACCOUNT, [
      { name: '/app/url', value: 'https://old.example' },
      { name: '/app/url', value: 'https://new.example' },
      { name: '/app/db/password', value: 'ssm-s3cret-value', type: 'SecureString' },
      { name: '/app/flag', value: 'on', labels: ['prod'] },
    ]);
    await resetRecording();
  });

  it('reads three parameters (a SecureString decrypted, one by version) in one GetParameters call through two hops', async () => {
    const { values } = await resolveEnv(
      config(`    URL: { from: { store: params, key: /app/url } }
    OLD_URL: { from: { store: params, key: "/app/url:1" } }
    DB_PASSWORD: { from: { store: params, key: /app/db/password } }
`),
      'e',
      { env: awsEnv() },
    );
    expect(values).toEqual({ URL: 'https://new.example', OLD_URL: 'https://old.example', DB_PASSWORD: 'ssm-s3cret-value' });
    // /app/url and /app/url:1 cannot share a call (a response names the parameter, not the selector).
    const calls = await callsOf('GetParameters');
    expect(calls).toHaveLength(2);
    const names = calls.map((c) => (JSON.parse(c.body) as { Names: string[]; WithDecryption: boolean }));
    expect(names.every((n) => n.WithDecryption)).toBe(true);
    expect(names.flatMap((n) => n.Names).sort()).toEqual(['/app/db/password', '/app/url', '/app/url:1']);
    expect(await callsOf('AssumeRole')).toHaveLength(2);
  });

  it('three distinct parameters, one selected by version, take exactly one GetParameters call', async () => {
    const { values } = await resolveEnv(
      config(`    OLD_URL: { from: { store: params, key: "/app/url:1" } }
    DB_PASSWORD: { from: { store: params, key: /app/db/password } }
    FLAG: { from: { store: params, key: "/app/flag:prod" } }
`),
      'e',
      { env: awsEnv() },
    );
    expect(values).toEqual({ OLD_URL: 'https://old.example', DB_PASSWORD: 'ssm-s3cret-value', FLAG: 'on' });
    expect(await callsOf('GetParameters')).toHaveLength(1);
  });

  it('a missing parameter is a runtime error that names the parameter and the store', async () => {
    const run = resolveEnv(config(`    X: { from: { store: params, key: /app/nope } }\n`), 'e', { env: awsEnv() });
    await expect(run).rejects.toThrow(ResolveError);
    await expect(resolveEnv(config(`    X: { from: { store: params, key: /app/nope } }\n`), 'e', { env: awsEnv() })).rejects.toThrow(
      /store params \(via jump → target\): parameter \/app\/nope not found/,
    );
  });

  it('a bad key is a located config error before any call', async () => {
    await resetRecording();
    let err: unknown;
    try {
      await resolveEnv(config(`    X: { from: { store: params, key: "/app/x:0" } }\n`), 'e', { env: awsEnv() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const [issue] = (err as ConfigError).issues;
    expect(issue).toMatchObject({ code: 'E_BAD_KEY', loc: { file: 'dsops.yaml', line: 15 } });
    expect(issue.message).toMatch(/env e, var X: parameter version "0" must be 1 or more/);
    expect(await callsOf('AssumeRole')).toHaveLength(0);
  });
});
