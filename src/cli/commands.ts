/**
 * Every dsops command and flag, declared once, as data. cli/program.ts builds yargs (help, completion, usage
 * errors) from it, and cli/argv.ts parses the everyday forms from it without loading yargs; the two cannot
 * drift apart. A new command is one entry here plus its handler (cli/handlers.ts); "did you mean" can
 * search these names. Data only: the entry point (cli.ts) reads it before anything else is loaded.
 */
export interface FlagSpec {
  /** Canonical long name, as handlers see it (`cache` for `--cache` / `--no-cache`). */
  name: string;
  alias?: string;
  type: 'boolean' | 'string';
  describe: string;
  default?: boolean;
}

/** What a handler receives, however the line was parsed. */
export interface CommandArgs {
  /** By canonical name; global flags included. */
  flags: Record<string, string | boolean | undefined>;
  /** The declared positional's values (`cache clear a b`), or the command to run (`exec`). */
  positionals: string[];
}

export interface CommandSpec {
  name: string;
  describe: string;
  usage?: string;
  flags?: FlagSpec[];
  /** One variadic positional, e.g. `stores` for `clear [stores..]`. */
  positional?: { name: string; describe: string };
  /**
   * The first word that is not one of this command's flags starts the child's command line: everything
   * from there on is the child's, flags included (`exec -e prod ./deploy.sh --env x`).
   */
  passThrough?: boolean;
  subcommands?: CommandSpec[];
  /** Implemented by yargs itself (completion): always parsed there. */
  builtin?: 'completion';
  examples?: [string, string][];
}

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'config', alias: 'c', type: 'string', describe: 'config file (default: $DSOPS_CONFIG, else the nearest dsops.yaml here or above, up to the repository root)' },
  { name: 'verbose', alias: 'v', type: 'boolean', describe: 'show steps and timings (never values)' },
  { name: 'debug', type: 'boolean', describe: 'also show why each decision was made' },
  { name: 'quiet', alias: 'q', type: 'boolean', describe: 'show errors only' },
  {
    name: 'cache',
    type: 'boolean',
    default: true,
    describe: "use the cache dir: STS sessions and Node's compile cache (--no-cache: neither read nor write it)",
  },
];

/** Flags only yargs implements: any line holding one is parsed by yargs. */
export const YARGS_FLAGS = new Set(['--help', '-h', '--version']);

