/**
 * operation: assume-role-with-web-identity (issue 10) against moto: a token file or a variable gives a
 * session, a chain builds on it, no root credentials are needed, and a bad token source is a clear error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, parseConfig, resolveEnv, ResolveError } from '../../src';
import { callsOf, describeMoto, motoUrl, resetMoto } from '../helpers/moto';

const CI_ROLE = 'arn:aws:iam::123456789012:role/ci-deployer';
const PROD_ROLE = 'arn:aws:iam::222222222222:role/Deploy';
// A JWT-shaped token; moto does not verify it, AWS would.
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmRzb3BzIn0.c2lnbmF0dXJl';

/** No root credentials at all: the web-identity hop must not need them. */
const bareEnv = (extra: Record<string, string> = {}) => ({
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: motoUrl ?? 'http://127.0.0.1:1',
  AWS_EC2_METADATA_DISABLED: 'true',
  HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-home-')),
  ...extra,
});

const config = (tokenLine: string) =>
  parseConfig(
    `version: 1
secretStores:
  ci:
    type: aws.sts
    operation: assume-role-with-web-identity
    role_arn: ${CI_ROLE}
    ${tokenLine}
    duration: 1h
  prod:
    type: aws.sts
    role_arn: ${PROD_ROLE}
    credentials_from: ci
envs:
  ci:
    AWS_ACCESS_KEY_ID: { from: { store: ci, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: ci, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: ci, key: SessionToken } }
  prod:
    AWS_ACCESS_KEY_ID: { from: { store: prod, key: AccessKeyId } }
    AWS_SECRET_ACCESS_KEY: { from: { store: prod, key: SecretAccessKey } }
    AWS_SESSION_TOKEN: { from: { store: prod, key: SessionToken } }
`,
    'dsops.yaml',
  );

async function whoAmI(values: Record<string, string>): Promise<string | undefined> {
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: motoUrl,
    credentials: { accessKeyId: values.AWS_ACCESS_KEY_ID, secretAccessKey: values.AWS_SECRET_ACCESS_KEY, sessionToken: values.AWS_SESSION_TOKEN },
  });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}

function tokenFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsops-token-'));
  const file = path.join(dir, 'token');
  fs.writeFileSync(file, content);
  return file;
}

