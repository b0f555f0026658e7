import { callerIdentity } from '../aws/caller-identity';
import { rootCredentials } from '../aws/root-credentials';
import { cacheDir } from '../cache/cache-dir';
import { LOCK_STALE_MS } from '../cache/cached-session';
import { loadProfiles } from '../aws/credential-source';
import { renderJson, renderText } from '../doctor/render';
import { runDoctor } from '../doctor/run-doctor';
import { CommandContext } from './context';

/**
 * `dsops doctor [--json]`: the whole set-up checked, one line a check on stdout, a hint under each problem.
 * Exit 2 for an invalid config (as validate), 1 when a check fails, else 0: warnings do not fail.
 */
export async function doctorCommand(ctx: CommandContext, args: { json?: boolean }): Promise<number> {
  const { checks, exitCode } = await runDoctor({
    env: ctx.env,
    load: () => ctx.load(),
    current: () => ctx.source,
    scope: ctx.scope(),
    cacheDir: ctx.flags.cache === false ? undefined : cacheDir(ctx.env),
    nodeVersion: process.versions.node,
    // Read when each check needs it: STS's Date is compared with the moment its answer arrived.
    nowMs: () => Date.now(),
    lockStaleMs: LOCK_STALE_MS,
    log: ctx.log,
    loadProfiles,
    network: { credentials: rootCredentials, identity: callerIdentity },
  });
  if (args.json) process.stdout.write(renderJson(checks));
  else {
    const color = process.stdout.isTTY === true && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb';
    process.stdout.write(renderText(checks, { color, quiet: ctx.log.level === 'quiet' }));
  }
  return exitCode;
}
