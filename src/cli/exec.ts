import { DsopsError, EXIT } from '../errors';
import { childEnv } from '../exec/child-env';
import { runChild } from '../exec/run-child';
import { CommandContext } from './context';
import { resolveForEnv, storeValues } from './resolve-for-env';
import { CacheFlags } from './session-cache';

export interface ExecArgs extends CacheFlags {
  env?: string;
  command: string[];
  /** --mask / --no-mask; undefined: the default (see maskByDefault). */
  mask?: boolean;
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
  const { prepared, resolved } = await resolveForEnv(ctx, envName, args);
  const { env, removed } = childEnv(ctx.env, resolved.values);
  for (const v of prepared.vars) {
    const from = v.kind === 'literal' ? 'literal' : `store ${v.store}`;
    ctx.log.debug(`${v.name} from ${from}${v.name in ctx.env ? ' (pre-exists; replaced)' : ''}`);
  }
  if (removed.length) ctx.log.verbose(`removed ambient ${removed.join(', ')}: the injected credentials replace them`);
  ctx.log.verbose(`injecting ${prepared.vars.length} vars into ${args.command[0]}`);
  // Decided without loading the masking code: the unmasked path is the everyday one and stays inherited stdio.
  const mask = args.mask ?? (ctx.env.CI !== undefined && (require('../exec/mask') as typeof import('../exec/mask')).maskByDefault(ctx.env, process.stdout.isTTY === true));
  if (!mask) return runChild(args.command[0], args.command.slice(1), env);
  const { maskTargets } = require('../exec/mask') as typeof import('../exec/mask');
  const { maskedSpawner } = require('../exec/spawn-masked') as typeof import('../exec/spawn-masked');
  const targets = maskTargets(storeValues(prepared, resolved.values));
  ctx.log.verbose(`masking ${targets.length} values in the output of ${args.command[0]}`);
  return runChild(args.command[0], args.command.slice(1), env, maskedSpawner(targets));
}