const env = (what: string): FlagSpec => ({ name: 'env', alias: 'e', type: 'string', describe: `env to ${what} (default: $DSOPS_ENV)` });
const json: FlagSpec = { name: 'json', type: 'boolean', describe: 'machine-readable output on stdout' };
export const COMMANDS: CommandSpec[] = [
  {
    name: 'exec',
    describe: "run a command with an env's values injected",
    usage: '$0 exec --env NAME [--] command [args...]',
    flags: [
      env('inject'),
      { name: 'refresh', type: 'boolean', describe: 'ignore cached sessions, fetch new ones and cache them' },
      { name: 'server', type: 'boolean', describe: 'give the command a local credential endpoint that refreshes the session, not static keys (for jobs longer than a session)' },
      {
        name: 'mask',
        type: 'boolean',
        describe: "replace secrets and credentials in the command's output with **** (default: on in CI when stdout is not a terminal)",
      },
    ],
    passThrough: true,
    examples: [['$0 exec --env production -- ./deploy.sh --fast', 'args after -- belong to the command']],
  },
  {
    name: 'export',
    describe: "print an env's values for eval, a .env file, docker --env-file or GitHub Actions (no command is run)",
    usage: '$0 export --env NAME --format dotenv|shell|json|github [--out FILE]',
    flags: [
      env('export'),
      { name: 'format', alias: 'f', type: 'string', describe: 'dotenv, shell, json or github' },
      { name: 'out', alias: 'o', type: 'string', describe: 'write to FILE (mode 0600, atomically) instead of stdout' },
      { name: 'refresh', type: 'boolean', describe: 'ignore cached sessions, fetch new ones and cache them' },
    ],
    examples: [
      ['eval "$($0 export --env dev --format shell)"', 'set the values in this shell'],
      ['$0 export --env ci --format github', 'in a GitHub Actions step: mask the values, add them to $GITHUB_ENV'],
    ],
  },
  {
    name: 'validate',
    describe: 'check the config: schema, references, AWS rules (all envs, no network); unset ${VAR}s are listed, not errors',
    flags: [
      { name: 'env', alias: 'e', type: 'string', describe: 'check only this env, as exec would: an unset variable is an error' },
      { name: 'strict', type: 'boolean', describe: 'every env, with an unset variable as an error' },
      json,
    ],
  },
  {
    name: 'plan',
    describe: 'show which stores an env needs and the order they resolve in (no network, no values)',
    flags: [env('plan'), json],
  },
  {
    name: 'graph',
    describe: 'draw the stores, their credentials_from edges and the envs that read them (mermaid or dot; no network)',
    flags: [
      { name: 'env', alias: 'e', type: 'string', describe: 'only this env and the stores it needs' },
      { name: 'format', type: 'string', describe: 'mermaid (default) or dot' },
    ],
    examples: [
      ['$0 graph', 'mermaid of dsops.yaml, e.g. for a README'],
      ['$0 graph --env production --format dot | dot -Tsvg > stores.svg', 'one env, drawn by Graphviz'],
    ],
  },
  {
    name: 'init',
    describe: 'write a commented dsops.yaml for a pattern (refuses to overwrite)',
    flags: [{ name: 'pattern', type: 'string', describe: 'basic (default), chain, mfa or multi-region' }],
    examples: [
      ['$0 init', 'one role, one secret'],
      ['$0 init --pattern mfa', 'MFA break-glass: one code, roles chained from it'],
      ['$0 -c ops/dsops.yaml init --pattern chain', 'write it elsewhere'],
    ],
  },
  {
    name: 'cache',
    describe: 'inspect or clear the STS session cache',
    subcommands: [
      {
        name: 'list',
        describe: 'list cached sessions: store, role, operation, expiry, file',
        flags: [json],
      },
      {
        name: 'clear',
        describe: 'remove cached sessions (all, or those of the named stores)',
        positional: { name: 'stores', describe: 'stores whose sessions to remove (default: everything)' },
      },
    ],
  },
  {
    name: 'credential-process',
    describe: "print a session as credential_process JSON, for an AWS config profile (stdout holds only the JSON)",
    usage: '$0 credential-process --env NAME | --store NAME',
    flags: [
      env('serve the AWS_ACCESS_KEY_ID session of'),
      { name: 'store', type: 'string', describe: 'serve this aws.sts store instead' },
    ],
    examples: [['credential_process = $0 credential-process -c /path/dsops.yaml --env production', 'in ~/.aws/config under [profile prod]']],
  },
  {
    name: 'whoami',
    describe: 'show who each hop is (GetCallerIdentity with the root credentials, then each session in chain order), with expiry and cache state',
    usage: '$0 whoami --env NAME | --store NAME',
    flags: [
      env('show the chain of'),
      { name: 'store', type: 'string', describe: "show this store's chain instead" },
      json,
    ],
    examples: [
      ['$0 whoami --env production', 'root, then every hop: ARN, expiry, cached or new'],
      ['$0 whoami --store admin --json', "one store's chain, as JSON"],
    ],
  },
  {
    name: 'doctor',
    describe: 'check the set-up: config, root credentials (GetCallerIdentity), clock skew, cache dir, endpoints, Node, stale locks',
    flags: [json],
    examples: [
      ['$0 doctor', 'one line a check, a hint under each problem; exit 1 when one fails'],
      ['$0 doctor --json', '{checks: [{name, status, detail, hint}], ok}'],
    ],
  },
  { name: 'completion', describe: 'print a shell completion script', builtin: 'completion' },
];

/** Every flag a command at `path` accepts: the globals and those of each command on the path. */
export function flagsAt(path: CommandSpec[]): FlagSpec[] {
  return [...GLOBAL_FLAGS, ...path.flatMap((c) => c.flags ?? [])];
}

/** The string-valued flags anywhere (`-c`, `--env`...): their next word is a value, never a command. */
export function valueFlagWords(commands: CommandSpec[] = COMMANDS): Set<string> {
  const out = new Set<string>();
  const add = (fs: FlagSpec[]) => {
    for (const f of fs) {
      if (f.type !== 'string') continue;
      out.add(`--${f.name}`);
      if (f.alias) out.add(`-${f.alias}`);
    }
  };
  add(GLOBAL_FLAGS);
  const walk = (cs: CommandSpec[]) => cs.forEach((c) => (add(c.flags ?? []), walk(c.subcommands ?? [])));
  walk(commands);
  return out;
}
