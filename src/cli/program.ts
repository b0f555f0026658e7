/**
 * The full dsops command line in yargs, built from the declaration in cli/commands.ts: help, completion,
 * --version and every usage error. Commands run the same handlers as the fast path (cli/handlers.ts).
 */
import yargs, { Argv, Options } from 'yargs';
import { CommandArgs, COMMANDS, CommandSpec, FlagSpec, GLOBAL_FLAGS } from './commands';
import type { CommandContext } from './context';
import { splitExecArgv } from './argv';
import { usageProblem } from './usage-problem';

const EXAMPLES = `Examples:
  dsops exec --env production -- ./deploy.sh     run deploy.sh with production's values
  dsops exec -e staging -- env                   see what a child receives
  dsops validate                                 check dsops.yaml (all envs), no AWS calls
  dsops plan --env production                    show the stores and the order they resolve in
  dsops whoami --env production                  who each hop is: ARN, expiry, cached or new
  dsops doctor                                   check credentials, clock, cache dir, endpoints, Node
  dsops cache list                               show cached STS sessions (never credentials)
  dsops graph --env production                   draw the stores an env reads (mermaid; --format dot)
  dsops init --pattern chain                     write a commented dsops.yaml (basic, chain, mfa, multi-region)
  dsops cache clear aws-sts-prod                 forget one store's session`;

/** Usage errors share the config's exit code: nothing was run. */
const EXIT_USAGE = 2;

const option = (f: FlagSpec): Options => ({
  type: f.type,
  describe: f.describe,
  ...(f.alias && { alias: f.alias }),
  ...(f.default !== undefined && { default: f.default }),
});

/** yargs's argv, reduced to what a handler receives: canonical flag names, positionals. */
function commandArgs(spec: CommandSpec, path: CommandSpec[], argv: Record<string, unknown>): CommandArgs {
  const flags: CommandArgs['flags'] = {};
  for (const f of [...GLOBAL_FLAGS, ...path.flatMap((c) => c.flags ?? [])]) {
    // A flag given twice arrives as an array; the last one wins, as in the fast parser.
    const v = Array.isArray(argv[f.name]) ? (argv[f.name] as unknown[]).at(-1) : argv[f.name];
    if (typeof v === 'string' || typeof v === 'boolean') flags[f.name] = v;
  }
  const listed = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const positionals = spec.passThrough
    ? listed(argv['--'])
    : spec.positional
      ? listed(argv[spec.positional.name])
      : [];
  return { flags, positionals };
}

export async function run(argv: string[], userEnv: Record<string, string | undefined>): Promise<number> {
  const { CommandContext } = require('./context') as typeof import('./context');
  const { HANDLERS } = require('./handlers') as typeof import('./handlers');
  const { report } = require('./report') as typeof import('./report');
  const { loggerFor } = require('./context') as typeof import('./context');
  let ctx: CommandContext | undefined;
  let code = 0;

  // Named here, from the declaration, before yargs: its own messages blame every word it did not expect.
  const problem = usageProblem(argv);
  if (problem) {
    loggerFor({}).error(problem.message, problem.hint);
    return EXIT_USAGE;
  }

  const addCommands = (y: Argv, specs: CommandSpec[], parents: CommandSpec[]): Argv => {
    for (const spec of specs) {
      const path = [...parents, spec];
      if (spec.builtin === 'completion') {
        y = y.completion(spec.name, spec.describe);
        continue;
      }
      // A pass-through command's line always reaches yargs behind `--` (splitExecArgv), so it declares no
      // positional: yargs would print one as `command [array] [default: []]`; the usage line says it instead.
      const word = spec.passThrough ? spec.name : spec.positional ? `${spec.name} [${spec.positional.name}..]` : spec.name;
      y = y.command(
        word,
        spec.describe,
        (sub) => {
          let s = sub;
          if (spec.usage) s = s.usage(`Usage: ${spec.usage}`);
          for (const f of spec.flags ?? []) s = s.option(f.name, option(f));
          if (spec.positional) s = s.positional(spec.positional.name, { type: 'string', array: true, describe: spec.positional.describe });
          for (const [cmd, what] of spec.examples ?? []) s = s.example(cmd, what);
          if (spec.subcommands) {
            s = addCommands(s, spec.subcommands, path);
            s = s.demandCommand(1, `name a ${spec.name} command: ${spec.subcommands.map((c) => c.name).join(' or ')}`);
          }
          return s;
        },
        spec.subcommands
          ? undefined
          : async (a: Record<string, unknown>) => {
              ctx = new CommandContext(commandArgs(spec, path, a).flags, userEnv);
              code = await HANDLERS[path.map((c) => c.name).join(' ')](ctx, commandArgs(spec, path, a));
            },
      );
    }
    return y;
  };

  let parser = yargs(splitExecArgv(argv))
    .parserConfiguration({ 'populate--': true })
    .scriptName('dsops')
    .usage('Usage: $0 <command> [options]\n\nRun commands with short-lived AWS credentials and secrets in their environment.');
  for (const f of GLOBAL_FLAGS) parser = parser.option(f.name, option(f));
  parser = addCommands(parser, COMMANDS, [])
    .demandCommand(1, `name a command: ${COMMANDS.filter((c) => !c.builtin).map((c) => c.name).join(', ')}`)
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
      loggerFor({}).error((e as Error).message, "run 'dsops --help' for usage");
      return EXIT_USAGE;
    }
    return report(e, ctx?.log ?? loggerFor({}), ctx?.source);
  }
  return code;
}
