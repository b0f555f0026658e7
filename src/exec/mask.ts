/**
 * The streaming filter behind `exec --mask`: replaces every occurrence of a secret in a byte stream with
 * `****`, even when a write splits it. Pure (no timers, no I/O): the caller feeds chunks, and calls
 * flush() at the end or after a quiet period. Works on bytes, so a split UTF-8 character is never an issue.
 */
export const MASK = '****';

/** Shorter values are not masked: replacing every "on" or "42" in a log would hide more than it protects. */
export const MIN_MASKED_LENGTH = 4;

/**
 * The byte strings to mask for these values: each value of at least MIN_MASKED_LENGTH characters, and each
 * line of a multi-line one (a child printing a key line by line, or with other line endings). Longest first.
 */
export function maskTargets(values: Iterable<string>): Buffer[] {
  const out = new Set<string>();
  for (const v of values) {
    if ([...v].length >= MIN_MASKED_LENGTH) out.add(v);
    for (const line of v.split(/\r\n|\r|\n/)) if (line !== v && [...line.trim()].length >= MIN_MASKED_LENGTH) out.add(line);
  }
  return [...out].map((s) => Buffer.from(s, 'utf8')).sort((a, b) => b.length - a.length);
}

export class Masker {
  private held: Buffer = Buffer.alloc(0);
  private readonly first = new Set<number>();
  private readonly mask = Buffer.from(MASK);

  /** `targets` as from maskTargets (longest first). */
  constructor(private readonly targets: Buffer[]) {
    for (const t of targets) this.first.add(t[0]);
  }

  /** Bytes held back: the end of the input that could still be the start of a secret (< the longest secret). */
  get pending(): number {
    return this.held.length;
  }

  /** Feeds a chunk; returns what can be written now. */
  push(chunk: Buffer): Buffer {
    if (!this.targets.length) return chunk;
    return this.scan(this.held.length ? Buffer.concat([this.held, chunk]) : chunk, false);
  }

  /** Returns everything held back (masked where a whole secret is there). For the end of the stream or a quiet period. */
  flush(): Buffer {
    const held = this.held;
    this.held = Buffer.alloc(0);
    return held.length ? this.scan(held, true) : held;
  }

  private scan(buf: Buffer, final: boolean): Buffer {
    const out: Buffer[] = [];
    let from = 0;
    let i = 0;
    for (; i < buf.length; i++) {
      if (!this.first.has(buf[i])) continue;
      const rest = buf.length - i;
      // A longer secret may still be completed by the next chunk: wait rather than mask a shorter one
      // and let the longer one's tail through.
      if (!final && this.targets.some((t) => t.length > rest && buf.compare(t, 0, rest, i, buf.length) === 0)) break;
      const hit = this.targets.find((t) => t.length <= rest && buf.compare(t, 0, t.length, i, i + t.length) === 0);
      if (!hit) continue;
      out.push(buf.subarray(from, i), this.mask);
      i += hit.length - 1;
      from = i + 1;
    }
    out.push(buf.subarray(from, i));
    this.held = final ? Buffer.alloc(0) : Buffer.from(buf.subarray(i));
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }
}

/**
 * Whether `exec` masks without --mask/--no-mask: in CI (CI set to anything but "" / "false" / "0", as
 * GitHub Actions, GitLab, CircleCI, Buildkite and Travis set it) when stdout is not a terminal, since
 * that output ends up in a log others can read. At a terminal, off: the output is the user's own.
 */
export function maskByDefault(env: Record<string, string | undefined>, stdoutIsTTY: boolean): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return !stdoutIsTTY && ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
