import fs = require('fs');
import path = require('path');
import { ConfigError } from '../errors';
import { checkSchema } from './schema-check';
import { ConfigSource, parseYaml } from './source';

/**
 * Which file to read: `--config`, else $DSOPS_CONFIG, else the nearest dsops.yaml: in `cwd`, then each
 * parent up to the repository root (a directory holding .git) or the filesystem root, whichever comes
 * first. When there is none, `dsops.yaml` (read, it reports E_NO_CONFIG as before).
 */
export function configPath(flag: string | undefined, env: Record<string, string | undefined>, cwd?: string): string {
  const given = flag ?? env.DSOPS_CONFIG;
  if (given !== undefined) return given;
  // The common case first, with no path work: the file is right here.
  if (cwd === undefined && fs.existsSync(DEFAULT_NAME)) return DEFAULT_NAME;
  for (let dir = cwd ?? process.cwd(); ; ) {
    const file = path.join(dir, DEFAULT_NAME);
    if (fs.existsSync(file)) return file;
    if (fs.existsSync(path.join(dir, '.git'))) return DEFAULT_NAME;
    const parent = path.dirname(dir);
    if (parent === dir) return DEFAULT_NAME;
    dir = parent;
  }
}

const DEFAULT_NAME = 'dsops.yaml';

/** Parses and schema-checks config text. Pure. Throws ConfigError listing every problem, each located. */
export function parseConfig(text: string, file: string): ConfigSource {
  const { source, issues } = parseYaml(text, file);
  if (!source) throw new ConfigError(issues);
  // Repeated keys found while parsing come first; they are located already.
  const schemaIssues = [...source.schemaIssues, ...checkSchema(source.data)];
  for (const i of schemaIssues) i.loc ??= source.locate(i.path, i.atKey);
  // A problem inside one store or one var leaves the rest checkable, so semantic rules still run
  // and the user sees everything in one pass; a broken top level does not.
  const contained = (i: (typeof schemaIssues)[number]) =>
    (i.path[0] === 'secretStores' && i.path.length >= 2) || (i.path[0] === 'envs' && i.path.length >= 3);
  if (!schemaIssues.every(contained)) throw new ConfigError(schemaIssues);
  source.schemaIssues = schemaIssues;
  return source;
}

/**
 * The name messages use: relative to the working directory when the file is inside it. A bare file name
 * (the default, dsops.yaml) already is, and skips path.relative, which costs a warm run ~0.2 ms.
 */
function shownName(file: string): string {
  if (!file.includes('/') && !file.includes(path.sep)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/**
 * Reads, parses and schema-checks a config file. Every run parses the file: a 5,000-store config still
 * validates and plans in well under 2 s, and nothing parsed from a config is kept on disk. `cacheDir` is
 * accepted for callers written when a parsed-config cache existed; it is ignored.
 */
export function loadConfig(file: string, _opts: { cacheDir?: string } = {}): ConfigSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ConfigError([
      {
        code: 'E_NO_CONFIG',
        message: err.code === 'ENOENT' ? `config file ${file} not found` : `cannot read config file ${file}: ${err.code ?? err.message}`,
        hint: err.code === 'ENOENT' ? `dsops looks for dsops.yaml here and in each parent folder up to the repository root; or pass --config PATH (or set DSOPS_CONFIG)` : undefined,
        path: [],
      },
    ]);
  }
  return parseConfig(text, shownName(file));
}
