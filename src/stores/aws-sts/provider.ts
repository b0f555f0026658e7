import type { StsSpec } from './types';
import { readWebIdentityToken } from './web-identity-token';
import { CredentialProvider, Credentials, fromStsResponse } from '../../aws/credentials';
import { clientConfig, watchAttempts, withDeadline } from '../../aws/client-config';
import { describeCallFailure, hintFor } from '../../aws/errors';
import { DsopsError, ResolveError } from '../../errors';
import type { Logger } from '../../log';
import { isRejectedMfaCode, MfaCodes, rejectedCodeHint, withMfaRetry } from '../../resolve/mfa';

export interface StsDeps {
  /** Credentials that sign the call: the upstream store's session, or the root chain. */
  source: CredentialProvider;
  region: string;
  /** Resolved endpoint (store, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL), or the SDK default. */
  endpoint?: string;
  /** The chain of store names ending in this one, for messages: `jump → target`. */
  hop: string[];
  mfa: MfaCodes;
  log: Logger;
  /** Bound on the STS call, the SDK's retries included. */
  timeoutMs: number;
  /** How many hops the longest chain through this store has, for `hop 2 of 3`; defaults to hop.length. */
  hopTotal?: number;
}

const OPERATION_NAMES = {
  'assume-role': 'AssumeRole',
  'get-session-token': 'GetSessionToken',
  'assume-role-with-web-identity': 'AssumeRoleWithWebIdentity',
} as const;

/**
 * A provider that makes one STS call (AssumeRole, GetSessionToken or AssumeRoleWithWebIdentity) for a store.
 * It knows nothing of caching: a decorator wraps it.
 */
export function stsProvider(spec: StsSpec, deps: StsDeps): CredentialProvider {
  return async (): Promise<Credentials> => {
    // AssumeRoleWithWebIdentity is signed by its token: no source credentials are loaded or sent.
    const webToken = spec.webIdentity ? readWebIdentityToken(spec.name, spec.webIdentity) : undefined;
    const source = webToken === undefined ? await deps.source() : undefined;
    const sts = await (await import('../../aws/sdk')).loadSts();
    const client = new sts.STSClient(clientConfig({ region: deps.region, credentials: source, endpoint: deps.endpoint, timeoutMs: deps.timeoutMs }));
    const attempts = watchAttempts(client);
    const total = Math.max(deps.hopTotal ?? 0, deps.hop.length);
    const hopText = deps.hop.length > 1 ? ` (hop ${deps.hop.length} of ${total}: ${deps.hop.join(' → ')})` : '';
    const started = Date.now();
    const opName = OPERATION_NAMES[spec.operation];
    // One call for this store's operation, with the MFA code it needs (if any).
    const call = async (tokenCode: string | undefined): Promise<Credentials> => {
      type Out = { Credentials?: Parameters<typeof fromStsResponse>[0]; PackedPolicySize?: number };
      let out: Out;
      if (spec.operation === 'get-session-token') {
        const command = new sts.GetSessionTokenCommand({ DurationSeconds: spec.durationSeconds, SerialNumber: spec.serialNumber, TokenCode: tokenCode });
        out = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
      } else if (webToken !== undefined) {
        const command = new sts.AssumeRoleWithWebIdentityCommand({
          RoleArn: spec.roleArn,
          RoleSessionName: spec.roleSessionName,
          WebIdentityToken: webToken,
          DurationSeconds: spec.durationSeconds,
          Policy: spec.sessionPolicy,
          PolicyArns: spec.policyArns.length ? spec.policyArns.map((arn) => ({ arn })) : undefined,
        });
        out = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
      } else {
        const command = new sts.AssumeRoleCommand({
          RoleArn: spec.roleArn,
          RoleSessionName: spec.roleSessionName,
          DurationSeconds: spec.durationSeconds,
          ExternalId: spec.externalId,
          SerialNumber: spec.serialNumber,
          TokenCode: tokenCode,
          Policy: spec.sessionPolicy,
          PolicyArns: spec.policyArns.length ? spec.policyArns.map((arn) => ({ arn })) : undefined,
          Tags: spec.tags.length ? spec.tags : undefined,
          TransitiveTagKeys: spec.transitiveTagKeys.length ? spec.transitiveTagKeys : undefined,
          SourceIdentity: spec.sourceIdentity,
        });
        out = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
        if (out.PackedPolicySize !== undefined && out.PackedPolicySize > 90) {
          deps.log.warn(`store ${spec.name}: session policy and tags use ${out.PackedPolicySize}% of AWS's packed size limit`);
        }
      }
      return fromStsResponse(out.Credentials ?? {});
    };
    // The progress line covers the call only, never the MFA prompt it would draw over.
    const what = spec.operation === 'get-session-token' ? 'getting an MFA session' : `assuming ${roleName(spec.roleArn)}`;
    const step = (code: string | undefined) => deps.log.step(`store ${spec.name}: ${what}${total > 1 ? ` (hop ${deps.hop.length} of ${total})` : ''}…`, () => call(code));
    const mfaRequest = spec.serialNumber
      ? { store: spec.name, serialNumber: spec.serialNumber, configured: spec.tokenCode(), template: spec.tokenTemplate }
      : undefined;
    try {
      const creds = mfaRequest ? await withMfaRetry(deps.mfa, mfaRequest, step) : await step(undefined);
      deps.log.verbose(`store ${spec.name}: ${opName}${spec.roleArn ? ` ${spec.roleArn}` : ''} in ${Date.now() - started} ms${hopText}`);
      return creds;
    } catch (e) {
      // dsops's own errors (a missing MFA code, an interrupted prompt) are already what the user should see.
      if (e instanceof DsopsError) throw e;
      const { code, detail } = describeCallFailure(e, attempts, deps.endpoint ?? `STS in ${deps.region}`, deps.timeoutMs);
      const target = spec.roleArn ? ` ${spec.roleArn}` : '';
      // A code AWS rejected (after any retries) gets a hint about that code, not the generic trust-policy one.
      const mfaHint = mfaRequest && isRejectedMfaCode(e) ? rejectedCodeHint(mfaRequest, deps.mfa.sourceOf(mfaRequest)) : undefined;
      throw new ResolveError(
        `store ${spec.name}${hopText}: ${opName}${target} failed: ${code}: ${detail}`,
        'E_STS',
        spec.name,
        mfaHint ?? hintFor(code),
        code,
      );
    } finally {
      client.destroy();
    }
  };
}

/** `arn:aws:iam::1:role/path/Admin` → `Admin`: what a person calls the role. */
function roleName(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : 'the role';
}
