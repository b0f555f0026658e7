import type { Document } from 'yaml';
import { ConfigIssue, SourceLocation } from '../errors';
import { quoted } from './quote';
import { checkExpansion, mayHaveAliases, YAML_LIMITS } from './yaml-limits';
import { eachNode, Locator, parseDocument, yamlLib } from './yaml-locate';
import { controlCharacters, LineIndex, normaliseBreaks } from './yaml-text';

/**
 * A parsed config file: plain data plus a way back to `file:line:col`.
 * Locating is lazy so the warm path never walks the YAML tree unless there is something to report.
 */
export interface ConfigSource {
  file: string;
  data: unknown;
  locate(path: (string | number)[], atKey?: boolean): SourceLocation | undefined;
  /** Schema problems in single stores or vars; the rest of the file is still checked in the same pass. */
  schemaIssues: ConfigIssue[];
}

/**
 * Parses YAML text. Pure: no I/O. The data comes from js-yaml: on a 5,000-store config it takes ~0.4 s
 * where `yaml` takes over 10 s, which alone would break the 2 s target for validate + plan. `yaml`, which
 * keeps source positions, runs only when there is something to locate or js-yaml rejects the text. Both
 * use the YAML 1.2 core schema with `<<` merge keys, and the limits of yaml-limits.ts.
 */
export function parseYaml(raw: string, file: string): { source?: ConfigSource; issues: ConfigIssue[] } {
  const text = normaliseBreaks(raw);
  const index = new LineIndex(text, file);
  const controls = controlCharacters(index);
  if (controls.length) return { issues: controls };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jsyaml = require('js-yaml') as typeof import('js-yaml');
  let data: unknown;
  try {
    // maxDepth is in js-yaml's README (4.1.1+) but not yet in @types/js-yaml.
    const options: import('js-yaml').LoadOptions & { maxDepth: number } = { schema: coreWithMerge(jsyaml), filename: file, maxDepth: YAML_LIMITS.maxDepth };
    data = jsyaml.load(text, options);
  } catch (e) {
    return diagnose(index, e);
  }
  const locator = new Locator(index);
  return finish(index, data, locator, [], mayHaveAliases(text));
}

let mergeSchema: import('js-yaml').Schema | undefined;

/**
 * YAML 1.2's core schema plus the `<<` merge key, which `yaml` enables with its `merge` option
 * (yaml-locate.ts): both parsers must read a file alike. DEFAULT_SCHEMA has merge keys too, but also
 * YAML 1.1's timestamps and binary, which would turn `2026-01-01` into a Date.
 */
function coreWithMerge(jsyaml: typeof import('js-yaml')): import('js-yaml').Schema {
  return (mergeSchema ??= jsyaml.CORE_SCHEMA.extend({ implicit: [new jsyaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (d: unknown) => d === '<<' })] }));
}

/** Checks both parsers' data alike: complex keys, the alias and depth limits. */
function finish(
  index: LineIndex,
  data: unknown,
  locator: Locator,
  schemaIssues: ConfigIssue[],
  walk = true,
): { source?: ConfigSource; issues: ConfigIssue[] } {
  if (mayHaveComplexKeys(index.text)) {
    const complex = complexKeys(index, parseDocument(index.text));
    if (complex.length) return { issues: complex };
  }
  const limit = walk ? checkExpansion(data) : undefined;
  if (limit) {
    const loc = locator.locate(limit.path);
    return {
      issues: [
        limit.kind === 'depth'
          ? nestedTooDeeply(loc)
          : {
              code: 'E_YAML_ALIASES',
              message: `invalid YAML: aliases here expand to more than ${YAML_LIMITS.maxAliasNodes.toLocaleString('en-US')} mappings and lists`,
              hint: 'a document built to grow through aliases (a "billion laughs") is refused; write the value out, or reuse it less',
              path: limit.path,
              loc,
            },
      ],
    };
  }
  return { source: { file: index.file, data: data ?? {}, locate: (p, atKey) => locator.locate(p, atKey), schemaIssues }, issues: [] };
}

function nestedTooDeeply(loc: SourceLocation): ConfigIssue {
  return {
    code: 'E_YAML_DEPTH',
    message: `invalid YAML: nested too deeply (more than ${YAML_LIMITS.maxDepth} levels)`,
    path: [],
    loc,
  };
}

