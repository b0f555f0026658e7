import { parseArgv, splitExecArgv } from '../../src/cli/argv';
import { COMMANDS, CommandSpec, GLOBAL_FLAGS } from '../../src/cli/commands';
import { HANDLERS } from '../../src/cli/handlers';

describe('splitExecArgv', () => {
  it.each([
    // [argv, expected]
    [['exec', '-e', 'prod', './deploy.sh', '--env', 'x'], ['exec', '-e', 'prod', '--', './deploy.sh', '--env', 'x']],
    [['exec', '--env', 'prod', 'cmd'], ['exec', '--env', 'prod', '--', 'cmd']],
    [['exec', '--env=prod', 'cmd', '-v'], ['exec', '--env=prod', '--', 'cmd', '-v']],
    [['exec', '-e', 'prod', '-v', '--debug', '--no-cache', '--refresh', 'cmd', '--debug'], ['exec', '-e', 'prod', '-v', '--debug', '--no-cache', '--refresh', '--', 'cmd', '--debug']],
    [['exec', '-c', 'dsops.yaml', '-e', 'prod', 'cmd'], ['exec', '-c', 'dsops.yaml', '-e', 'prod', '--', 'cmd']],
    [['exec', '--config', 'dsops.yaml', 'cmd', '--config', 'x'], ['exec', '--config', 'dsops.yaml', '--', 'cmd', '--config', 'x']],
    // DSOPS_ENV: no --env at all, the first word is the command.
    [['exec', 'cmd', '--env', 'x'], ['exec', '--', 'cmd', '--env', 'x']],
    // A command whose name is another dsops command is still the child's.
    [['exec', '-e', 'prod', 'plan', '--json'], ['exec', '-e', 'prod', '--', 'plan', '--json']],
    [['exec', '-e', 'prod', 'exec', '-e', 'x'], ['exec', '-e', 'prod', '--', 'exec', '-e', 'x']],
    // `-` alone is an argument, not a flag.
    [['exec', '-e', 'prod', '-', 'x'], ['exec', '-e', 'prod', '--', '-', 'x']],
  ])('inserts -- before the command: %j', (argv, expected) => {
    expect(splitExecArgv(argv)).toEqual(expected);
  });

  it.each([
    [['-v', 'exec', '-e', 'prod', 'cmd', '-v'], ['-v', 'exec', '-e', 'prod', '--', 'cmd', '-v']],
    [['--debug', '--quiet', 'exec', 'cmd'], ['--debug', '--quiet', 'exec', '--', 'cmd']],
    // A global flag's value is not the command word.
    [['-c', 'dsops.yaml', 'exec', '-e', 'prod', 'cmd', '--env', 'x'], ['-c', 'dsops.yaml', 'exec', '-e', 'prod', '--', 'cmd', '--env', 'x']],
    [['--config', 'other.yaml', '-v', 'exec', 'cmd'], ['--config', 'other.yaml', '-v', 'exec', '--', 'cmd']],
    [['--config=other.yaml', 'exec', 'cmd', '-c', 'y'], ['--config=other.yaml', 'exec', '--', 'cmd', '-c', 'y']],
  ])('global flags before exec: %j', (argv, expected) => {
    expect(splitExecArgv(argv)).toEqual(expected);
  });

  it.each([
    // Already split by the user.
    [['exec', '-e', 'prod', '--', 'cmd', '--env', 'x']],
    [['exec', '--', 'cmd']],
    [['-c', 'f.yaml', 'exec', '-e', 'prod', '--', 'cmd']],
    // No command (exec reports that itself).
    [['exec', '-e', 'prod']],
    [['exec', '-e', 'prod', '-v']],
    [['exec']],
    [['exec', '-e']],
    [[]],
    // Other commands are left to yargs.
    [['plan', '--env', 'prod', '--json']],
    [['cache', 'clear', 'a', 'b']],
    [['validate', '-c', 'exec']],
    [['--help']],
    // `exec` as the config file's name is not the exec command.
    [['-c', 'exec', 'plan', '-e', 'prod']],
    [['--config', 'exec', 'validate']],
    // `exec` after a `--` is not the command word either.
    [['--', 'exec', 'cmd']],
  ])('leaves %j unchanged', (argv) => {
    expect(splitExecArgv(argv)).toEqual(argv);
  });

  it('does not modify its argument', () => {
    const argv = ['exec', '-e', 'prod', 'cmd', '--env', 'x'];
    const copy = [...argv];
    splitExecArgv(argv);
    expect(argv).toEqual(copy);
  });
});

