import { ConfigIssue, SourceLocation } from '../errors';

/**
 * Offsets to `line:col` for one text. Lines start after LF only: texts are normalised first
 * (`normaliseBreaks`), so a CR-only file is located like any other.
 */
export class LineIndex {
  private lazyStarts?: number[];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  /** Built on first use: a valid config never asks for a position. */
  private get starts(): number[] {
    if (!this.lazyStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lazyStarts = starts;
    }
    return this.lazyStarts;
  }

  /** 1-based line and column of `offset`; offsets past the end land on the last character. */
  at(offset: number): SourceLocation {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: o - this.starts[lo] + 1 };
  }

  /** Offset of the start of 1-based `line`. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/**
 * YAML 1.2 counts CR LF, CR and LF each as one line break. Both parsers and the line index are given LF
 * only, so every position means the same line to each of them (`yaml` counts lines at LF alone).
 */
export function normaliseBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

// Characters outside YAML's printable set (spec 5.1): C0 controls but tab and LF (CR is gone by now),
// DEL, C1 controls but NEL, and the two non-characters. js-yaml lets some of them through.
// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/g;
const NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'BS', 0x1b: 'ESC', 0x7f: 'DEL', 0x0b: 'VT', 0x0c: 'FF' };
/** One problem per line is enough to find them; a binary file would otherwise print thousands. */
const MAX_REPORTED = 10;

/** Every line holding a character YAML excludes, located at its first such character. */
export function controlCharacters(index: LineIndex): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let lastLine = 0;
  for (const m of index.text.matchAll(NOT_PRINTABLE)) {
    const loc = index.at(m.index ?? 0);
    if (loc.line === lastLine) continue;
    lastLine = loc.line;
    if (issues.length === MAX_REPORTED) {
      issues.push({ code: 'E_YAML', message: 'invalid YAML: more control characters follow; only the first lines with one are listed', path: [], loc });
      break;
    }
    const cp = m[0].codePointAt(0) ?? 0;
    const name = NAMES[cp] ? ` (${NAMES[cp]})` : '';
    issues.push({
      code: 'E_YAML',
      message: `invalid YAML: control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}${name} is not allowed`,
      hint: 'YAML allows no control characters other than tab and line breaks; write it as an escape in a double-quoted string ("\\a", "\\e", "\\0")',
      path: [],
      loc,
    });
  }
  return issues;
}
