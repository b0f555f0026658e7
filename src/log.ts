/** Log levels: quiet shows errors only; verbose shows steps and timings; debug adds why each decision was made. */
export type LogLevel = 'quiet' | 'normal' | 'verbose' | 'debug';
const RANK: Record<LogLevel, number> = { quiet: 0, normal: 1, verbose: 2, debug: 3 };

/**
 * Everything dsops says goes to stderr: stdout belongs to the child (and to `plan --json`, `cache list`).
 * Callers pass names, ids and timings here, never values.
 */
export class Logger {
  private color: boolean | undefined;
  private warnedOnce = new Set<string>();

  constructor(
    readonly level: LogLevel = 'normal',
    private readonly write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
    private readonly env: Record<string, string | undefined> = process.env,
    private readonly isTTY: () => boolean = () => process.stderr.isTTY === true,
  ) {}

  private paint(code: string, text: string): string {
    // Decided on first use: touching process.stderr costs start-up time on runs that print nothing.
    // NO_COLOR counts when set to anything but the empty string (no-color.org).
    this.color ??= this.isTTY() && !this.env.NO_COLOR && this.env.TERM !== 'dumb';
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  /** `text` in the colour of its kind, when stderr shows colour: config errors look like runtime errors. */
  style(kind: 'error' | 'warning' | 'hint', text: string): string {
    return this.paint(kind === 'error' ? '31' : kind === 'warning' ? '33' : '2', text);
  }

  /** Writes a line as it is (already styled), at every level: for errors, which -q does not hide. */
  line(text: string): void {
    this.write(text);
  }

  enabled(level: LogLevel): boolean {
    return RANK[this.level] >= RANK[level];
  }

  error(msg: string, hint?: string): void {
    this.write(`${this.paint('31', 'dsops: error:')} ${msg}`);
    if (hint) this.write(`  ${this.paint('2', 'hint:')} ${hint}`);
  }

  warn(msg: string): void {
    if (this.enabled('normal')) this.write(`${this.paint('33', 'dsops: warning:')} ${msg}`);
  }

  /** A warning shown once per process however many stores hit it (e.g. an unwritable cache dir). */
  warnOnce(key: string, msg: string, level: LogLevel = 'normal'): void {
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    if (this.enabled(level)) this.write(`${this.paint('33', 'dsops: warning:')} ${msg}`);
  }

  info(msg: string): void {
    if (this.enabled('normal')) this.write(`dsops: ${msg}`);
  }

  verbose(msg: string): void {
    if (this.enabled('verbose')) this.write(this.paint('2', `dsops: ${msg}`));
  }

  debug(msg: string): void {
    if (this.enabled('debug')) this.write(this.paint('2', `dsops: debug: ${msg}`));
  }
}

/** A logger that drops everything, for library callers who do not want output. */
export const silentLogger = new Logger('quiet', () => undefined);