/** parseArgv's result for a line it parses itself, in the old fast path's terms. */
function fast(argv: string[]) {
  const r = parseArgv(argv);
  if (r.kind !== 'ok') return undefined;
  const { path, flags, positionals } = r.parsed;
  return { path: path.join(' '), flags, positionals };
}
const defaults = { cache: true };

describe('parseArgv: exec without yargs', () => {
  it.each([
    [['exec', '-e', 'prod', './deploy.sh', '--env', 'x'], { env: 'prod' }, ['./deploy.sh', '--env', 'x']],
    [['exec', '--env', 'prod', '--', 'cmd', '-v', '--', 'z'], { env: 'prod' }, ['cmd', '-v', '--', 'z']],
    [['exec', '--env=prod', 'cmd'], { env: 'prod' }, ['cmd']],
    [['exec', '-e=prod', 'cmd'], { env: 'prod' }, ['cmd']],
    [['exec', 'cmd', '--env', 'x'], {}, ['cmd', '--env', 'x']],
    [['-c', 'other.yaml', 'exec', '-e', 'p', 'cmd', '-c', 'y'], { config: 'other.yaml', env: 'p' }, ['cmd', '-c', 'y']],
    [['--config=other.yaml', '-v', 'exec', 'cmd'], { config: 'other.yaml', verbose: true }, ['cmd']],
    [['exec', '-e', 'p', '-v', '--debug', '-q', '--no-cache', '--refresh', 'cmd', '--debug'], { env: 'p', verbose: true, debug: true, quiet: true, cache: false, refresh: true }, ['cmd', '--debug']],
    [['exec', '--verbose', '--quiet', 'cmd'], { verbose: true, quiet: true }, ['cmd']],
    [['exec', '--cache', '-e', 'p', 'cmd'], { env: 'p', cache: true }, ['cmd']],
    [['--no-cache', 'exec', '-e', 'p', 'cmd'], { env: 'p', cache: false }, ['cmd']],
    // A command named like a dsops command, or like exec itself, is the child's.
    [['exec', '-e', 'p', 'plan', '--json'], { env: 'p' }, ['plan', '--json']],
    [['exec', '-e', 'p', 'exec', '-e', 'q', 'x'], { env: 'p' }, ['exec', '-e', 'q', 'x']],
    // `exec` as the config file's name is a value, not the command word.
    [['-c', 'exec', 'exec', 'cmd'], { config: 'exec' }, ['cmd']],
    // Names that exist on Object.prototype are ordinary words.
    [['exec', '-e', 'p', 'constructor', 'toString'], { env: 'p' }, ['constructor', 'toString']],
    [['exec', '-e', 'p', '__proto__'], { env: 'p' }, ['__proto__']],
    // A lone `-` is a word: the command (as yargs, after splitExecArgv, takes it too).
    [['exec', '-e', 'p', '-', 'x'], { env: 'p' }, ['-', 'x']],
    // exec checks for a missing command itself, with its own hint.
    [['exec', '-e', 'p'], { env: 'p' }, []],
    [['exec', '-e', 'p', '--'], { env: 'p' }, []],
  ])('%j', (argv, flags, command) => {
    expect(fast(argv)).toEqual({ path: 'exec', flags: { ...defaults, ...flags }, positionals: command });
  });

  it('does not modify its argument', () => {
    const argv = ['-c', 'f.yaml', 'exec', '-e', 'prod', 'cmd', '--env', 'x'];
    const copy = [...argv];
    const parsed = parseArgv(argv);
    expect(argv).toEqual(copy);
    if (parsed.kind === 'ok') parsed.parsed.positionals.push('more');
    expect(argv).toEqual(copy);
  });
});

