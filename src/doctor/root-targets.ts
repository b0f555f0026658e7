import { requestTimeoutMs } from '../aws/client-config';
import { serviceEndpoint } from '../aws/endpoint';
import { resolveRegion } from '../aws/region';
import type { StoreSpec } from '../config/types';
import { STORE_TYPES } from '../stores/registry';
import { storeType } from '../store-type';

/**
 * Doctor asks STS one question; a dead endpoint should say so in seconds, not after a deploy's 30 s
 * default. A shorter request_timeout (store, top level, DSOPS_REQUEST_TIMEOUT) still wins.
 */
export const DOCTOR_TIMEOUT_MS = 10_000;

/** One set of root credentials to try, and where a run would send their first STS call. */
export interface RootTarget {
  /** The first root store using them; undefined without a config. */
  store?: string;
  /** The store's `profile:`; undefined means the default chain (which itself honours AWS_PROFILE). */
  profile?: string;
  region: string;
  /** The STS endpoint override in effect for that store, or undefined for AWS's regional endpoint. */
  endpoint?: string;
  timeoutMs: number;
}

// Asked of the store types, as the resolver does: a self-signed first hop (a web identity exchange) needs no
// root credentials, and only a store whose service is STS has an endpoint that says where STS is.
const selfSigned = (s: StoreSpec): boolean => storeType(STORE_TYPES, s.type)?.session?.selfSigned?.(s as never) === true;
const talksToSts = (s: StoreSpec | undefined): boolean => s !== undefined && storeType(STORE_TYPES, s.type)?.endpointService === 'STS';

/**
 * The distinct root credentials a config's first hops use (stores without credentials_from), one target
 * per profile, each with the region and STS endpoint its store would use; an aws.sts store is preferred as
 * the example, since its endpoint is STS's. Without a config: the default chain, AWS_REGION or us-east-1.
 * `skip` says why there is nothing to check (every first hop exchanges a web identity token).
 */
export async function rootTargets(
  stores: StoreSpec[] | undefined,
  env: Record<string, string | undefined>,
): Promise<{ targets: RootTarget[]; skip?: string }> {
  if (stores === undefined) {
    const region = (await resolveRegion(undefined, undefined, env)) ?? 'us-east-1';
    return { targets: [{ region, endpoint: serviceEndpoint(undefined, env, 'STS'), timeoutMs: Math.min(requestTimeoutMs(undefined, env), DOCTOR_TIMEOUT_MS) }] };
  }
  const roots = stores.filter((s) => !s.credentialsFrom);
  const needing = roots.filter((s) => !selfSigned(s));
  if (roots.length && !needing.length) {
    return { targets: [], skip: `not needed: every first hop (${roots.map((s) => s.name).join(', ')}) exchanges a web identity token` };
  }
  const byProfile = new Map<string | undefined, StoreSpec | undefined>();
  for (const s of needing) {
    const seen = byProfile.get(s.profile);
    if (!seen || (!talksToSts(seen) && talksToSts(s))) byProfile.set(s.profile, s);
  }
  // A config with no stores still has the default chain to check.
  if (!byProfile.size) byProfile.set(undefined, undefined);
  const targets = await Promise.all(
    [...byProfile].map(async ([profile, s]): Promise<RootTarget> => {
      const region = (await resolveRegion(s?.region, profile, env)) ?? 'us-east-1';
      // A store's own endpoint is its service's: only an STS store's says where STS is.
      const endpoint = serviceEndpoint(talksToSts(s) ? s!.endpoint : undefined, env, 'STS');
      return { store: s?.name, profile, region, endpoint, timeoutMs: Math.min(requestTimeoutMs(s?.requestTimeoutMs, env), DOCTOR_TIMEOUT_MS) };
    }),
  );
  return { targets };
}
