/**
 * One line on a terminal's stderr naming a step that is taking a while (`assuming Admin (hop 2 of 3)…`),
 * shown after SHOW_AFTER_MS and erased when the step ends. Never on a pipe or with -q: the Logger that owns
 * it decides (log.ts), and log lines written meanwhile erase it first and redraw it after.
 */

/** A step quicker than this shows nothing: most warm runs finish well inside it. */
export const SHOW_AFTER_MS = 300;

/** Timers, injectable so tests control time instead of waiting for it. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending progress line must never keep dsops alive.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ProgressTarget {
  /** Raw text to stderr, no newline added. */
  write(text: string): void;
  /** Width of the terminal, so the line never wraps (a wrapped line cannot be erased with one \r). */
  columns(): number | undefined;
}

interface Step {
  label: string;
  due: boolean;
}

// Erase the whole line and go back to its start.
const ERASE = '\r\x1b[2K';

/** The progress line: one at a time, the most recent step that is due. */
export class ProgressLine {
  private readonly steps: Step[] = [];
  private shown: string | undefined;

  constructor(
    private readonly target: ProgressTarget,
    private readonly clock: Clock = realClock,
    private readonly showAfterMs = SHOW_AFTER_MS,
  ) {}

  /** Runs `work`, showing `label` while it lasts longer than the delay; erased when it settles either way. */
  async during<T>(label: string, work: () => Promise<T>): Promise<T> {
    const step: Step = { label, due: false };
    this.steps.push(step);
    const timer = this.clock.setTimeout(() => {
      step.due = true;
      this.redraw();
    }, this.showAfterMs);
    try {
      return await work();
    } finally {
      this.clock.clearTimeout(timer);
      this.steps.splice(this.steps.indexOf(step), 1);
      this.redraw();
    }
  }

  /** Takes the line off the screen (before a log line is written). */
  erase(): void {
    if (this.shown === undefined) return;
    this.target.write(ERASE);
    this.shown = undefined;
  }

  /** Shows the most recent due step, or nothing. */
  redraw(): void {
    const due = [...this.steps].reverse().find((s) => s.due);
    const text = due ? this.fit(`${due.label}…`) : undefined;
    if (text === this.shown) return;
    this.target.write(text === undefined ? ERASE : `${ERASE}${text}`);
    this.shown = text;
  }

  private fit(text: string): string {
    const width = this.target.columns();
    return width && text.length >= width ? `${text.slice(0, Math.max(1, width - 2))}…` : text;
  }
}

/** A wait longer than this is logged at the normal level, on a terminal or not: a pipe's reader sees why. */
export const NOTICE_AFTER_MS = 2000;

/** What waitWithNotice needs of a Logger (log.ts imports this module, so not the class itself). */
export interface WaitLogger {
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
  info(msg: string): void;
  verbose(msg: string): void;
  enabled(level: 'verbose'): boolean;
  readonly timers: Clock;
}

/**
 * Runs `work`, a wait on something outside this process (another run's lock): the progress line names it
 * after ~300 ms on a terminal, and `notice` is logged once it has lasted NOTICE_AFTER_MS, without -v.
 */
export async function waitWithNotice<T>(log: WaitLogger, label: string, notice: string, work: () => Promise<T>): Promise<T> {
  // With -v it is said at once; otherwise only once the wait is long enough to be worth a line.
  const verbose = log.enabled('verbose');
  if (verbose) log.verbose(notice);
  const timer = verbose ? undefined : log.timers.setTimeout(() => log.info(notice), NOTICE_AFTER_MS);
  try {
    return await log.step(label, work);
  } finally {
    if (timer !== undefined) log.timers.clearTimeout(timer);
  }
}
