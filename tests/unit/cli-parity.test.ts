/**
 * The fast parser (cli/argv.ts) and yargs (cli/program.ts) are built from one declaration; for every line the
 * fast parser accepts, yargs must reach the same handler with the same flags and positionals.
 * Regression: four hand-kept parsers drifted, and `cache clear --no-cache` was an unknown argument.
 */
import { parseArgv } from '../../src/cli/argv';
import type { CommandArgs } from '../../src/cli/commands';

const calls: { path: string; args: CommandArgs }[] = [];
jest.mock('../../src/cli/handlers', () => {
  const record = (path: string) => (_ctx: unknown, args: CommandArgs) => (calls.push({ path, args }), 0);
  return { HANDLERS: Object.fromEntries(['exec', 'validate', 'plan', 'graph', 'init', 'doctor', 'cache list', 'cache clear'].map((p) => [p, record(p)])) };
});
import { run } from '../../src/cli/program';

const LINES: string[][] = [
  ['exec', '-e', 'prod', './deploy.sh', '--env', 'x'],
  ['exec', '--env=prod', '--', 'cmd', '-v', '--', 'z'],
  ['-c', 'other.yaml', 'exec', '-e', 'p', 'cmd', '-c', 'y'],
  ['exec', '-e', 'p', '-v', '--debug', '-q', '--no-cache', '--refresh', 'cmd', '--debug'],
  ['--no-cache', 'exec', '--cache', '-e', 'p', 'cmd'],
  ['exec', '-e', 'p', '-', 'x'],
  ['exec', '-e', 'p', 'plan', '--json'],
  ['cache', 'clear', '--no-cache'],
  ['--no-cache', 'cache', 'clear', 'a', 'b'],
  ['cache', 'clear', 'a', '-v', 'b', '--debug'],
  ['-v', 'cache', 'list'],
  ['cache', '-q', 'list', '--json', '-c', 'x.yaml'],
  ['validate', '--no-cache', '-c', 'exec'],
  ['plan', '--env', 'p', '--json', '--debug'],
  ['-q', 'plan', '-e=p'],
  ['graph', '--env', 'p', '--format', 'dot'],
  ['-c', 'x.yaml', 'graph'],
  ['init', '--pattern', 'mfa'],
  ['doctor', '--json', '-c', 'x.yaml', '--no-cache'],
  ['-q', 'doctor'],
];

describe('yargs and the fast parser agree', () => {
  it.each(LINES.map((l) => [l]))('%j', async (argv) => {
    const fast = parseArgv(argv);
    expect(fast.kind).toBe('ok');
    if (fast.kind !== 'ok') return;
    calls.length = 0;
    expect(await run(argv, {})).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0].path).toBe(fast.parsed.path.join(' '));
    // yargs fills in flags that were not given (as undefined or their default); compare what was set.
    const set = (f: CommandArgs['flags']) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
    expect(set(calls[0].args.flags)).toEqual(set(fast.parsed.flags));
    expect(calls[0].args.positionals).toEqual(fast.parsed.positionals);
  });
});
