/** Exit codes dsops itself uses (a child's own code is passed through unchanged). */
export const EXIT = {
  OK: 0,
  RUNTIME: 1,
  CONFIG: 2,
  NOT_FOUND: 127,
} as const;

/** Where in the config file a problem sits. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** One located config problem. A config load collects all of them before anything is reported. */
export interface ConfigIssue {
  /** Stable code, e.g. `E_UNKNOWN_KEY`; tests and users can match on it. */
  code: string;
  /** Starts with its subject, e.g. `store aws-sts-prod: ...`. */
  message: string;
  /** Path into the document (keys and indexes) that the problem is about. */
  path: (string | number)[];
  /** Filled in by the loader from the YAML source. */
  loc?: SourceLocation;
  hint?: string;
  /** Point at the key itself rather than its value (unknown keys, duplicates). */
  atKey?: boolean;
}

/** Base class: every error dsops reports on purpose carries an exit code and prints without a stack. */
export class DsopsError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The config is wrong: exit 2, nothing was called, no child started. */
export class ConfigError extends DsopsError {
  constructor(readonly issues: ConfigIssue[]) {
    super(`${issues.length} config problem${issues.length === 1 ? '' : 's'}`, 'E_CONFIG', EXIT.CONFIG);
  }
}

/** A failure while resolving stores: exit 1. Names the store, the hop and the AWS error code. */
export class ResolveError extends DsopsError {
  constructor(
    message: string,
    code: string,
    readonly store: string,
    hint?: string,
    readonly awsCode?: string,
  ) {
    super(message, code, EXIT.RUNTIME, hint);
  }
}

/** Formats a location as `file:line:col`. */
export function formatLoc(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

/** One line per issue, `file:line:col: error[CODE] message`, and an indented hint line where one helps. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.loc ? `${formatLoc(issue.loc)}: ` : '';
  const hint = issue.hint ? `\n    hint: ${issue.hint}` : '';
  return `${where}error[${issue.code}] ${issue.message}${hint}`;
}
