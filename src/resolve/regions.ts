import { resolveRegion } from '../aws/region';
import { ConfigError, ConfigIssue } from '../errors';
import type { PreparedEnv } from '../config/types';

/**
 * Every store's region, worked out before any AWS call: a missing one is a config problem (exit 2).
 * Its own `region`, else AWS_REGION/AWS_DEFAULT_REGION, else its profile's.
 */
export async function resolveRegions(prepared: PreparedEnv, env: Record<string, string | undefined>): Promise<Map<string, string>> {
  const regions = new Map<string, string>();
  const missing: ConfigIssue[] = [];
  await Promise.all(
    prepared.order.map(async (name) => {
      const spec = prepared.stores.get(name)!;
      const region = await resolveRegion(spec.region, spec.profile, env);
      if (region) regions.set(name, region);
      else {
        missing.push({
          code: 'E_NO_REGION',
          message: `store ${name}: no region: set region in the store, AWS_REGION in the environment, or a region in the AWS profile`,
          path: ['secretStores', name],
        });
      }
    }),
  );
  if (missing.length) throw new ConfigError(missing);
  return regions;
}
