import type { InterpolationScope } from '../config/interpolate';
import type { ConfigSource } from '../config/source';
import { EXIT } from '../errors';
import type { Logger } from '../log';
import { CheckResult, skip } from './check';
import { checkCacheDirModes } from './cache-dir-check';
import { checkConfig } from './config-check';
import { CredentialSource, detectSource, ProfileData } from '../aws/credential-source';
import { DoctorFs, nodeFs } from './doctor-fs';
import { checkEndpoints } from './endpoints';
import { checkNodeVersion } from './node-version';
import { checkRootCredentials, IdentityDeps } from './root-credentials-check';
import { rootTargets } from './root-targets';
import { checkStaleLocks, recordedHolder } from './stale-locks';

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  load: () => ConfigSource;
  /** The source loaded so far, to locate problems found after loading. */
  current: () => ConfigSource | undefined;
  scope: InterpolationScope;
  /** The cache dir, or undefined with --no-cache (then neither it nor its locks are looked at). */
  cacheDir: string | undefined;
  nodeVersion: string;
  /** Injected: Node's end of life and lock ages are judged against it, and STS's Date header too. */
  nowMs: () => number;
  lockStaleMs: number;
  log: Logger;
  fs?: DoctorFs;
  /** ~/.aws profiles, as the SDK's loader reads them. */
  loadProfiles: () => Promise<Record<string, ProfileData>>;
  network: Omit<IdentityDeps, 'nowMs'>;
}

/** Every check in order, and the exit code: 2 for an invalid config (as validate), 1 for any failure, else 0. */
export async function runDoctor(o: DoctorOptions): Promise<{ checks: CheckResult[]; exitCode: number }> {
  const fsx = o.fs ?? nodeFs;
  const config = checkConfig(o.load, o.scope, o.current);
  const checks: CheckResult[] = [config.result];
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const started = o.nowMs();
    try {
      return await work();
    } finally {
      o.log.verbose(`doctor: ${what} took ${Math.max(0, o.nowMs() - started)} ms`);
    }
  };

  if (config.invalid) {
    // A config error means no AWS call (as everywhere in dsops): the network checks wait for the fix.
    checks.push(skip('root credentials', 'the config is invalid; fix it first'), skip('clock', 'needs an answer from STS'));
  } else {
    checks.push(...(await timed('root credentials', () => credentialChecks(o, config.stores))));
  }

  if (o.cacheDir === undefined) {
    checks.push(skip('cache dir', '--no-cache: not used'), skip('locks', '--no-cache: not used'));
  } else {
    checks.push(checkCacheDirModes(o.cacheDir, fsx));
  }
  const storeEndpoints = (config.stores ?? []).filter((s) => s.endpoint).map((s) => ({ where: `store ${s.name}`, url: s.endpoint! }));
  checks.push(checkEndpoints(o.env, storeEndpoints));
  checks.push(checkNodeVersion(o.nodeVersion, new Date(o.nowMs())));
  if (o.cacheDir !== undefined) checks.push(checkStaleLocks(o.cacheDir, o.nowMs(), o.lockStaleMs, fsx, o.fs ? undefined : recordedHolder));

  const exitCode = config.invalid ? EXIT.CONFIG : checks.some((c) => c.status === 'fail') ? EXIT.RUNTIME : EXIT.OK;
  return { checks, exitCode };
}

async function credentialChecks(o: DoctorOptions, stores: Parameters<typeof rootTargets>[0]): Promise<CheckResult[]> {
  const { targets, skip: why } = await rootTargets(stores, o.env);
  if (why) return [skip('root credentials', why), skip('clock', 'no root credentials to ask STS with')];
  let profiles: Record<string, ProfileData> = {};
  try {
    profiles = await o.loadProfiles();
  } catch (e) {
    o.log.verbose(`doctor: could not read the shared AWS config files (${(e as Error).message})`);
  }
  const results = await Promise.all(
    targets.map((t) => {
      const source: CredentialSource = detectSource(t.profile, o.env, profiles);
      const name = targets.length > 1 ? `root credentials (${t.profile ? `profile ${t.profile}` : 'default chain'})` : 'root credentials';
      return checkRootCredentials(name, t, source, o.env, { ...o.network, nowMs: o.nowMs });
    }),
  );
  const clock = results.find((r) => r.clock)?.clock ?? skip('clock', 'needs an answer from STS');
  return [...results.map((r) => r.result), clock];
}
