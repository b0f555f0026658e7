import { DsopsError, EXIT } from '../errors';
import { childEnv } from '../exec/child-env';
import { runChild } from '../exec/run-child';
import type { ConfigSource } from '../config/source';
import type { PreparedEnv } from '../config/types';
import { CommandContext } from './context';
import { resolveForEnv, storeValues } from './resolve-for-env';
import { CacheFlags } from './session-cache';

export interface ExecArgs extends CacheFlags {
  env?: string;
  command: string[];
  /** --mask / --no-mask; undefined: the default (see maskByDefault). */
  mask?: boolean;
  /** --server: the child gets a refreshing credential endpoint instead of the session's keys. */
  server?: boolean;
}

/** `dsops exec --env NAME -- cmd args...` */
export async function execCommand(ctx: CommandContext, args: ExecArgs): Promise<number> {
  const envName = args.env ?? ctx.env.DSOPS_ENV;
  if (!envName) {
    throw new DsopsError('missing --env', 'E_USAGE', EXIT.CONFIG, 'try: dsops exec --env production -- ./deploy.sh (or set DSOPS_ENV)');
  }
  if (!args.command.length) {
    throw new DsopsError(
      'missing command after [dsops exec --env ' + envName + ' --]',
      'E_USAGE',
      EXIT.CONFIG,
      `try: dsops exec --env ${envName} -- yourcommand`,
    );
  }
  // --server: which session to serve is a config question, answered (exit 2) before any AWS call.
  let served: string | undefined;
  // `server: true` on the env does what --server does; --no-server is not a flag, so the env decides when it is set.
  const check = (p: PreparedEnv, source: ConfigSource) => {
    if (!(args.server ?? p.server)) return;
    served = (require('../server/served-store') as typeof import('../server/served-store')).servedStore(p, source, args.server ? 'exec --server' : `env ${p.env} (server: true)`);
  };
  const { prepared, resolved } = await resolveForEnv(ctx, envName, args, check);
  const { env, removed } = childEnv(ctx.env, resolved.values);
  if (served === undefined) return runFor(ctx, args, prepared, resolved.values, env, removed);
  const { serveChild } = require('../server/serve-child') as typeof import('../server/serve-child');
  const store = served;
  return serveChild({ ctx, envName, prepared, store, flags: args, childEnv: env }, (withServer) =>
    runFor(ctx, args, prepared, resolved.values, withServer, removed),
  );
}

function runFor(
  ctx: CommandContext,
  args: ExecArgs,
  prepared: PreparedEnv,
  values: Record<string, string>,
  env: Record<string, string>,
  removed: string[] = [],
): Promise<number> {
  for (const v of prepared.vars) {
    const from = v.kind === 'literal' ? 'literal' : `store ${v.store}`;
    ctx.log.debug(`${v.name} from ${from}${v.name in ctx.env ? ' (pre-exists; replaced)' : ''}`);
  }
  if (removed.length) ctx.log.verbose(`removed ambient ${removed.join(', ')}: the injected credentials replace them`);
  ctx.log.verbose(`injecting ${prepared.vars.length} vars into ${args.command[0]}`);
  // Decided without loading the masking code: the unmasked path is the everyday one and stays inherited stdio.
  const mask = args.mask ?? prepared.mask ?? (ctx.env.CI !== undefined && (require('../exec/mask') as typeof import('../exec/mask')).maskByDefault(ctx.env, process.stdout.isTTY === true));
  if (!mask) return runChild(args.command[0], args.command.slice(1), env);
  const { maskTargets } = require('../exec/mask') as typeof import('../exec/mask');
  const { maskedSpawner } = require('../exec/spawn-masked') as typeof import('../exec/spawn-masked');
  const targets = maskTargets(storeValues(prepared, values));
  ctx.log.verbose(`masking ${targets.length} values in the output of ${args.command[0]}`);
  return runChild(args.command[0], args.command.slice(1), env, maskedSpawner(targets));
}
