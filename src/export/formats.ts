/**
 * How `dsops export` writes an env's values. Pure: values in, text out; the command decides where it goes.
 * Every format is tested by reading it back with the reader it is meant for (tests/unit/export-formats.test.ts).
 */
export const FORMATS = ['dotenv', 'shell', 'json', 'github'] as const;
export type ExportFormat = (typeof FORMATS)[number];

/** Ordered name/value pairs, as the env declares them. */
export type Entries = [name: string, value: string][];

/**
 * Characters every dotenv reader takes literally when unquoted: docker --env-file (which never strips
 * quotes, so a quoted value would keep them), python-dotenv, dotenv/dotenvx. No whitespace, quote, `#`
 * (a comment for dotenv), `$` (expansion), backslash or control character.
 */
const DOTENV_BARE = /^[\p{L}\p{N}_@%+,./:=^~!?*&|;<>()[\]{}-]*$/u;

/**
 * `NAME=value` when the value is safe bare (then docker --env-file reads it too), else `NAME='value'`
 * (literal for python-dotenv, dotenv and dotenvx, newlines included), else a double-quoted value with
 * backslash escapes, which python-dotenv decodes (`\\ \" \n \r \t`...).
 * python-dotenv expands `${VAR}` inside any quotes: read values holding `${` with interpolate=False.
 */
export function dotenvLine(name: string, value: string): string {
  if (bare(value)) return `${name}=${value}`;
  if (!/['\\]/.test(value)) return `${name}='${value}'`;
  const esc = value.replace(/[\\"\n\r\t\f\v\b\x07]/g, (c) => DOUBLE_ESCAPES[c]);
  return `${name}="${esc}"`;
}

const DOUBLE_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
  '\v': '\\v',
  '\b': '\\b',
  '\x07': '\\a',
};

/**
 * Written without quotes. A value ending in a backslash cannot be quoted for python-dotenv: its quoted-value
 * regex takes a final `\\"` as an escaped quote and runs on to the next quote in the file. Bare, it is read
 * literally, so it goes bare when nothing else needs quotes (one line, no `#`, `$`, quote, edge whitespace).
 */
function bare(value: string): boolean {
  return DOTENV_BARE.test(value) || /^[^\s'"`#$\\][^\r\n#$'"`]*\\$/u.test(value);
}

/** Whether docker --env-file reads this value back exactly: it takes everything after `=` verbatim, quotes included, one line. */
export function dockerReadsExactly(value: string): boolean {
  return bare(value);
}

/** `export NAME='value'`: single quotes take everything literally in bash and zsh; a quote is `'\''`. */
export function shellLine(name: string, value: string): string {
  return `export ${name}='${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The escaping of a workflow command's data (actions/toolkit escapeData): the runner turns these back,
 * so a value holding `%0A` is masked as written, not as a line break.
 */
export function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * `::add-mask::` lines for a value: the whole value, and each line of a multi-line one, since the runner
 * masks line by line in its log. Empty lines are left out (masking "" is meaningless).
 */
export function githubMasks(value: string): string[] {
  const parts = new Set<string>();
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length === 1) parts.add(value);
  for (const line of lines) if (line.trim() !== '') parts.add(line);
  return [...parts].filter((p) => p !== '').map((p) => `::add-mask::${escapeCommandData(p)}`);
}

/**
 * A `NAME<<DELIM` block for $GITHUB_ENV, as actions/toolkit writes it. The delimiter is random and checked
 * not to occur in the name or value (GitHub's own rule). `random` is injectable for tests.
 */
export function githubEnvBlock(name: string, value: string, random: () => string = randomDelimiter): string {
  let delim = random();
  while (value.includes(delim) || name.includes(delim)) delim = random();
  return `${name}<<${delim}\n${value}\n${delim}\n`;
}

function randomDelimiter(): string {
  return `ghadelimiter_${(require('crypto') as typeof import('crypto')).randomUUID()}`;
}

export interface Rendered {
  /** The text of the format (what `--out` or $GITHUB_ENV receives). */
  body: string;
  /** github only: the `::add-mask::` lines, which must go to stdout for the runner to see them. */
  masks: string[];
}

export function render(format: ExportFormat, entries: Entries, random?: () => string): Rendered {
  switch (format) {
    case 'dotenv':
      return { body: lines(entries.map(([n, v]) => dotenvLine(n, v))), masks: [] };
    case 'shell':
      return { body: lines(entries.map(([n, v]) => shellLine(n, v))), masks: [] };
    case 'json':
      return { body: JSON.stringify(Object.fromEntries(entries), null, 2) + '\n', masks: [] };
    case 'github': {
      const masks = [...new Set(entries.flatMap(([, v]) => githubMasks(v)))];
      return { body: entries.map(([n, v]) => githubEnvBlock(n, v, random)).join(''), masks };
    }
  }
}

const lines = (ls: string[]): string => (ls.length ? ls.join('\n') + '\n' : '');
