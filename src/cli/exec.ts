import { prepareEnv } from '../prepare';
import { DsopsError, EXIT } from '../errors';
import { childEnv } from '../exec/child-env';
import { runChild } from '../exec/run-child';
import { resolvePrepared } from '../resolve/resolve-env';
import { promptOnTty } from '../resolve/tty-prompt';
import { CommandContext } from './context';
import { sessionDecorator, CacheFlags } from './session-cache';

export interface ExecArgs extends CacheFlags {
  env?: string;
  command: string[];
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
  const source = ctx.load();
  const prepared = prepareEnv(source, envName, ctx.scope());
  const resolved = await resolvePrepared(prepared, {
    env: ctx.env,
    log: ctx.log,
    // Asked only when a code is needed: touching process.stdin would cost every warm run.
    interactive: () => require('tty').isatty(0) as boolean,
    prompt: promptOnTty,
    decorateSession: sessionDecorator(ctx, args),
  });
  const { env, removed } = childEnv(ctx.env, resolved.values);
  for (const v of prepared.vars) {
    const from = v.kind === 'literal' ? 'literal' : `store ${v.store}`;
    ctx.log.debug(`${v.name} from ${from}${v.name in ctx.env ? ' (pre-exists; replaced)' : ''}`);
  }
  if (removed.length) ctx.log.verbose(`removed ambient ${removed.join(', ')}: the injected credentials replace them`);
  ctx.log.verbose(`injecting ${prepared.vars.length} vars into ${args.command[0]}`);
  return runChild(args.command[0], args.command.slice(1), env);
}