describeMoto('assume-role-with-web-identity against moto', () => {
  beforeEach(resetMoto);

  it('a token file gives a session of the role, without any root credentials', async () => {
    const file = tokenFile(TOKEN + '\n');
    const { values } = await resolveEnv(config(`web_identity_token_file: ${file}`), 'ci', { env: bareEnv() });
    expect(await whoAmI(values)).toMatch(/^arn:aws:sts::123456789012:assumed-role\/ci-deployer\//);
    const [call] = await callsOf('AssumeRoleWithWebIdentity');
    expect(call.params.get('WebIdentityToken')).toBe(TOKEN);
    expect(call.params.get('RoleArn')).toBe(CI_ROLE);
    expect(call.signedBy).toBeUndefined();
  });

  it('a chain builds on it: the second hop is signed by the web-identity session', async () => {
    const { values } = await resolveEnv(config('web_identity_token: ${ACTIONS_ID_TOKEN}'), 'prod', { env: bareEnv({ ACTIONS_ID_TOKEN: TOKEN }) });
    expect(await whoAmI(values)).toMatch(/^arn:aws:sts::222222222222:assumed-role\/Deploy\//);
    expect(await callsOf('AssumeRoleWithWebIdentity')).toHaveLength(1);
    const [hop2] = await callsOf('AssumeRole');
    expect(hop2.roleArn).toBe(PROD_ROLE);
    expect(hop2.signedBy).toMatch(/^ASIA/);
  });

  it.each([
    ['a missing token file', () => `web_identity_token_file: ${path.join(os.tmpdir(), 'dsops-no-such-token')}`, /web identity token file .* not found/],
    ['an empty token file', () => `web_identity_token_file: ${tokenFile('')}`, /web identity token file .* is empty/],
    ['a directory as the token file', () => `web_identity_token_file: ${os.tmpdir()}`, /is not a regular file/],
    ['an unset token variable', () => 'web_identity_token: ${NO_SUCH_TOKEN_VAR}', /\$\{NO_SUCH_TOKEN_VAR\} is not set/],
  ])('%s is a clear runtime error naming the store, with no call made', async (_what, line, message) => {
    const run = resolveEnv(config(line()), 'ci', { env: bareEnv() });
    await expect(run).rejects.toThrow(ResolveError);
    await expect(resolveEnv(config(line()), 'ci', { env: bareEnv() })).rejects.toThrow(message);
    expect(await callsOf('AssumeRoleWithWebIdentity')).toHaveLength(0);
  });
});

describe('assume-role-with-web-identity config checks', () => {
  const problems = (store: string) => {
    try {
      parseAndPrepare(store);
    } catch (e) {
      if (e instanceof ConfigError) return e.issues.map((i) => `${i.loc?.line}: ${i.code} ${i.message}`);
      throw e;
    }
    return [];
  };
  function parseAndPrepare(store: string) {
    const { prepareAll, makeScope } = require('../../src') as typeof import('../../src');
    const src = parseConfig(`version: 1\nsecretStores:\n  w:\n    type: aws.sts\n    operation: assume-role-with-web-identity\n${store}`, 'dsops.yaml');
    return prepareAll(src, makeScope({}, new Date()));
  }

  it('a literal token is refused: it would be a secret on disk', () => {
    expect(problems(`    role_arn: ${CI_ROLE}\n    web_identity_token: eyJhbGciOi.literal.token\n`)).toEqual([
      expect.stringMatching(/^7: E_WEB_IDENTITY_TOKEN store w: web_identity_token must be a reference to a variable/),
    ]);
  });

  it('no token source, both token sources, chaining and AssumeRole-only fields are each located', () => {
    expect(problems(`    role_arn: ${CI_ROLE}\n`)).toEqual([expect.stringMatching(/E_WEB_IDENTITY_TOKEN store w: assume-role-with-web-identity needs web_identity_token_file or web_identity_token/)]);
    expect(problems(`    role_arn: ${CI_ROLE}\n    web_identity_token_file: /t\n    web_identity_token: \${T}\n`)).toEqual([
      expect.stringMatching(/^8: E_WEB_IDENTITY_TOKEN store w: set web_identity_token_file or web_identity_token, not both/),
    ]);
    expect(
      problems(`    role_arn: ${CI_ROLE}\n    web_identity_token_file: /t\n    external_id: abcdef\n    tags: { team: x }\n  root:\n    type: aws.sts\n    role_arn: ${PROD_ROLE}\n`).sort(),
    ).toEqual([
      expect.stringMatching(/^8: E_FIELD_NOT_ALLOWED store w: external_id does not apply to operation assume-role-with-web-identity/),
      expect.stringMatching(/^9: E_FIELD_NOT_ALLOWED store w: tags does not apply to operation assume-role-with-web-identity/),
    ]);
    expect(problems(`    role_arn: ${CI_ROLE}\n    web_identity_token_file: /t\n    credentials_from: root\n  root:\n    type: aws.sts\n    role_arn: ${PROD_ROLE}\n`)).toEqual([
      expect.stringMatching(/^8: E_WEB_IDENTITY_CHAINED store w: assume-role-with-web-identity is signed by its OIDC token/),
    ]);
  });

  it('STS limits are checked up front: duration and session policy', () => {
    expect(problems(`    role_arn: ${CI_ROLE}\n    web_identity_token_file: /t\n    duration_seconds: 100\n`)).toEqual([
      expect.stringMatching(/^8: E_DURATION store w: duration must be 900-43200 seconds \(got 100\)/),
    ]);
    expect(problems(`    role_arn: ${CI_ROLE}\n    web_identity_token_file: /t\n    duration: 12h\n`)).toEqual([]);
  });

  it("a relative token file is taken from the config file's folder, not from where dsops runs", () => {
    const { prepareAll, makeScope } = require('../../src') as typeof import('../../src');
    const src = parseConfig(
      `version: 1\nsecretStores:\n  w:\n    type: aws.sts\n    operation: assume-role-with-web-identity\n    role_arn: ${CI_ROLE}\n    web_identity_token_file: secrets/token\n`,
      path.join('infra', 'dsops.yaml'),
    );
    prepareAll(src, makeScope({}, new Date()));
    const { prepareStore } = require('../../src/prepare') as typeof import('../../src/prepare');
    const prepared = prepareStore(src, 'w', makeScope({}, new Date()));
    expect((prepared.stores.get('w') as import('../../src').StsSpec).webIdentity).toEqual({ file: path.join('infra', 'secrets', 'token') });
  });
});

