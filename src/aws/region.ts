/**
 * The region a store uses: its own `region`, else AWS_REGION/AWS_DEFAULT_REGION, else the profile's region.
 * The profile is read only when nothing closer names a region, so the common case costs no file read.
 */
export async function resolveRegion(
  storeRegion: string | undefined,
  profile: string | undefined,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  if (storeRegion) return storeRegion;
  if (env.AWS_REGION) return env.AWS_REGION;
  if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
  const { loadConfig, NODE_REGION_CONFIG_OPTIONS } = await (await import('./sdk')).loadSharedConfig();
  try {
    return (await loadConfig(NODE_REGION_CONFIG_OPTIONS, { profile: profile ?? env.AWS_PROFILE })()) as string | undefined;
  } catch {
    return undefined;
  }
}
