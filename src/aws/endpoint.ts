/**
 * The endpoint a store's client talks to, as the SDK would pick it: the store's own `endpoint`, then
 * AWS_ENDPOINT_URL_<SERVICE> (the SDK's per-service variable, e.g. AWS_ENDPOINT_URL_SECRETS_MANAGER),
 * then AWS_ENDPOINT_URL; undefined means the SDK's default. Part of a session's identity, so sessions from
 * an emulator and from AWS never mix in the cache.
 */
export function serviceEndpoint(specEndpoint: string | undefined, env: Record<string, string | undefined>, service: string): string | undefined {
  return specEndpoint ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
}
