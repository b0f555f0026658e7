import type { SecretsManagerSpec } from './spec';
import { clientConfig, watchAttempts, withDeadline } from '../../aws/client-config';
import { describeAwsFailure, describeCallFailure, hintFor } from '../../aws/errors';
import { ResolveError } from '../../errors';
import type { ReaderDeps } from '../../store-type';

export interface SecretRequest {
  secretId: string;
  versionStage?: string;
  versionId?: string;
}

/** A secret's value: SecretString as is, SecretBinary base64-encoded. */
export type SecretValue = string;


/** Requests with the same id and version are one read. */
export function requestKey(r: SecretRequest): string {
  return `${r.secretId}\u0000${r.versionStage ?? ''}\u0000${r.versionId ?? ''}`;
}

const BATCH_MAX = 20;

/**
 * Reads every distinct secret a store needs. Two or more plain (current-version) secrets go through
 * BatchGetSecretValue, 20 a call; if Batch is denied, each is read with GetSecretValue instead.
 */
export async function readSecrets(
  spec: SecretsManagerSpec,
  requests: SecretRequest[],
  deps: ReaderDeps,
): Promise<Map<string, SecretValue>> {
  const unique = new Map<string, SecretRequest>();
  for (const r of requests) unique.set(requestKey(r), r);
  const credentials = await deps.credentials();
  const sm = await (await import('../../aws/sdk')).loadSecretsManager();
  const client = new sm.SecretsManagerClient(clientConfig({ region: deps.region, credentials, endpoint: deps.endpoint, timeoutMs: deps.timeoutMs }));
  const attempts = watchAttempts(client);
  const failure = (e: unknown) => describeCallFailure(e, attempts, deps.endpoint ?? `Secrets Manager in ${deps.region}`, deps.timeoutMs);
  const hopText = deps.hop.length > 1 ? ` (via ${deps.hop.slice(0, -1).join(' → ')})` : '';
  const out = new Map<string, SecretValue>();
  const fail = (r: SecretRequest, code: string, message: string): ResolveError =>
    new ResolveError(
      `store ${spec.name}${hopText}: reading secret ${r.secretId} failed: ${code}: ${message}`,
      'E_SECRET',
      spec.name,
      hintFor(code),
      code,
    );

  const single = async (r: SecretRequest): Promise<void> => {
    const started = Date.now();
    try {
      const command = new sm.GetSecretValueCommand({ SecretId: r.secretId, VersionStage: r.versionStage, VersionId: r.versionId });
      const res = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
      out.set(requestKey(r), valueOf(res));
      deps.log.verbose(`store ${spec.name}: GetSecretValue ${r.secretId} in ${Date.now() - started} ms`);
    } catch (e) {
      const f = failure(e);
      throw fail(r, f.code, f.detail);
    }
  };

  try {
    const plain = [...unique.values()].filter((r) => !r.versionStage && !r.versionId);
    const versioned = [...unique.values()].filter((r) => r.versionStage || r.versionId);
    const work: Promise<void>[] = versioned.map(single);
    if (plain.length >= 2) {
      for (let i = 0; i < plain.length; i += BATCH_MAX) work.push(batch(plain.slice(i, i + BATCH_MAX)));
    } else work.push(...plain.map(single));
    await Promise.all(work);
    return out;
  } finally {
    client.destroy();
  }

  async function batch(chunk: SecretRequest[]): Promise<void> {
    const started = Date.now();
    let res;
    try {
      const command = new sm.BatchGetSecretValueCommand({ SecretIdList: chunk.map((r) => r.secretId) });
      res = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
    } catch (e) {
      const f = failure(e);
      const code = f.code;
      if (code === 'AccessDeniedException' || code === 'AccessDenied') {
        deps.log.verbose(`store ${spec.name}: BatchGetSecretValue denied; reading ${chunk.length} secrets one by one`);
        await Promise.all(chunk.map(single));
        return;
      }
      throw fail(chunk[0], code, f.detail);
    }
    deps.log.verbose(`store ${spec.name}: BatchGetSecretValue ${chunk.length} secrets in ${Date.now() - started} ms`);
    // Batch answers by name and ARN; the user may have asked by either, or by a partial ARN.
    const found = res.SecretValues ?? [];
    for (const r of chunk) {
      const v = found.find((s) => s.Name === r.secretId || s.ARN === r.secretId || (s.ARN && s.ARN.startsWith(r.secretId + '-')));
      if (v) {
        out.set(requestKey(r), valueOf(v));
        continue;
      }
      const err = (res.Errors ?? []).find((x) => x.SecretId === r.secretId);
      if (err) {
        const f = describeAwsFailure({ name: err.ErrorCode ?? 'Error', message: err.Message ?? 'not returned', $fault: 'client' });
        throw fail(r, f.code, f.detail);
      }
      // Not in either list (an id form Batch did not echo): fall back to a direct read.
      await single(r);
    }
  }
}

function valueOf(v: { SecretString?: string; SecretBinary?: Uint8Array }): SecretValue {
  if (v.SecretString !== undefined) return v.SecretString;
  if (v.SecretBinary !== undefined) return Buffer.from(v.SecretBinary).toString('base64');
  return '';
}

/**
 * Picks `a.b.c` out of a JSON SecretString. Objects come out as JSON, scalars as text.
 * Returns a problem text instead of throwing, so the caller can name the store and the var.
 */
export function extractField(secret: string, field: string): { value?: string; problem?: string } {
  let cur: unknown;
  try {
    cur = JSON.parse(secret);
  } catch {
    return { problem: `the secret is not JSON, so it has no field "${field}"` };
  }
  for (const seg of field.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) {
      const keys = cur && typeof cur === 'object' ? Object.keys(cur as object) : [];
      return { problem: `field "${field}" not found in the secret${keys.length ? ` (fields there: ${keys.join(', ')})` : ''}` };
    }
    cur = (cur as Record<string, unknown>)[seg];
  }
  if (cur === null || cur === undefined) return { value: '' };
  return { value: typeof cur === 'object' ? JSON.stringify(cur) : String(cur) };
}
