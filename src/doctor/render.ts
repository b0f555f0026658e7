import type { CheckResult, CheckStatus } from './check';

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };
/** ANSI colours as the rest of the CLI uses them: red errors, yellow warnings, dim hints. */
const COLOUR: Record<CheckStatus, string> = { ok: '32', warn: '33', fail: '31', skip: '2' };
const INDENT = ' '.repeat(6);

/**
 * One line a check (`ok    config: ...`), the status padded so the names line up; a problem's hint, and a
 * config's located issues, indented under it. With `quiet`, only the checks that found something.
 */
export function renderText(checks: CheckResult[], opts: { color: boolean; quiet?: boolean }): string {
  const paint = (code: string, text: string) => (opts.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  for (const c of checks) {
    if (opts.quiet && (c.status === 'ok' || c.status === 'skip')) continue;
    const label = LABEL[c.status];
    lines.push(`${paint(COLOUR[c.status], label)}${' '.repeat(INDENT.length - label.length)}${c.name}: ${c.detail}`);
    for (const issue of c.issues ?? []) lines.push(...issue.split('\n').map((l) => `${INDENT}  ${l.trimStart()}`));
    if (c.hint) lines.push(`${INDENT}${paint('2', 'hint:')} ${c.hint}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** `{checks: [{name, status, detail, hint?}], ok}` for --json; `ok` is false when any check failed. */
export function renderJson(checks: CheckResult[]): string {
  const out = {
    checks: checks.map((c) => ({ name: c.name, status: c.status, detail: c.detail, ...(c.hint ? { hint: c.hint } : {}), ...(c.issues ? { issues: c.issues } : {}) })),
    ok: !checks.some((c) => c.status === 'fail'),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
