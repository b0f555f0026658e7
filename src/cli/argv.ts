/**
 * The one argv parser, driven by the declaration in cli/commands.ts. It parses the plain forms people type
 * (`dsops -v exec -e prod -- ./deploy.sh`, `dsops cache clear --no-cache`) without loading yargs, and hands
 * anything else (help, completion, a typo, an unusual spelling) to yargs, which is built from the same
 * declaration and owns every usage error. Kept apart from cli.ts so tests can import it.
 */
import { COMMANDS, CommandArgs, CommandSpec, flagsAt, FlagSpec, GLOBAL_FLAGS, valueFlagWords, YARGS_FLAGS } from './commands';

export interface Parsed extends CommandArgs {
  /** The command's path, e.g. ['cache', 'clear']. */
  path: string[];
}

/** `ok`: run it. `yargs`: let yargs parse it (and report what is wrong with it, if anything). */
export type ParseResult = { kind: 'ok'; parsed: Parsed } | { kind: 'yargs'; reason: string };

function findFlag(flags: FlagSpec[], word: string): { spec: FlagSpec; negated: boolean } | undefined {
  for (const spec of flags) {
    if (word === `--${spec.name}` || (spec.alias && word === `-${spec.alias}`)) return { spec, negated: false };
    if (spec.type === 'boolean' && word === `--no-${spec.name}`) return { spec, negated: true };
  }
  return undefined;
}

/**
 * Parses `argv` (without node and the script) against `commands`. Flags of a command are accepted after
 * its word; global flags anywhere before a pass-through command's own command line.
 */
export function parseArgv(argv: string[], commands: CommandSpec[] = COMMANDS): ParseResult {
  const path: CommandSpec[] = [];
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  const yargs = (reason: string): ParseResult => ({ kind: 'yargs', reason });
  for (const f of GLOBAL_FLAGS) if (f.default !== undefined) flags[f.name] = f.default;
  let level = commands;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const current = path[path.length - 1];
    if (a === '--') {
      if (current?.passThrough) {
        positionals.push(...argv.slice(i + 1));
        break;
      }
      return yargs('-- outside exec');
    }
    if (a.startsWith('-') && a !== '-') {
      if (YARGS_FLAGS.has(a)) return yargs(`${a} is yargs's`);
      const eq = a.indexOf('=');
      const word = eq > 0 ? a.slice(0, eq) : a;
      const found = findFlag(flagsAt(path), word);
      if (!found) return yargs(`unknown flag ${word}`);
      const { spec, negated } = found;
      if (spec.type === 'boolean') {
        if (eq > 0) return yargs(`${word}= on a boolean`);
        flags[spec.name] = !negated;
        continue;
      }
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') return yargs(`${word} without a value`);
      flags[spec.name] = value;
      continue;
    }
    // A word: a subcommand, the child's command line, or a positional.
    if (!current || current.subcommands) {
      // Own names only: `constructor` or `toString` are not commands.
      const next = level.find((c) => c.name === a);
      if (!next) return yargs(`unknown command ${a}`);
      if (next.builtin) return yargs(`${a} is yargs's`);
      path.push(next);
      level = next.subcommands ?? [];
      continue;
    }
    if (current.passThrough) {
      positionals.push(...argv.slice(i));
      break;
    }
    if (!current.positional) return yargs(`${current.name} takes no arguments`);
    positionals.push(a);
  }
  const current = path[path.length - 1];
  if (!current) return yargs('no command');
  if (current.subcommands) return yargs(`${current.name} needs a subcommand`);
  return { kind: 'ok', parsed: { path: path.map((c) => c.name), flags, positionals } };
}

/**
 * For yargs: everything after a pass-through command's own flags belongs to the child, with or without
 * `--` (`dsops exec -e prod ./deploy.sh --env x` passes `--env x` to deploy.sh). yargs cannot stop parsing
 * inside a subcommand, so the split is made here and handed to yargs behind an explicit `--`.
 */
export function splitExecArgv(argv: string[], commands: CommandSpec[] = COMMANDS): string[] {
  const valueFlags = valueFlagWords(commands);
  let level = commands;
  let inPassThrough = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return argv;
    if (a.startsWith('-') && a !== '-') {
      if (valueFlags.has(a)) i++;
      continue;
    }
    if (inPassThrough) return [...argv.slice(0, i), '--', ...argv.slice(i)];
    const next = level.find((c) => c.name === a);
    if (!next) return argv;
    if (next.passThrough) inPassThrough = true;
    else if (!next.subcommands) return argv;
    level = next.subcommands ?? [];
  }
  return argv;
}
