/**
 * argv handling that must happen before yargs sees the arguments. Kept apart from cli.ts so it can
 * be imported (by tests) without running the CLI.
 */

const VALUE_FLAGS = new Set(['--env', '-e', '--config', '-c']);

/**
 * Everything after exec's own flags belongs to the child, with or without `--`:
 * `dsops exec -e prod ./deploy.sh --env x` must pass `--env x` to deploy.sh. yargs cannot halt
 * inside a subcommand, so the split is made here and handed to yargs behind an explicit `--`.
 */
export function splitExecArgv(argv: string[]): string[] {
  // A global flag's value (`-c dsops.yaml exec ...`) is not the command word, so skip values while looking for it.
  let at = -1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return argv;
    if (VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-')) {
      at = i;
      break;
    }
  }
  if (at < 0 || argv[at] !== 'exec') return argv;
  for (let i = at + 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return argv;
    if (!a.startsWith('-') || a === '-') return [...argv.slice(0, i), '--', ...argv.slice(i)];
    if (VALUE_FLAGS.has(a)) i++;
  }
  return argv;
}

/** What the warm path needs to run `exec` without loading yargs. */
export interface FastExec {
  config?: string;
  env?: string;
  verbose?: boolean;
  debug?: boolean;
  quiet?: boolean;
  cache?: boolean;
  refresh?: boolean;
  command: string[];
}

const FAST_BOOLEANS: Record<string, Partial<FastExec>> = {
  '-v': { verbose: true },
  '--verbose': { verbose: true },
  '--debug': { debug: true },
  '-q': { quiet: true },
  '--quiet': { quiet: true },
  '--no-cache': { cache: false },
  '--refresh': { refresh: true },
};
const FAST_VALUES: Record<string, 'config' | 'env'> = { '-c': 'config', '--config': 'config', '-e': 'env', '--env': 'env' };

/**
 * Recognises the everyday `dsops [-c F] exec [flags] [--] cmd ...` and nothing else. Loading yargs costs
 * more than the rest of a warm run, so this form skips it; anything unusual (help, a typo, another
 * command) returns undefined and goes through the full yargs parser, which owns all usage errors.
 */
export function parseFastExec(argv: string[]): FastExec | undefined {
  const out: FastExec = { command: [] };
  let seenExec = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!seenExec && a === 'exec') {
      seenExec = true;
      continue;
    }
    // Own keys only: `in` would also match Object.prototype names, so `dsops constructor exec ...` ran exec.
    if (Object.hasOwn(FAST_BOOLEANS, a)) {
      Object.assign(out, FAST_BOOLEANS[a]);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (Object.hasOwn(FAST_VALUES, flag)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') return undefined;
      out[FAST_VALUES[flag]] = value;
      continue;
    }
    if (!seenExec) return undefined;
    if (a === '--') {
      out.command = argv.slice(i + 1);
      break;
    }
    if (a.startsWith('-')) return undefined;
    out.command = argv.slice(i);
    break;
  }
  return seenExec && out.command.length ? out : undefined;
}
