/** Types for scripts/moto-server.js, shared by the tests (TypeScript), the demo and the bench. */
import type { ChildProcess } from 'child_process';

export interface RecordedCall {
  action: string;
  /** The access key id that signed the request. */
  signedBy?: string;
  target?: string;
  params: URLSearchParams;
  roleArn?: string;
  body: string;
}
export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export const ROOT_KEY: string;
export function hasMoto(): boolean;
export function freePort(): Promise<number>;
export function startMoto(dir?: string): Promise<{ url: string; proc: ChildProcess; stop: () => void }>;
export function motoPost(url: string, path: string): Promise<void>;
export function resetRecording(url: string): Promise<void>;
export function recordedCalls(url: string): Promise<RecordedCall[]>;
export function roleCredentials(url: string, account: string, role?: string): Promise<Creds>;
export function seedSecret(url: string, account: string, name: string, value: string | Uint8Array): Promise<void>;
