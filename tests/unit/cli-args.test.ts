import { parseFastExec, splitExecArgv } from '../../src/cli/argv';

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

describe('parseFastExec (exec without yargs)', () => {
  it.each([
    [['exec', '-e', 'prod', './deploy.sh', '--env', 'x'], { env: 'prod', command: ['./deploy.sh', '--env', 'x'] }],
    [['exec', '--env', 'prod', '--', 'cmd', '-v', '--', 'z'], { env: 'prod', command: ['cmd', '-v', '--', 'z'] }],
    [['exec', '--env=prod', 'cmd'], { env: 'prod', command: ['cmd'] }],
    [['exec', '-e=prod', 'cmd'], { env: 'prod', command: ['cmd'] }],
    [['exec', 'cmd', '--env', 'x'], { command: ['cmd', '--env', 'x'] }],
    [['-c', 'other.yaml', 'exec', '-e', 'p', 'cmd', '-c', 'y'], { config: 'other.yaml', env: 'p', command: ['cmd', '-c', 'y'] }],
    [['--config=other.yaml', '-v', 'exec', 'cmd'], { config: 'other.yaml', verbose: true, command: ['cmd'] }],
    [['exec', '-e', 'p', '-v', '--debug', '-q', '--no-cache', '--refresh', 'cmd', '--debug'], { env: 'p', verbose: true, debug: true, quiet: true, cache: false, refresh: true, command: ['cmd', '--debug'] }],
    [['exec', '--verbose', '--quiet', 'cmd'], { verbose: true, quiet: true, command: ['cmd'] }],
    // A command named like a dsops command, or like exec itself, is the child's.
    [['exec', '-e', 'p', 'plan', '--json'], { env: 'p', command: ['plan', '--json'] }],
    [['exec', '-e', 'p', 'exec', '-e', 'q', 'x'], { env: 'p', command: ['exec', '-e', 'q', 'x'] }],
    // `exec` as the config file's name is a value, not the command word.
    [['-c', 'exec', 'exec', 'cmd'], { config: 'exec', command: ['cmd'] }],
    // Names that exist on Object.prototype are ordinary words.
    [['exec', '-e', 'p', 'constructor', 'toString'], { env: 'p', command: ['constructor', 'toString'] }],
    [['exec', '-e', 'p', '__proto__'], { env: 'p', command: ['__proto__'] }],
  ])('%j', (argv, expected) => {
    expect(parseFastExec(argv)).toEqual(expected);
  });

  it.each([
    // Not exec, or exec with no command: yargs reports these.
    [[]],
    [['exec']],
    [['exec', '-e', 'p']],
    [['exec', '-e', 'p', '--']],
    [['exec', '-e', 'p', '-v']],
    [['plan', '--env', 'p']],
    [['validate']],
    [['cache', 'clear', 'exec']],
    [['--help']],
    [['exec', '--help']],
    [['exec', '-h', 'cmd']],
    [['--version', 'exec', 'cmd']],
    // Flags only yargs knows, combined short flags, and typos go to yargs too.
    [['exec', '--cache', '-e', 'p', 'cmd']],
    [['exec', '-vq', '-e', 'p', 'cmd']],
    [['exec', '--evn', 'p', 'cmd']],
    [['exec', '--verbose=true', 'cmd']],
    // A value flag with no value.
    [['exec', '-e']],
    [['exec', '--env=', 'cmd']],
    [['exec', '-c', '', 'cmd']],
    // A word before exec is another command (or a typo), not a flag.
    [['constructor', 'exec', 'cmd']],
    [['toString', 'exec', '-e', 'p', 'cmd']],
    [['plan', 'exec', 'cmd']],
    [['-', 'exec', 'cmd']],
    // A lone `-` after exec's flags is left to yargs.
    [['exec', '-e', 'p', '-', 'x']],
  ])('%j is left to yargs', (argv) => {
    expect(parseFastExec(argv)).toBeUndefined();
  });

  it('does not modify its argument', () => {
    const argv = ['-c', 'f.yaml', 'exec', '-e', 'prod', 'cmd', '--env', 'x'];
    const copy = [...argv];
    const parsed = parseFastExec(argv);
    expect(argv).toEqual(copy);
    parsed!.command.push('more');
    expect(argv).toEqual(copy);
  });
});