// `? ` starts an explicit key; `]:` or `}:` ends a flow collection used as a key. Either may be a
// complex key, which JavaScript objects cannot hold; only then is the file parsed with positions.
const COMPLEX_HINT = /(?:^|[\s,[{])\?(?:[ \t]|$)|[\]}][ \t]*:(?:[ \t]|$)/m;
function mayHaveComplexKeys(text: string): boolean {
  return COMPLEX_HINT.test(text);
}

function complexKeys(index: LineIndex, doc: Document.Parsed): ConfigIssue[] {
  const Y = yamlLib();
  const issues: ConfigIssue[] = [];
  eachNode(doc, (node, isKey) => {
    if (isKey && !Y.isScalar(node)) {
      issues.push({
        code: 'E_YAML_COMPLEX_KEY',
        message: 'invalid YAML: a key must be a plain value, not a list or mapping',
        path: [],
        loc: index.at(node.range?.[0] ?? 0),
      });
    }
  });
  return issues;
}

/** Above this size a syntax error is reported where js-yaml saw it: diagnosing it with `yaml` would take seconds. */
const DIAGNOSE_MAX = 512 * 1024;

/**
 * js-yaml rejected the text. One syntax error is reported, at the place to fix: a parser that has lost
 * its way reports a cascade (one tab gives three errors), each later than the cause. Repeated keys are
 * not syntax errors: they are all reported, and the rest of the file is still checked.
 */
function diagnose(index: LineIndex, e: unknown): { source?: ConfigSource; issues: ConfigIssue[] } {
  const ex = e as { name?: string; reason?: string; mark?: { line: number; column: number; position: number } };
  if (ex?.name !== 'YAMLException' || !ex.mark) throw e;
  const mark = index.at(ex.mark.position);
  if (/maxDepth/.test(ex.reason ?? '')) return { issues: [nestedTooDeeply(mark)] };
  const theirs: ConfigIssue = { code: 'E_YAML', message: `invalid YAML: ${ex.reason ?? 'cannot be parsed'}`, path: [], loc: mark };
  if (index.text.length > DIAGNOSE_MAX) return { issues: [theirs] };

  const doc = parseDocument(index.text);
  // `yaml` finds an alias without its anchor only when converting; point at the alias itself.
  const alias = /^unidentified alias "(.*)"$/.exec(ex.reason ?? '')?.[1];
  if (alias !== undefined) {
    let at: number | undefined;
    eachNode(doc, (node) => {
      if (at === undefined && yamlLib().isAlias(node) && node.source === alias) at = node.range?.[0];
    });
    const message = `invalid YAML: alias *${alias} names no anchor: define &${alias} before the first use`;
    return { issues: [{ code: 'E_YAML', message, path: [], loc: at === undefined ? mark : index.at(at) }] };
  }
  const problems = [...doc.errors, ...doc.warnings];
  const dupes = problems.some((p) => p.code === 'DUPLICATE_KEY') ? duplicateKeys(doc.contents) : undefined;
  const duplicates: ConfigIssue[] = [];
  const others: typeof problems = [];
  for (const p of problems) {
    const dup = p.code === 'DUPLICATE_KEY' ? dupes?.get(p.pos[0]) : undefined;
    if (dup) duplicates.push(duplicateIssue(dup, index.at(p.pos[0]), index.at(dup.first)));
    else others.push(p);
  }
  if (!others.length && duplicates.length) {
    // The later of two keys wins, as in js-yaml's `json` mode; aliases stay shared references and are
    // bounded by checkExpansion like js-yaml's data.
    return finish(index, doc.toJS({ maxAliasCount: -1 }), new Locator(index, doc), duplicates);
  }
  if (!others.length) return { issues: [theirs] };
  return { issues: [...duplicates, syntaxIssue(index, doc, others, mark, theirs)].sort(byPosition) };
}

