/**
 * Access to this worker's moto_server (started by global-setup.js), and helpers that talk the real
 * AWS protocol to it: reset, seeding secrets in other accounts, and counting recorded calls.
 */
import * as moto from '../../scripts/moto-server';
export type { RecordedCall } from '../../scripts/moto-server';

const urls = (process.env.DSOPS_TEST_MOTO_URLS ?? '').split(',').filter(Boolean);

/** This worker's moto URL, or undefined when moto is not installed (suites skip loudly). */
export const motoUrl: string | undefined = urls.length ? urls[(Number(process.env.JEST_WORKER_ID ?? '1') - 1) % urls.length] : undefined;

/** `describe` when moto is available, `describe.skip` otherwise. */
export const describeMoto: jest.Describe = motoUrl ? describe : describe.skip;

export const ROOT_KEY = moto.ROOT_KEY;

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

/** This worker's server; the helpers below are scripts/moto-server.js bound to it. */
function url(): string {
  if (!motoUrl) throw new Error('moto_server is not running');
  return motoUrl;
}

/** Clears all state and the request recording. */
export async function resetMoto(): Promise<void> {
  await moto.motoPost(url(), '/moto-api/reset');
  await moto.resetRecording(url());
}

/** Clears only the recording, e.g. after seeding. */
export const resetRecording = (): Promise<void> => moto.resetRecording(url());

/** Every AWS request moto served since the last reset, in order. */
export const recordedCalls = (): Promise<moto.RecordedCall[]> => moto.recordedCalls(url());

/** Calls of one action, e.g. `AssumeRole`. */
export async function callsOf(action: string): Promise<moto.RecordedCall[]> {
  return (await recordedCalls()).filter((c) => c.action === action);
}

/** Credentials for a role in `account` (moto maps an assumed role's keys to the account in its ARN). */
export const roleCredentials = (account: string, role?: string): Promise<moto.Creds> => moto.roleCredentials(url(), account, role);

/** Creates a secret that exists only in `account`. Seeding calls are recorded too: reset the recording after. */
export const seedSecret = (account: string, name: string, value: string | Uint8Array): Promise<void> =>
  moto.seedSecret(url(), account, name, value);
