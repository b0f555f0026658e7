/**
 * The full dsops command line (yargs): help, completion, every command. Thin on purpose: parse flags,
 * call the library, print, map errors to exit codes. Command modules are required inside their
 * handlers so each run loads only what it uses.
 */
import yargs from 'yargs';
import type { GlobalFlags } from './context';
import { splitExecArgv } from './argv';

const EXAMPLES = `Examples:
  dsops exec --env production -- ./deploy.sh     run deploy.sh with production's values
  dsops exec -e staging -- env                   see what a child receives
  dsops validate                                 check dsops.yaml (all envs), no AWS calls
  dsops plan --env production                    show the stores and the order they resolve in
  dsops cache list                               show cached STS sessions (never credentials)
  dsops cache clear aws-sts-prod                 forget one store's session`;

export async function run(argv: string[], userEnv: Record<string, string | undefined>): Promise<number> {
  const { CommandContext } = require('./context') as typeof import('./context');
  const { report } = require('./report') as typeof import('./report');
  let ctx: InstanceType<typeof CommandContext> | undefined;
  let code = 0;
  const handle =
    <A>(fn: (ctx: InstanceType<typeof CommandContext>, args: A) => number | Promise<number>) =>
    async (args: A & GlobalFlags) => {
      ctx = new CommandContext(args, userEnv);
      code = await fn(ctx, args);
    };

  const parser = yargs(splitExecArgv(argv))
    .parserConfiguration({ 'populate--': true })
    .scriptName('dsops')
    .usage('Usage: $0 <command> [options]\n\nRun commands with short-lived AWS credentials and secrets in their environment.')
    .option('config', { alias: 'c', type: 'string', describe: 'config file (default: $DSOPS_CONFIG or ./dsops.yaml)' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'show steps and timings (never values)' })
    .option('debug', { type: 'boolean', describe: 'also show why each decision was made' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'show errors only' })
    .command(
      'exec [command..]',
      'run a command with an env\'s values injected',
      (y) =>
        y
          .usage('Usage: $0 exec --env NAME [--] command [args...]')
          .option('env', { alias: 'e', type: 'string', describe: 'env to inject (default: $DSOPS_ENV)' })
          .option('cache', { type: 'boolean', default: true, describe: 'use the STS session cache (--no-cache: neither read nor write it)' })
          .option('refresh', { type: 'boolean', describe: 'ignore cached sessions, fetch new ones and cache them' })
          .positional('command', { type: 'string', array: true })
          .example('$0 exec --env production -- ./deploy.sh --fast', 'args after -- belong to the command'),
      handle((c, a: { env?: string; cache?: boolean; refresh?: boolean; command?: string[]; '--'?: string[] }) => {
        const { execCommand } = require('./exec') as typeof import('./exec');
        const command = [...(a.command ?? []), ...(a['--'] ?? [])].map(String);
        return execCommand(c, { env: a.env, cache: a.cache, refresh: a.refresh, command });
      }),
    )
    .command(
      'validate',
      'check the config: schema, references, AWS rules (all envs, no network)',
      (y) => y,
      handle((c) => (require('./validate') as typeof import('./validate')).validateCommand(c)),
    )
    .command(
      'plan',
      'show which stores an env needs and the order they resolve in (no network, no values)',
      (y) =>
        y
          .option('env', { alias: 'e', type: 'string', describe: 'env to plan (default: $DSOPS_ENV)' })
          .option('json', { type: 'boolean', describe: 'machine-readable output on stdout' }),
      handle((c, a: { env?: string; json?: boolean }) => (require('./plan') as typeof import('./plan')).planCommand(c, a)),
    )
    .command('cache', 'inspect or clear the STS session cache', (y) =>
      y
        .command(
          'list',
          'list cached sessions: store, role, operation, expiry, file',
          (yy) => yy.option('json', { type: 'boolean', describe: 'machine-readable output on stdout' }),
          handle((c, a: { json?: boolean }) => (require('./cache') as typeof import('./cache')).cacheListCommand(c, a)),
        )
        .command(
          'clear [stores..]',
          'remove cached sessions (all, or those of the named stores)',
          (yy) => yy.positional('stores', { type: 'string', array: true }),
          handle((c, a: { stores?: string[] }) =>
            (require('./cache') as typeof import('./cache')).cacheClearCommand(c, { stores: (a.stores ?? []).map(String) }),
          ),
        )
        .demandCommand(1, 'name a cache command: list or clear'),
    )
    .completion('completion', 'print a shell completion script')
    .demandCommand(1, 'name a command: exec, validate, plan or cache')
    .strict()
    .epilogue(`${EXAMPLES}\n\nExit codes: 0 ok; 1 runtime failure (AWS, secrets); 2 config or usage error; 127 command not found;\notherwise the command's own exit code (128+N if a signal N killed it).`)
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw Object.assign(new Error(msg), { usage: true });
    });

  try {
    await parser.parseAsync();
  } catch (e) {
    if ((e as { usage?: boolean }).usage) {
      process.stderr.write(`dsops: ${(e as Error).message}\nRun 'dsops --help' for usage.\n`);
      return 2;
    }
    const { loggerFor } = require('./context') as typeof import('./context');
    return report(e, ctx?.log ?? loggerFor({}), ctx?.source);
  }
  return code;
}
