import { CheckResult, ok, warn } from './check';

/** The SDK's endpoint variables dsops's clients honour (see aws/endpoint.ts), most general first. */
export const ENDPOINT_VARS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SSM'];

/** An endpoint override and where it is set (`AWS_ENDPOINT_URL`, `store app`). */
export interface EndpointOverride {
  where: string;
  url: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * Lists the endpoint overrides in effect. Plain http to anything but loopback sends signed requests, and
 * the session credentials STS returns, across the network unencrypted: a warning.
 */
export function checkEndpoints(env: Record<string, string | undefined>, stores: EndpointOverride[]): CheckResult {
  const all: EndpointOverride[] = [...ENDPOINT_VARS.filter((v) => env[v]).map((v) => ({ where: v, url: env[v]! })), ...stores];
  if (!all.length) return ok('endpoints', "no overrides: AWS's regional endpoints");
  const listed = all.map((o) => `${o.where}=${o.url}`).join(', ');
  const bad = all.filter((o) => !isSafe(o.url));
  if (bad.length) {
    return warn(
      'endpoints',
      `${listed}; not https and not loopback: ${bad.map((o) => o.where).join(', ')}`,
      'requests and the credentials STS returns travel unencrypted; use https, or an emulator on 127.0.0.1',
    );
  }
  return ok('endpoints', `overridden: ${listed}`);
}

function isSafe(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.test(u.hostname));
}
