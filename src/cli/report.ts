import { ConfigError, ConfigIssue, DsopsError, EXIT, formatLoc } from '../errors';
import type { ConfigSource } from '../config/source';
import type { Logger } from '../log';
import { count } from '../plural';

/**
 * Maps any error to what the user sees and the exit code. The only place that decides exit codes
 * for failures; stack traces appear only at --debug, and only for errors dsops did not expect.
 */
export function report(e: unknown, log: Logger, source?: ConfigSource): number {
  if (e instanceof ConfigError) {
    const issues = e.issues.map((i) => ({ ...i, loc: i.loc ?? source?.locate(i.path, i.atKey) }));
    issues.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0));
    for (const i of issues) log.line(styledIssue(i, log));
    log.line(`${log.style('error', 'dsops:')} ${count(issues.length, 'config problem')}; nothing was run`);
    return EXIT.CONFIG;
  }
  if (e instanceof DsopsError) {
    log.error(e.message, e.hint);
    return e.exitCode;
  }
  const err = e as Error;
  log.error(`unexpected failure: ${err?.message ?? String(e)}`, 'run again with --debug for details, and report this if it persists');
  if (log.enabled('debug') && err?.stack) process.stderr.write(err.stack + '\n');
  return EXIT.RUNTIME;
}

/** formatIssue's text (errors.ts), with the error and hint marks coloured as a runtime error's are. */
function styledIssue(issue: ConfigIssue, log: Logger): string {
  const where = issue.loc ? `${formatLoc(issue.loc)}: ` : '';
  const hint = issue.hint ? `\n    ${log.style('hint', 'hint:')} ${issue.hint}` : '';
  return `${where}${log.style('error', `error[${issue.code}]`)} ${issue.message}${hint}`;
}