/** The one syntax error to report, moved back to where the mistake is when the parsers notice it late. */
function syntaxIssue(
  index: LineIndex,
  doc: Document.Parsed,
  problems: { code: string; message: string; pos: [number, number] }[],
  mark: SourceLocation,
  theirs: ConfigIssue,
): ConfigIssue {
  const Y = yamlLib();
  const text = index.text;
  const first = problems.reduce((a, b) => (b.pos[0] < a.pos[0] ? b : a));
  const issue = (message: string, at: number): ConfigIssue => ({ code: 'E_YAML', message: `invalid YAML: ${message}`, path: [], loc: index.at(at) });
  // An open quote runs to the end of the file, where both parsers notice it: point at the quote.
  let open: { at: number; what: string } | undefined;
  eachNode(doc, (node) => {
    if (open || !Y.isScalar(node) || !node.range) return;
    const q = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : undefined;
    if (q && !closedQuote(text.slice(node.range[0], node.range[1]), q)) open = { at: node.range[0], what: `the ${q === '"' ? 'double' : 'single'} quote opened here is never closed` };
  });
  // An open flow collection is noticed on a later line: point at its bracket.
  if (!open) {
    eachNode(doc, (node) => {
      if (!Y.isCollection(node) || !node.flow || !node.range) return;
      const close = Y.isMap(node) ? '}' : ']';
      if (!text.slice(node.range[0], node.range[1]).trimEnd().endsWith(close) && (!open || node.range[0] > open.at)) {
        open = { at: node.range[0], what: `the ${Y.isMap(node) ? 'flow mapping' : 'flow sequence'} opened here is never closed with ${close}` };
      }
    });
  }
  if (open) return issue(open.what, open.at);
  // Otherwise js-yaml's line is the right one (yaml puts an over-indented key on the line above); on
  // that line, yaml's column and words are usually the more precise.
  const yamlLoc = index.at(first.pos[0]);
  if (yamlLoc.line === mark.line) return issue(first.message.split('\n')[0], first.pos[0]);
  return theirs;
}

function closedQuote(src: string, q: string): boolean {
  const s = src.trimEnd();
  if (s.length < 2 || !s.endsWith(q)) return false;
  if (q === "'") return true;
  let slashes = 0;
  for (let i = s.length - 2; i >= 0 && s[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

const byPosition = (a: ConfigIssue, b: ConfigIssue): number => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0);

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? r[0] : undefined;
}

interface Duplicate {
  /** The mapping that holds the key twice. */
  path: (string | number)[];
  key: string;
  /** Offset of the first occurrence of the key. */
  first: number;
}

/**
 * Every repeated scalar key, by the offset of the repeat. `yaml` reports a duplicate at that offset and
 * still keeps both pairs in the tree; equality is the library's own (same scalar value), so each of its
 * DUPLICATE_KEY errors finds its entry here.
 */
function duplicateKeys(root: unknown): Map<number, Duplicate> {
  const YAML = yamlLib();
  const found = new Map<number, Duplicate>();
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (YAML.isMap(node)) {
      // Keyed by text, as `sameKey` compares: `1` and "1" are the same key.
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!YAML.isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const at = rangeStart(pair.key);
        const first = seen.get(key);
        if (first !== undefined && at !== undefined) found.set(at, { path, key, first });
        else if (first === undefined && at !== undefined) seen.set(key, at);
        visit(pair.value, [...path, key]);
      }
    } else if (YAML.isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(root, []);
  return found;
}

/** Names the key in the terms the rest of the messages use: a store, an env, a var, or a field of one. */
function duplicateIssue(dup: Duplicate, loc: SourceLocation, first: SourceLocation): ConfigIssue {
  const { path, key } = dup;
  // The first definition is in the same file; a column is needed only when both sit on one line.
  const where = first.line === loc.line ? `first at column ${first.col}` : `first at line ${first.line}`;
  const inside = (rest: (string | number)[]) => (rest.length ? ` in ${rest.join('.')}` : '');
  let message: string;
  let hint: string;
  if (path.length === 1 && path[0] === 'secretStores') {
    message = `store ${quoted(key)} is defined twice in secretStores (${where})`;
    hint = 'give each store its own name, or remove one of the two';
  } else if (path.length === 1 && path[0] === 'envs') {
    message = `env ${quoted(key)} is defined twice in envs (${where})`;
    hint = 'give each env its own name, or remove one of the two';
  } else if (path.length === 2 && path[0] === 'envs') {
    message = `env ${path[1]}: var ${quoted(key)} is defined twice (${where})`;
    hint = 'a variable can be set once per env; remove one of the two';
  } else {
    const subject =
      path[0] === 'secretStores' && path.length >= 2
        ? `store ${path[1]}: key ${quoted(key)} is set twice${inside(path.slice(2))}`
        : path[0] === 'envs' && path.length >= 3
          ? `env ${path[1]}, var ${path[2]}: key ${quoted(key)} is set twice${inside(path.slice(3))}`
          : `config: key ${quoted(key)} is set twice${inside(path)}`;
    message = `${subject} (${where})`;
    hint = 'a key can appear once per mapping; remove one of the two';
  }
  return { code: 'E_DUPLICATE_KEY', message, hint, path: [...path, key], loc, atKey: true };
}
