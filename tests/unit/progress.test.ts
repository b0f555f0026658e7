/** The progress line (src/progress.ts) and its use through Logger.step, on an injected clock: no test waits for time. */
import { Logger } from '../../src/log';
import { Clock, NOTICE_AFTER_MS, ProgressLine, SHOW_AFTER_MS, waitWithNotice } from '../../src/progress';

/** Timers that fire only when the test moves time on. */
class FakeClock implements Clock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.now) continue;
      this.timers.delete(id);
      t.fn();
    }
  }
}

/** A step that ends when the test says so. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { work: () => done, finish };
}

function screen(columns?: number) {
  const out: string[] = [];
  return { out, target: { write: (t: string) => void out.push(t), columns: () => columns } };
}
const ERASE = '\r\x1b[2K';

describe('ProgressLine', () => {
  it('shows nothing for a step quicker than the delay', async () => {
    const clock = new FakeClock();
    const { out, target } = screen();
    const line = new ProgressLine(target, clock);
    const s = pending();
    const p = line.during('assuming Admin (hop 2 of 3)', s.work);
    clock.advance(SHOW_AFTER_MS - 1);
    s.finish();
    await p;
    expect(out).toEqual([]);
  });

  it('names a slow step after the delay and erases it when the step ends', async () => {
    const clock = new FakeClock();
    const { out, target } = screen();
    const line = new ProgressLine(target, clock);
    const s = pending();
    const p = line.during('assuming Admin (hop 2 of 3)', s.work);
    clock.advance(SHOW_AFTER_MS);
    expect(out).toEqual([`${ERASE}assuming Admin (hop 2 of 3)…`]);
    s.finish();
    await p;
    expect(out).toEqual([`${ERASE}assuming Admin (hop 2 of 3)…`, ERASE]);
  });

  it('erases it when the step fails too', async () => {
    const clock = new FakeClock();
    const { out, target } = screen();
    const line = new ProgressLine(target, clock);
    let fail!: (e: Error) => void;
    const p = line.during('x', () => new Promise((_, reject) => (fail = reject)));
    clock.advance(SHOW_AFTER_MS);
    fail(new Error('AccessDenied'));
    await expect(p).rejects.toThrow('AccessDenied');
    expect(out.at(-1)).toBe(ERASE);
  });

  it('with parallel steps, shows the latest due one, then the other when it ends', async () => {
    const clock = new FakeClock();
    const { out, target } = screen();
    const line = new ProgressLine(target, clock);
    const a = pending();
    const b = pending();
    const pa = line.during('a', a.work);
    const pb = line.during('b', b.work);
    clock.advance(SHOW_AFTER_MS);
    expect(out.at(-1)).toBe(`${ERASE}b…`);
    b.finish();
    await pb;
    expect(out.at(-1)).toBe(`${ERASE}a…`);
    a.finish();
    await pa;
    expect(out.at(-1)).toBe(ERASE);
  });

  it('never wider than the terminal (a wrapped line cannot be erased)', () => {
    const clock = new FakeClock();
    const { out, target } = screen(10);
    const line = new ProgressLine(target, clock);
    void line.during('a rather long step name', pending().work);
    clock.advance(SHOW_AFTER_MS);
    expect(out[0]).toBe(`${ERASE}a rather…`);
  });
});

describe('Logger.step', () => {
  const make = (level: 'quiet' | 'normal', tty: boolean) => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const { out, target } = screen();
    const log = new Logger(level, (l) => void lines.push(l), { NO_COLOR: '1' }, () => tty, tty ? target : undefined, clock);
    return { clock, lines, out, log };
  };

  it('a log line written while the progress line shows erases it first and redraws it after', async () => {
    const { clock, lines, out, log } = make('normal', true);
    const s = pending();
    const p = log.step('assuming Admin', s.work);
    clock.advance(SHOW_AFTER_MS);
    log.warn('something');
    expect(out).toEqual([`${ERASE}assuming Admin…`, ERASE, `${ERASE}assuming Admin…`]);
    expect(lines).toEqual(['dsops: warning: something']);
    s.finish();
    await p;
  });

  it.each([
    ['-q on a terminal', 'quiet' as const, true],
    ['a pipe', 'normal' as const, false],
  ])('%s: nothing is shown', async (_what, level, tty) => {
    const { clock, out, log } = make(level, tty);
    const s = pending();
    const p = log.step('assuming Admin', s.work);
    clock.advance(10 * SHOW_AFTER_MS);
    s.finish();
    await p;
    expect(out).toEqual([]);
  });
});

describe('waitWithNotice (the lock wait)', () => {
  const make = (level: 'normal' | 'verbose' | 'quiet') => {
    const clock = new FakeClock();
    const lines: string[] = [];
    // Not a terminal: the notice must still appear.
    const log = new Logger(level, (l) => void lines.push(l), {}, () => false, undefined, clock);
    return { clock, lines, log };
  };

  it('says nothing for a short wait', async () => {
    const { clock, lines, log } = make('normal');
    const s = pending();
    const p = waitWithNotice(log, 'waiting', 'store a: waiting for another dsops process', s.work);
    clock.advance(NOTICE_AFTER_MS - 1);
    s.finish();
    await p;
    expect(lines).toEqual([]);
  });

  it('logs a wait that lasts over 2 s without -v, on a pipe', async () => {
    const { clock, lines, log } = make('normal');
    const s = pending();
    const p = waitWithNotice(log, 'waiting', 'store a: waiting for another dsops process', s.work);
    clock.advance(NOTICE_AFTER_MS);
    expect(lines).toEqual(['dsops: store a: waiting for another dsops process']);
    s.finish();
    await p;
  });

  it('with -v it is said at once, and once', async () => {
    const { clock, lines, log } = make('verbose');
    const s = pending();
    const p = waitWithNotice(log, 'waiting', 'store a: waiting', s.work);
    clock.advance(5 * NOTICE_AFTER_MS);
    s.finish();
    await p;
    expect(lines).toEqual(['dsops: store a: waiting']);
  });

  it('-q hides it', async () => {
    const { clock, lines, log } = make('quiet');
    const s = pending();
    const p = waitWithNotice(log, 'waiting', 'store a: waiting', s.work);
    clock.advance(5 * NOTICE_AFTER_MS);
    s.finish();
    await p;
    expect(lines).toEqual([]);
  });
});
