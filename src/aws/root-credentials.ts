import { digest64 } from '../cache/digest';
import { ResolveError } from '../errors';
import { formatTimeout, requestHandlerOptions, MAX_ATTEMPTS, RequestTimeoutError, withDeadline } from './client-config';
import { CredentialProvider, singleFlight } from './credentials';
import { describeAwsFailure } from './errors';

export const CREDENTIALS_NOT_FOUND =
  "AWS credentials not found. Run 'aws sso login' or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.";

/**
 * Credentials for a store with no credentials_from: its profile, else the SDK's default chain
 * (env vars, AWS_PROFILE/SSO, ~/.aws files, web identity, container, instance metadata).
 */
export function rootCredentials(
  store: string,
  storeProfile: string | undefined,
  env: Record<string, string | undefined>,
  /** Bound on the whole lookup: SSO, web identity, container and instance endpoints, credential_process. */
  timeoutMs: number,
): CredentialProvider {
  // The env step reads the env dsops was given (not only process.env), so library callers and
  // tests can pass credentials explicitly. As in the JS SDK, a named profile skips this step.
  const profile = storeProfile ?? env.AWS_PROFILE;
  return singleFlight(async () => {
    if (!profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      return {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
        expiration: env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined,
      };
    }
    const { fromNodeProviderChain } = await (await import('./sdk')).loadCredentialProviders();
    try {
      // The chain's own clients (SSO, STS for web identity and source_profile) and its metadata endpoints
      // get the same per-attempt bounds as dsops's clients; the deadline bounds the lookup as a whole.
      const chain = fromNodeProviderChain({
        ...(profile ? { profile } : {}),
        // Metadata endpoints keep the SDK's 1 s connect timeout (a laptop has no instance metadata, and a
        // longer one would only delay "credentials not found"); a shorter request_timeout lowers it.
        timeout: Math.min(1000, requestHandlerOptions(timeoutMs).requestTimeout),
        clientConfig: { maxAttempts: MAX_ATTEMPTS, requestHandler: requestHandlerOptions(timeoutMs) },
      });
      return await withDeadline(timeoutMs, () => chain());
    } catch (e) {
      const err = e as Error & { name: string };
      if (e instanceof RequestTimeoutError) {
        throw new ResolveError(
          `store ${store}: loading AWS credentials failed: RequestTimeout: no credentials within ${formatTimeout(timeoutMs)} (request_timeout)`,
          'E_CREDENTIALS',
          store,
          'a credential source (SSO, web identity, container or instance metadata, credential_process) did not answer; check it, or raise request_timeout or DSOPS_REQUEST_TIMEOUT',
          'RequestTimeout',
        );
      }
      if (err.name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message)) {
        throw new ResolveError(
          `store ${store}: ${CREDENTIALS_NOT_FOUND}`,
          'E_NO_CREDENTIALS',
          store,
          storeProfile
            ? `profile "${storeProfile}" was named by the store; check it exists in ~/.aws/config`
            : profile
              ? `AWS_PROFILE=${profile} is set; check that profile exists in ~/.aws/config, or unset it`
              : undefined,
        );
      }
      // Not the provider's own error: it may quote what the source returned (a container endpoint's JSON,
      // say), which is credentials, so it is described, never quoted.
      const f = describeAwsFailure(e);
      const detail = `${f.code}: ${f.detail}`;
      throw new ResolveError(`store ${store}: loading AWS credentials failed: ${detail}`, 'E_CREDENTIALS', store);
    }
  });
}

/**
 * Who the root credentials belong to, for the session cache key, without loading the SDK or calling AWS:
 * the profile name, or a digest of the access key id, which keeps the id itself out of cache files. (The one
 * part of a session key that is not exact; two root keys would need equal 64-bit digests to share a session.)
 */
export function rootIdentity(profile: string | undefined, env: Record<string, string | undefined>): string {
  if (profile) return `profile:${profile}`;
  if (env.AWS_PROFILE) return `profile:${env.AWS_PROFILE}`;
  if (env.AWS_ACCESS_KEY_ID) return `key:${digest64(env.AWS_ACCESS_KEY_ID)}`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return `web-identity:${env.AWS_ROLE_ARN ?? ''}`;
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return 'container';
  return `profile:${env.AWS_DEFAULT_PROFILE ?? 'default'}`;
}
