/**
 * Names what is wrong with a command line, at the standard of a config error: the word, a "did you mean"
 * and the valid choices. Walks the declaration in cli/commands.ts, so the names offered are the ones that
 * parse. Stops at the first unknown command: what follows it cannot be judged (`dsops exce --env demo`
 * must not blame `--env`, which `exec` accepts).
 */
import { didYouMean } from '../config/suggest';
import { COMMANDS, CommandSpec, flagsAt, FlagSpec, YARGS_FLAGS } from './commands';

export interface UsageProblem {
  message: string;
  hint: string;
}

const flagWord = (f: FlagSpec) => `--${f.default === true ? '[no-]' : ''}${f.name}${f.alias ? ` (-${f.alias})` : ''}`;
const where = (path: CommandSpec[]) => (path.length ? `dsops ${path.map((c) => c.name).join(' ')}` : 'dsops');
const guess = (g: string | undefined) => (g ? ` (did you mean ${g}?)` : '');

/** The first problem with `argv` (without node and the script), or undefined if the declaration accepts it. */
export function usageProblem(argv: string[], commands: CommandSpec[] = COMMANDS): UsageProblem | undefined {
  const path: CommandSpec[] = [];
  let level = commands;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const current = path[path.length - 1];
    if (current?.builtin) return undefined; // completion: yargs's own
    if (a === '--') return undefined;
    if (a.startsWith('-') && a !== '-') {
      // yargs's own flags, and the words its completion script sends.
      if (YARGS_FLAGS.has(a) || a.startsWith('--get-yargs-completions')) return undefined;
      const eq = a.indexOf('=');
      const word = eq > 0 ? a.slice(0, eq) : a;
      const flags = flagsAt(path);
      const spec = flags.find((f) => word === `--${f.name}` || (f.alias !== undefined && word === `-${f.alias}`) || (f.type === 'boolean' && word === `--no-${f.name}`));
      if (!spec) {
        const names = flags.flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : []), ...(f.type === 'boolean' ? [`--no-${f.name}`] : [])]);
        return {
          message: `unknown flag ${word} for ${where(path)}${guess(didYouMean(word, names))}`,
          hint: `${where(path)} takes ${flags.map(flagWord).join(', ')}; run '${where(path)} --help' for usage`,
        };
      }
      if (spec.type === 'string' && eq < 0) {
        const value = argv[i + 1];
        if (value === undefined || (value.startsWith('-') && value !== '-')) {
          return { message: `${word} needs a value`, hint: `e.g. ${where(path)} ${word} NAME` };
        }
        i++;
      }
      continue;
    }
    if (!current || current.subcommands) {
      const next = level.find((c) => c.name === a);
      if (!next) {
        const names = level.map((c) => c.name);
        const what = current ? `${current.name} command` : 'command';
        return {
          message: `unknown ${what} "${a}"${guess(didYouMean(a, names) && `"${didYouMean(a, names)}"`)}`,
          hint: `${where(path)} commands: ${names.join(', ')}; run '${where(path)} --help' for usage`,
        };
      }
      path.push(next);
      level = next.subcommands ?? [];
      continue;
    }
    if (current.passThrough) return undefined; // the child's command line
    if (!current.positional) {
      return { message: `${where(path)} takes no arguments (got "${a}")`, hint: `run '${where(path)} --help' for usage` };
    }
  }
  return undefined;
}
