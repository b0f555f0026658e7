import { Clock, ProgressLine, ProgressTarget, realClock } from './progress';

const stderrTarget: ProgressTarget = { write: (t) => process.stderr.write(t), columns: () => process.stderr.columns };

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
  private progressLine: ProgressLine | undefined;
  private readonly write: (line: string) => void;

  constructor(
    readonly level: LogLevel = 'normal',
    write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
    private readonly env: Record<string, string | undefined> = process.env,
    private readonly isTTY: () => boolean = () => process.stderr.isTTY === true,
    /** Where the progress line goes; by default stderr, and only when it is a terminal. */
    private readonly progressTarget?: ProgressTarget,
    private readonly clock: Clock = realClock,
  ) {
    // A log line must not land in the middle of the progress line: take it off, write, put it back.
    this.write = (line) => {
      this.progressLine?.erase();
      write(line);
      this.progressLine?.redraw();
    };
  }

  /**
   * Runs `work`, naming it on a terminal's stderr if it takes longer than ~300 ms (`assuming Admin (hop 2
   * of 3)`), and erasing the line when it ends. Nothing is shown on a pipe or with -q. For the STS call
   * and the lock wait: anything that waits on something the user cannot see.
   */
  step<T>(label: string, work: () => Promise<T>): Promise<T> {
    if (!this.enabled('normal')) return work();
    if (!this.progressLine) {
      // The line is drawn with escape codes a dumb terminal would print as text.
      const target = this.progressTarget ?? (this.isTTY() && this.env.TERM !== 'dumb' ? stderrTarget : undefined);
      if (!target) return work();
      this.progressLine = new ProgressLine(target, this.clock);
    }
    return this.progressLine.during(label, work);
  }

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

  /** The clock the logger's timers use (the lock wait's 2 s notice), injectable for tests. */
  get timers(): Clock {
    return this.clock;
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
