import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { SourceLocation } from '../errors';
import { LineIndex } from './yaml-text';

type Yaml = typeof import('yaml');
type Path = (string | number)[];

/** The `yaml` library, loaded on first need: the success path of a config never touches it. */
export function yamlLib(): Yaml {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('yaml') as Yaml;
}

/** Scalar keys are equal when their text is: `1` and `"1"`, or `true` and `"true"`, are one key once loaded. */
export function sameKey(a: unknown, b: unknown): boolean {
  const Y = yamlLib();
  return Y.isScalar(a) && Y.isScalar(b) && String(a.value) === String(b.value);
}

/** Parses with positions. The options are the ones every `yaml` parse in dsops uses. */
export function parseDocument(text: string): Document.Parsed {
  const Y = yamlLib();
  return Y.parseDocument(text, { prettyErrors: false, uniqueKeys: sameKey, keepSourceTokens: false, merge: true });
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? r[0] : undefined;
}

/** Offset of `path` in a parsed document, or of the deepest part of it that exists. */
export function offsetIn(doc: Document.Parsed, path: Path, atKey: boolean): number | undefined {
  const Y = yamlLib();
  let node: unknown = doc.contents;
  let best: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (Y.isMap(node)) {
      // The last of repeated keys: it is the one whose value the data holds.
      const pair = node.items.findLast((p) => Y.isScalar(p.key) && String(p.key.value) === String(seg)) ?? merged(doc, node, seg);
      if (!pair) break;
      if (i === path.length - 1 && atKey) return rangeStart(pair.key) ?? best;
      node = pair.value;
      best = rangeStart(pair.value) ?? rangeStart(pair.key) ?? best;
    } else if (Y.isSeq(node) && /^\d+$/.test(String(seg))) {
      // Paths from the schema validator carry indexes as strings.
      node = node.items[Number(seg)];
      best = rangeStart(node) ?? best;
    } else break;
  }
  return best;
}

/**
 * The pair a `<<` merge key brings into a mapping under `key`, found where it was written (in the
 * anchored mapping), so a problem in an inherited value points at its own line. Own keys win over
 * merged ones, and of `<<: [*a, *b]` the first that has the key wins, as YAML's merge rules say.
 */
function merged(doc: Document.Parsed, map: YAMLMap, key: string | number, depth = 0): Pair | undefined {
  const Y = yamlLib();
  if (depth > 64) return undefined;
  for (const p of map.items) {
    // With `merge` on, `yaml` gives a merge key a symbol for its value; its source is still `<<`.
    if (!Y.isScalar(p.key) || p.key.type !== 'PLAIN' || (p.key.value !== '<<' && p.key.source !== '<<')) continue;
    const sources = Y.isSeq(p.value) ? p.value.items : [p.value];
    for (const src of sources) {
      const target = Y.isAlias(src) ? src.resolve(doc) : src;
      if (!Y.isMap(target)) continue;
      const own = target.items.findLast((q) => Y.isScalar(q.key) && String(q.key.value) === String(key));
      const found = own ?? merged(doc, target, key, depth + 1);
      if (found) return found as Pair;
    }
  }
  return undefined;
}

interface Entry {
  /** Line (0-based) of the key, and the end of the entry (exclusive). */
  from: number;
  to: number;
  keyCol: number;
  /** Column where an inline value starts, or -1 when the value is on the lines below. */
  valueCol: number;
}