describe('parseArgv: every command, with any global flag (regression: `cache clear --no-cache` was an unknown argument)', () => {
  it.each([
    [['cache', 'clear', '--no-cache'], 'cache clear', { cache: false }, []],
    [['--no-cache', 'cache', 'clear', 'a', 'b'], 'cache clear', { cache: false }, ['a', 'b']],
    [['cache', 'clear', 'a', '-v', 'b', '--debug'], 'cache clear', { verbose: true, debug: true }, ['a', 'b']],
    [['-v', 'cache', 'list'], 'cache list', { verbose: true }, []],
    [['cache', '-q', 'list', '--json', '-c', 'x.yaml'], 'cache list', { quiet: true, json: true, config: 'x.yaml' }, []],
    [['validate', '--no-cache', '-c', 'exec'], 'validate', { cache: false, config: 'exec' }, []],
    [['plan', '--env', 'p', '--json', '--debug'], 'plan', { env: 'p', json: true, debug: true }, []],
    [['-q', 'plan', '-e=p'], 'plan', { quiet: true, env: 'p' }, []],
  ])('%j', (argv, path, flags, positionals) => {
    expect(fast(argv)).toEqual({ path, flags: { ...defaults, ...flags }, positionals });
  });

  it.each([
    // Nothing to run, or yargs's own business: help, version, completion.
    [[]],
    [['cache']],
    [['--help']],
    [['exec', '--help']],
    [['exec', '-h', 'cmd']],
    [['--version', 'exec', 'cmd']],
    [['cache', 'clear', '--help']],
    [['completion']],
    // Typos, unknown flags, combined short flags, unusual spellings: yargs reports or handles them.
    [['exce', '-e', 'p', 'cmd']],
    [['exec', '--evn', 'p', 'cmd']],
    [['exec', '-vq', '-e', 'p', 'cmd']],
    [['exec', '--verbose=true', 'cmd']],
    [['validate', 'extra']],
    [['plan', '--refresh']],
    [['cache', 'list', '--env', 'p']],
    [['cache', 'clear', '--', 'a']],
    // A value flag with no value.
    [['exec', '-e']],
    [['exec', '--env=', 'cmd']],
    [['exec', '-c', '', 'cmd']],
    // A word before exec is another command (or a typo), not a flag; exec's own flags come after it.
    [['constructor', 'exec', 'cmd']],
    [['toString', 'exec', '-e', 'p', 'cmd']],
    [['plan', 'exec', 'cmd']],
    [['-', 'exec', 'cmd']],
    [['-e', 'p', 'exec', 'cmd']],
  ])('%j is left to yargs', (argv) => {
    expect(parseArgv(argv).kind).toBe('yargs');
  });
});

describe('the declaration (cli/commands.ts)', () => {
  const leaves = (cs: CommandSpec[], prefix: string[] = []): string[] =>
    cs.flatMap((c) => (c.builtin ? [] : c.subcommands ? leaves(c.subcommands, [...prefix, c.name]) : [[...prefix, c.name].join(' ')]));

  it('every command has a handler, and every handler a command', () => {
    expect(leaves(COMMANDS).sort()).toEqual(Object.keys(HANDLERS).sort());
  });

  it('no flag name or alias is declared twice where both could apply', () => {
    const walk = (cs: CommandSpec[], inherited: string[]): string[] =>
      cs.flatMap((c) => {
        const words = [...inherited, ...(c.flags ?? []).flatMap((f) => [f.name, f.alias ?? []].flat())];
        const dup = words.filter((w, i) => words.indexOf(w) !== i);
        return [...dup.map((d) => `${c.name}: ${d}`), ...walk(c.subcommands ?? [], words)];
      });
    expect(walk(COMMANDS, GLOBAL_FLAGS.flatMap((f) => [f.name, f.alias ?? []].flat()))).toEqual([]);
  });
});
