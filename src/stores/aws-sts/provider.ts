import type { StsSpec } from '../../config/types';
import { CredentialProvider, Credentials, fromStsResponse } from '../../aws/credentials';
import { clientConfig, watchAttempts, withDeadline } from '../../aws/client-config';
import { describeCallFailure, hintFor } from '../../aws/errors';
import { ResolveError } from '../../errors';
import type { Logger } from '../../log';
import type { MfaRequest } from '../../resolve/mfa';

export interface StsDeps {
  /** Credentials that sign the call: the upstream store's session, or the root chain. */
  source: CredentialProvider;
  region: string;
  /** Resolved endpoint (store, then AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL), or the SDK default. */
  endpoint?: string;
  /** The chain of store names ending in this one, for messages: `jump → target`. */
  hop: string[];
  mfa: (req: MfaRequest) => Promise<string>;
  log: Logger;
  /** Bound on the STS call, the SDK's retries included. */
  timeoutMs: number;
}

/**
 * A provider that makes one STS call (AssumeRole or GetSessionToken) for a store.
 * It knows nothing of caching: a decorator wraps it.
 */
export function stsProvider(spec: StsSpec, deps: StsDeps): CredentialProvider {
  return async (): Promise<Credentials> => {
    const source = await deps.source();
    const sts = await (await import('../../aws/sdk')).loadSts();
    const client = new sts.STSClient(clientConfig({ region: deps.region, credentials: source, endpoint: deps.endpoint, timeoutMs: deps.timeoutMs }));
    const attempts = watchAttempts(client);
    const hopText = deps.hop.length > 1 ? ` (hop ${deps.hop.length} of ${deps.hop.length}: ${deps.hop.join(' → ')})` : '';
    let tokenCode: string | undefined;
    if (spec.serialNumber) tokenCode = await deps.mfa({ store: spec.name, serialNumber: spec.serialNumber, configured: spec.tokenCode(), template: spec.tokenTemplate });
    const started = Date.now();
    const opName = spec.operation === 'get-session-token' ? 'GetSessionToken' : 'AssumeRole';
    try {
      let creds: Credentials;
      if (spec.operation === 'get-session-token') {
        const command = new sts.GetSessionTokenCommand({ DurationSeconds: spec.durationSeconds, SerialNumber: spec.serialNumber, TokenCode: tokenCode });
        const out = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
        creds = fromStsResponse(out.Credentials ?? {});
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
        const out = await withDeadline(deps.timeoutMs, (abortSignal) => client.send(command, { abortSignal }));
        if (out.PackedPolicySize !== undefined && out.PackedPolicySize > 90) {
          deps.log.warn(`store ${spec.name}: session policy and tags use ${out.PackedPolicySize}% of AWS's packed size limit`);
        }
        creds = fromStsResponse(out.Credentials ?? {});
      }
      deps.log.verbose(`store ${spec.name}: ${opName}${spec.roleArn ? ` ${spec.roleArn}` : ''} in ${Date.now() - started} ms${hopText}`);
      return creds;
    } catch (e) {
      if (e instanceof ResolveError) throw e;
      const { code, detail } = describeCallFailure(e, attempts, deps.endpoint ?? `STS in ${deps.region}`, deps.timeoutMs);
      const target = spec.roleArn ? ` ${spec.roleArn}` : '';
      throw new ResolveError(
        `store ${spec.name}${hopText}: ${opName}${target} failed: ${code}: ${detail}`,
        'E_STS',
        spec.name,
        hintFor(code),
        code,
      );
    } finally {
      client.destroy();
    }
  };
}
