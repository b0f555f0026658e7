/**
 * Command-line mistakes, through the built CLI: each is named with what was expected, exits 2, and nothing
 * else is blamed. Regression (issue 13): `dsops exce --env demo -- true` said `Unknown arguments: env, exce`,
 * blaming the valid --env; `dsops --bogus` never named the bad flag.
 */
import { project, runCli } from '../helpers/cli';

const YAML = `version: 1
secretStores:
  a:
    type: aws.sts
    role_arn: arn:aws:iam::123456789012:role/A
envs:
  demo:
    A_KEY: { from: { store: a, key: AccessKeyId } }
`;

// [argv, the whole first line, the hint line's text (or a part of it)]
const MISTAKES: [string[], string, string][] = [
  [['exce', '--env', 'demo', '--', 'true'], 'dsops: error: unknown command "exce" (did you mean "exec"?)', 'dsops commands: exec, export, validate, plan, graph, init, cache, credential-process, whoami, doctor, completion'],
  [['--bogus'], 'dsops: error: unknown flag --bogus for dsops', 'dsops takes --config (-c), --verbose (-v), --debug, --quiet (-q), --[no-]cache'],
  [['plan', '--jsn'], 'dsops: error: unknown flag --jsn for dsops plan (did you mean --json?)', '--env (-e), --json'],
  [['valdate'], 'dsops: error: unknown command "valdate" (did you mean "validate"?)', 'dsops commands: exec, export, validate'],
  [['zz'], 'dsops: error: unknown command "zz"', 'dsops commands: exec, export, validate'],
  [['cache', 'lst'], 'dsops: error: unknown cache command "lst" (did you mean "list"?)', 'dsops cache commands: list, clear'],
  [['cache', 'list', '--env', 'demo'], 'dsops: error: unknown flag --env for dsops cache list', 'dsops cache list takes'],
  [['validate', 'extra'], 'dsops: error: dsops validate takes no arguments (got "extra")', "run 'dsops validate --help' for usage"],
  [['plan', '--env'], 'dsops: error: --env needs a value', 'e.g. dsops plan --env NAME'],
  [['exec', '--refersh', '-e', 'demo', '--', 'true'], 'dsops: error: unknown flag --refersh for dsops exec (did you mean --refresh?)', '--refresh'],
  [[], 'dsops: error: name a command: exec, export, validate, plan, graph, init, cache, credential-process, whoami, doctor', "run 'dsops --help' for usage"],
  [['whoamii', '-e', 'demo'], 'dsops: error: unknown command "whoamii" (did you mean "whoami"?)', 'dsops commands: exec'],
  [['whoami', '--stor', 'a'], 'dsops: error: unknown flag --stor for dsops whoami (did you mean --store?)', '--store'],
  [['cache'], 'dsops: error: name a cache command: list or clear', "run 'dsops --help' for usage"],
  [['doctr'], 'dsops: error: unknown command "doctr" (did you mean "doctor"?)', 'doctor'],
  [['doctor', '--env', 'demo'], 'dsops: error: unknown flag --env for dsops doctor', 'dsops doctor takes'],
];

describe('CLI mistakes are named, with what was meant and what is valid', () => {
  const cwd = project(YAML);
  it.each(MISTAKES)('%j', async (argv, first, hint) => {
    const r = await runCli(argv, { cwd });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(first);
    expect(lines[1]).toMatch(/^ {2}hint: /);
    expect(lines[1]).toContain(hint);
    expect(r.stdout).toBe('');
  });

  it('a flag of the child is the child\'s, not a mistake', async () => {
    const r = await runCli(['exec', '-e', 'demo', 'node', '-e', 'process.exit(0)', '--bogus'], { cwd, env: { A_KEY: 'x' } });
    expect(r.stderr).not.toContain('unknown flag');
  });
});

describe('help', () => {
  it('regression (issue 13): exec --help shows no `Positionals: command [array] [default: []]`', async () => {
    const r = await runCli(['exec', '--help'], { cwd: project(YAML) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: dsops exec --env NAME [--] command [args...]');
    expect(r.stdout).not.toContain('Positionals');
    expect(r.stdout).not.toContain('[default: []]');
  });

  it('--help lists graph and init with examples', async () => {
    const r = await runCli(['--help'], { cwd: project(YAML) });
    expect(r.stdout).toMatch(/dsops graph\s+draw the stores/);
    expect(r.stdout).toMatch(/dsops init\s+write a commented dsops\.yaml/);
    expect(r.stdout).toContain('dsops graph --env production');
    expect(r.stdout).toContain('dsops init --pattern chain');
  });
});
