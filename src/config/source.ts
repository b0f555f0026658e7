import { ConfigIssue, SourceLocation } from '../errors';

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
 * Parses YAML text. Pure: no I/O. The data comes from js-yaml, which is about 8× faster than `yaml`
 * on large files (a 5,000-store config parses in ~0.4 s instead of ~3 s); `yaml`, which keeps source
 * positions, runs only when there is something to locate or js-yaml rejects the text, so every syntax
 * problem is still reported in one pass with its position. Both use the YAML 1.2 core schema.
 */
export function parseYaml(text: string, file: string): { source?: ConfigSource; issues: ConfigIssue[] } {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const jsyaml = require('js-yaml') as typeof import('js-yaml');
  let data: unknown;
  try {
    data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
  } catch {
    return parseWithPositions(text, file);
  }
  let located: ConfigSource | undefined;
  const locate: ConfigSource['locate'] = (path, atKey) => (located ??= parseWithPositions(text, file).source)?.locate(path, atKey);
  return { source: { file, data: data ?? {}, locate, schemaIssues: [] }, issues: [] };
}

/** Parses with `yaml`, keeping positions: the source of every `file:line:col`. */
export function parseWithPositions(text: string, file: string): { source?: ConfigSource; issues: ConfigIssue[] } {
  // Loaded here rather than at the top so commands that never parse (cache list) skip its cost.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const YAML = require('yaml') as typeof import('yaml');
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ConfigIssue[] = [];
  // A repeated key is reported, but the file still parses (the later one wins), so the rest of it can
  // be checked in the same pass; whether the repeat stops the check is up to where it is (load.ts).
  const duplicates: ConfigIssue[] = [];
  const pos = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  // The library's text ("Map keys must be unique") names neither the key nor the first definition.
  const dupes = doc.errors.some((e) => e.code === 'DUPLICATE_KEY') ? duplicateKeys(YAML, doc.contents) : undefined;
  for (const e of doc.errors) {
    const dup = e.code === 'DUPLICATE_KEY' ? dupes?.get(e.pos[0]) : undefined;
    if (dup) {
      duplicates.push(duplicateIssue(dup, pos(e.pos[0]), pos(dup.first)));
      continue;
    }
    const code = e.code === 'DUPLICATE_KEY' ? 'E_DUPLICATE_KEY' : 'E_YAML';
    issues.push({ code, message: `invalid YAML: ${e.message.split('\n')[0]}`, path: [], loc: pos(e.pos[0]) });
  }
  if (issues.length) return { issues: [...duplicates, ...issues].sort(byPosition) };

  const locate = (path: (string | number)[], atKey = false): SourceLocation | undefined => {
    let node: unknown = doc.contents;
    let best: number | undefined = rangeStart(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (YAML.isMap(node)) {
        // The last of repeated keys: it is the one whose value the data holds.
        const pair = node.items.findLast((p) => YAML.isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const last = i === path.length - 1;
        if (last && atKey) {
          best = rangeStart(pair.key) ?? best;
          node = undefined;
          break;
        }
        node = pair.value;
        best = rangeStart(pair.value) ?? rangeStart(pair.key) ?? best;
      } else if (YAML.isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        best = rangeStart(node) ?? best;
      } else break;
    }
    return best === undefined ? undefined : pos(best);
  };
  return { source: { file, data: doc.toJS({ maxAliasCount: 100 }) ?? {}, locate, schemaIssues: duplicates }, issues };
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
function duplicateKeys(YAML: typeof import('yaml'), root: unknown): Map<number, Duplicate> {
  const found = new Map<number, Duplicate>();
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (YAML.isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        if (!YAML.isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const at = rangeStart(pair.key);
        const first = seen.get(pair.key.value);
        if (first !== undefined && at !== undefined) found.set(at, { path, key, first });
        else if (first === undefined && at !== undefined) seen.set(pair.key.value, at);
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
    message = `store "${key}" is defined twice in secretStores (${where})`;
    hint = 'give each store its own name, or remove one of the two';
  } else if (path.length === 1 && path[0] === 'envs') {
    message = `env "${key}" is defined twice in envs (${where})`;
    hint = 'give each env its own name, or remove one of the two';
  } else if (path.length === 2 && path[0] === 'envs') {
    message = `env ${path[1]}: var "${key}" is defined twice (${where})`;
    hint = 'a variable can be set once per env; remove one of the two';
  } else {
    const subject =
      path[0] === 'secretStores' && path.length >= 2
        ? `store ${path[1]}: key "${key}" is set twice${inside(path.slice(2))}`
        : path[0] === 'envs' && path.length >= 3
          ? `env ${path[1]}, var ${path[2]}: key "${key}" is set twice${inside(path.slice(3))}`
          : `config: key "${key}" is set twice${inside(path)}`;
    message = `${subject} (${where})`;
    hint = 'a key can appear once per mapping; remove one of the two';
  }
  return { code: 'E_DUPLICATE_KEY', message, hint, path: [...path, key], loc, atKey: true };
}