// A block-mapping key on its own line: plain, or quoted, then `:` and a space or the end of the line.
const KEY_LINE = /^( *)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"?\-[{&*!|>%@`][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+|$)/;
const SKIP = /^\s*(?:#|$)/;

/**
 * Finds positions in a large config without parsing all of it with `yaml` (about 4 µs a line, so
 * seconds for a 5,000-store file). Block mappings are walked by their lines: a key at the children's
 * indentation starts an entry, which runs to the next one. Only the entry the path ends in, when it is
 * written inline (a flow collection, say), is parsed with `yaml`. Anything the line walk does not
 * understand falls back to parsing the whole file, so the answer is always the parser's.
 */
export class Locator {
  private full?: Document.Parsed;
  private readonly children = new Map<string, Map<string, Entry> | null>();
  private readonly lines: string[];

  constructor(
    private readonly index: LineIndex,
    doc?: Document.Parsed,
  ) {
    this.full = doc;
    this.lines = index.text.split('\n');
  }

  locate(path: Path, atKey = false): SourceLocation {
    const fast = this.index.text.length > SMALL ? this.byLines(path, atKey) : undefined;
    if (fast !== undefined) return this.index.at(fast);
    this.full ??= parseDocument(this.index.text);
    return this.index.at(offsetIn(this.full, path, atKey) ?? 0);
  }

  /** Entries of the block mapping on lines [from, to) whose keys sit at one indentation, or null. */
  private entries(from: number, to: number): Map<string, Entry> | null {
    const id = `${from}:${to}`;
    const known = this.children.get(id);
    if (known !== undefined) return known;
    let indent = -1;
    const map = new Map<string, Entry>();
    let open: { key: string; e: Entry } | undefined;
    let ok = true;
    for (let l = from; l < to && ok; l++) {
      const line = this.lines[l];
      if (SKIP.test(line)) continue;
      const col = line.length - line.trimStart().length;
      if (indent < 0) indent = col;
      if (col > indent) continue;
      const m = col === indent ? KEY_LINE.exec(line) : null;
      if (!m || line.startsWith('---') || line.startsWith('...')) {
        ok = false;
        break;
      }
      if (open) open.e.to = l;
      const raw = m[2];
      let key: string;
      try {
        key = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw.trim();
      } catch {
        ok = false;
        break;
      }
      const rest = line.slice(m[0].length);
      const valueCol = SKIP.test(rest) ? -1 : m[0].length;
      open = { key, e: { from: l, to, keyCol: col, valueCol } };
      map.set(key, open.e);
    }
    const result = ok && map.size ? map : null;
    this.children.set(id, result);
    return result;
  }

  private byLines(path: Path, atKey: boolean): number | undefined {
    let from = 0;
    let to = this.lines.length;
    let parent: Entry | undefined;
    for (let i = 0; i < path.length; i++) {
      const map = this.entries(from, to);
      // A block sequence, or lines the walk does not read: the parent entry is parsed on its own.
      if (!map) return parent ? this.inChunk(parent, path.slice(i - 1), atKey) : undefined;
      const e = map.get(String(path[i]));
      if (!e) return undefined;
      parent = e;
      const last = i === path.length - 1;
      const lineStart = this.index.lineStart(e.from + 1);
      if (last && atKey) return lineStart + e.keyCol;
      if (e.valueCol >= 0) {
        if (last) return lineStart + e.valueCol;
        return this.inChunk(e, path.slice(i), atKey);
      }
      from = e.from + 1;
      to = e.to;
      if (last) {
        // The value starts on the first line below that holds something.
        for (let l = from; l < to; l++) {
          const line = this.lines[l];
          if (!SKIP.test(line)) return this.index.lineStart(l + 1) + (line.length - line.trimStart().length);
        }
        return lineStart + e.keyCol;
      }
    }
    return undefined;
  }

  /** Parses one entry's lines on their own and finds the rest of the path in them. */
  private inChunk(e: Entry, path: Path, atKey: boolean): number | undefined {
    const start = this.index.lineStart(e.from + 1);
    const end = e.to < this.lines.length ? this.index.lineStart(e.to + 1) : this.index.text.length;
    const doc = parseDocument(this.index.text.slice(start, end));
    if (doc.errors.length) return undefined;
    const at = offsetIn(doc, path, atKey);
    return at === undefined ? undefined : start + at;
  }
}

/** Below this size the whole file is parsed with `yaml` to locate: simpler, and a few ms at most. */
const SMALL = 64 * 1024;

/** Nodes of a parsed document, for the checks that look for one kind (complex keys, open quotes). */
export function eachNode(doc: Document.Parsed, fn: (node: YamlNode, key: boolean) => void): void {
  const Y = yamlLib();
  Y.visit(doc, {
    Pair(_, pair) {
      if (Y.isNode(pair.key)) fn(pair.key, true);
    },
    Node(_, node) {
      fn(node, false);
    },
  });
}
