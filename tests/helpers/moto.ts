/**
 * Access to this worker's moto_server (started by global-setup.js), and helpers that talk the real
 * AWS protocol to it: reset, seeding secrets in other accounts, and counting recorded calls.
 */
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';

const urls = (process.env.DSOPS_TEST_MOTO_URLS ?? '').split(',').filter(Boolean);

/** This worker's moto URL, or undefined when moto is not installed (suites skip loudly). */
export const motoUrl: string | undefined = urls.length ? urls[(Number(process.env.JEST_WORKER_ID ?? '1') - 1) % urls.length] : undefined;

/** `describe` when moto is available, `describe.skip` otherwise. */
export const describeMoto: jest.Describe = motoUrl ? describe : describe.skip;

export const ROOT_KEY = 'AKIAIOSFODNN7EXAMPLE';

/** Environment for a process that should talk to moto with long-lived root keys. */
export function awsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: ROOT_KEY,
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: motoUrl ?? 'http://127.0.0.1:1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

async function post(path: string): Promise<void> {
  const res = await fetch(`${motoUrl}${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto ${path}: HTTP ${res.status}`);
}

/** Clears all state and the request recording. */
export async function resetMoto(): Promise<void> {
  await post('/moto-api/reset');
  await post('/moto-api/recorder/reset-recording');
  await post('/moto-api/recorder/start-recording');
}

export interface RecordedCall {
  action: string;
  /** The access key id that signed the request. */
  signedBy?: string;
  target?: string;
  params: URLSearchParams;
  body: string;
}

/** Every AWS request moto served since the last reset, in order. */
export async function recordedCalls(): Promise<RecordedCall[]> {
  const res = await fetch(`${motoUrl}/moto-api/recorder/download-recording`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const r = JSON.parse(l) as { headers: Record<string, string>; body?: string; body_encoded?: boolean };
      const body = r.body ? (r.body_encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body) : '';
      const auth = r.headers.Authorization ?? r.headers.authorization ?? '';
      const signedBy = /Credential=([A-Z0-9]+)\//.exec(auth)?.[1];
      const target = r.headers['X-Amz-Target'] ?? r.headers['x-amz-target'];
      const params = new URLSearchParams(target ? '' : body);
      const action = target ? target.split('.').pop()! : params.get('Action') ?? '';
      return { action, signedBy, target, params, body };
    });
}

/** Calls of one action, e.g. `AssumeRole`. */
export async function callsOf(action: string): Promise<RecordedCall[]> {
  return (await recordedCalls()).filter((c) => c.action === action);
}

function client<T>(Ctor: new (cfg: object) => T, creds?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): T {
  return new Ctor({
    region: 'us-east-1',
    endpoint: motoUrl,
    credentials: creds ?? { accessKeyId: ROOT_KEY, secretAccessKey: 'x' },
  });
}

/** Credentials for a role in `account` (moto maps an assumed role's keys to the account in its ARN). */
export async function roleCredentials(account: string, role = 'Seeder') {
  const out = await client(STSClient).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'seed' }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

/** Creates a secret that exists only in `account`. Seeding calls are recorded too: reset the recording after. */
export async function seedSecret(account: string, name: string, value: string | Uint8Array): Promise<void> {
  const creds = await roleCredentials(account);
  const sm = client(SecretsManagerClient, creds);
  await sm.send(
    new CreateSecretCommand(typeof value === 'string' ? { Name: name, SecretString: value } : { Name: name, SecretBinary: value }),
  );
}

/** Clears only the recording, e.g. after seeding. */
export async function resetRecording(): Promise<void> {
  await post('/moto-api/recorder/reset-recording');
  await post('/moto-api/recorder/start-recording');
}
