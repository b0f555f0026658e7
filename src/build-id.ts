// Replaced by scripts/build.js in the bundles; absent when running from tsc's output or ts-jest.
declare const __DSOPS_BUILD_ID__: string | undefined;

/** The content id of this dsops build (see scripts/build.js), or undefined outside the bundles. */
export const BUILD_ID: string | undefined = typeof __DSOPS_BUILD_ID__ === 'string' ? __DSOPS_BUILD_ID__ : undefined;

const BANNER = '//dsops-build:';

/** The id stamped on the first line of a bundle's source, if any. */
export function bannerBuildId(source: string): string | undefined {
  if (!source.startsWith(BANNER)) return undefined;
  const id = source.slice(BANNER.length, source.indexOf('\n'));
  return /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}
