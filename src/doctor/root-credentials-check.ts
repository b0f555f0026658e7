import type { CallerIdentity, CallerIdentityTarget } from '../aws/caller-identity';
import type { CredentialProvider, Credentials } from '../aws/credentials';
import { hintFor } from '../aws/errors';
import { DsopsError } from '../errors';
import { CheckResult, fail, ok } from './check';
import { checkClockSkew } from './clock-skew';
import type { CredentialSource } from '../aws/credential-source';
import type { RootTarget } from './root-targets';

/** The network half, injected: the real ones are rootCredentials() and callerIdentity(). */
export interface IdentityDeps {
  credentials(store: string, profile: string | undefined, env: Record<string, string | undefined>, timeoutMs: number): CredentialProvider;
  identity(credentials: Credentials, target: CallerIdentityTarget): Promise<CallerIdentity>;
  /** Read right after STS answers, for the skew check. */
  nowMs(): number;
}

/**
 * Gets the root credentials as a run would, then asks STS who they are (GetCallerIdentity needs no
 * permission). The ARN is printed; keys never are. The answer's Date header feeds the clock check.
 */
export async function checkRootCredentials(
  name: string,
  target: RootTarget,
  source: CredentialSource,
  env: Record<string, string | undefined>,
  deps: IdentityDeps,
): Promise<{ result: CheckResult; clock?: CheckResult }> {
  const sts = target.endpoint ?? `STS in ${target.region}`;
  let creds: Credentials;
  try {
    creds = await deps.credentials(target.store ?? 'default chain', target.profile, env, target.timeoutMs)();
  } catch (e) {
    if (source.problem) return { result: fail(name, source.problem.detail, source.problem.hint) };
    const err = e as Error;
    const msg = err.message.replace(/^store [^:]+: /, '');
    const hint = (e instanceof DsopsError ? e.hint : undefined) ?? "run 'aws sso login' or 'aws configure', or set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
    return { result: fail(name, `${source.describe}: ${msg}`, hint) };
  }
  try {
    const who = await deps.identity(creds, { region: target.region, endpoint: target.endpoint, timeoutMs: target.timeoutMs });
    const clock = checkClockSkew(who.serverDate, deps.nowMs());
    return { result: ok(name, `${source.describe} work: ${who.arn} (via ${sts})`), clock };
  } catch (e) {
    const f = (e as { failure?: { code: string; detail: string } }).failure;
    const code = f?.code ?? 'Error';
    const detail = f ? `${f.code}: ${f.detail}` : (e as Error).message;
    return {
      result: fail(name, `${source.describe}: GetCallerIdentity at ${sts} failed: ${detail}`, hintFor(code) ?? 'check the credentials, the region and the endpoint'),
    };
  }
}
