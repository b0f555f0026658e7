import fs = require('fs');
import path = require('path');
import { ConfigError } from '../errors';
import { checkSchema } from './schema-check';
import { ConfigSource, parseYaml } from './source';

/** Which file to read: `--config`, else $DSOPS_CONFIG, else ./dsops.yaml. */
export function configPath(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? env.DSOPS_CONFIG ?? 'dsops.yaml';
}

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
        hint: err.code === 'ENOENT' ? `run dsops in the folder that holds dsops.yaml, or pass --config PATH (or set DSOPS_CONFIG)` : undefined,
        path: [],
      },
    ]);
  }
  return parseConfig(text, shownName(file));
}
