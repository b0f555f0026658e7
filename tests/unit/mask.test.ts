/** The `exec --mask` filter: every secret becomes ****, however the child's writes split it. */
import { Masker, maskTargets, MASK } from '../../src/exec/mask';
import { maskStream, Timers } from '../../src/exec/spawn-masked';

const SECRETS = ['hunter2-password', 'AKIAEXAMPLEKEY12', 'päss✓wörd', 'abcd', 'abcdefgh'];

function runAll(chunks: string[], secrets = SECRETS): string {
  const m = new Masker(maskTargets(secrets));
  const out = chunks.map((c) => m.push(Buffer.from(c)));
  out.push(m.flush());
  return Buffer.concat(out).toString('utf8');
}

/** Splits `text` at every byte offset into two chunks (a split UTF-8 character included). */
function everySplit(text: string): Buffer[][] {
  const b = Buffer.from(text);
  return Array.from({ length: b.length + 1 }, (_, i) => [b.subarray(0, i), b.subarray(i)]);
}

describe('Masker', () => {
  it('masks each secret, wherever a write splits it', () => {
    const text = 'user=bob pass=hunter2-password key=AKIAEXAMPLEKEY12 u=päss✓wörd end\n';
    const want = `user=bob pass=${MASK} key=${MASK} u=${MASK} end\n`;
    for (const [a, b] of everySplit(text)) {
      const m = new Masker(maskTargets(SECRETS));
      const out = Buffer.concat([m.push(a), m.push(b), m.flush()]).toString('utf8');
      expect(out).toBe(want);
    }
  });

  it('masks a secret fed one byte at a time', () => {
    const bytes = [...Buffer.from('x hunter2-password y')].map((c) => String.fromCharCode(c));
    const m = new Masker(maskTargets(SECRETS));
    const out = Buffer.concat([...bytes.map((c) => m.push(Buffer.from([c.charCodeAt(0)]))), m.flush()]);
    expect(out.toString()).toBe(`x ${MASK} y`);
  });

  it('prefers the longer of two secrets sharing a start, even split between them', () => {
    expect(runAll(['abcd', 'efgh!'])).toBe(`${MASK}!`);
    expect(runAll(['abcd!'])).toBe(`${MASK}!`);
    expect(runAll(['abcdef'])).toBe(`${MASK}ef`);
  });

  it('holds back less than the longest secret, and nothing when no secret can start there', () => {
    const m = new Masker(maskTargets(SECRETS));
    expect(m.push(Buffer.from('plain text, no secret start: zzz')).toString()).toBe('plain text, no secret start: zzz');
    expect(m.pending).toBe(0);
    m.push(Buffer.from('hunter2-passwor'));
    expect(m.pending).toBe('hunter2-passwor'.length);
    expect(m.flush().toString()).toBe('hunter2-passwor');
  });

  it('leaves values shorter than 4 characters alone, and masks each line of a multi-line value', () => {
    const targets = maskTargets(['abc', 'on', '-----BEGIN-----\nsecretline\n-----END-----']);
    expect(targets.map(String)).not.toContain('abc');
    expect(runAll(['on abc ', 'secretline\n'], ['abc', 'on', '-----BEGIN-----\nsecretline\n-----END-----'])).toBe(`on abc ${MASK}\n`);
  });

  it('passes everything through when there is nothing to mask', () => {
    expect(runAll(['hello ', 'world'], [])).toBe('hello world');
  });
});

describe('maskStream', () => {
  /** Timers run by hand: the quiet period is a step of the test, not a wall-clock wait. */
  function manualTimers() {
    const pending = new Map<number, () => void>();
    let n = 0;
    const timers: Timers = {
      set: (fn) => (pending.set(++n, fn), n),
      clear: (h) => pending.delete(h as number),
    };
    const fire = () => [...pending.entries()].forEach(([k, fn]) => (pending.delete(k), fn()));
    return { timers, fire, pending };
  }

  it('masks a secret split across two writes, and flushes a dangling prefix after the quiet period', () => {
    const { timers, fire, pending } = manualTimers();
    const s = maskStream(maskTargets(SECRETS), 1000, timers);
    const got: string[] = [];
    s.on('data', (d: Buffer) => got.push(d.toString()));
    s.write('token: hunter2-');
    expect(got.join('')).toBe('token: ');
    expect(pending.size).toBe(1);
    s.write('password\nnext: hunt');
    expect(got.join('')).toBe(`token: ${MASK}\nnext: `);
    fire();
    expect(got.join('')).toBe(`token: ${MASK}\nnext: hunt`);
    s.end('er');
    expect(got.join('')).toBe(`token: ${MASK}\nnext: hunter`);
  });
});
