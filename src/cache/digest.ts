/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of `text`, as 16 hex digits: a short, stable name for cache files.
 *
 * Not a cryptographic hash, on purpose: loading node:crypto costs a warm run about 4 ms, an eighth of
 * node's own start-up. Nothing relies on it resisting collisions: every cache file stores the full
 * identity it was written for and is used only when that matches exactly, so a collision is a miss.
 *
 * The 64-bit state is kept in four 16-bit limbs so every step stays in exact double arithmetic
 * (BigInt is several times slower on a cold start). The prime is 2^40 + 0x1b3.
 */
export function digest64(text: string): string {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const byte of Buffer.from(text, 'utf8')) {
    h0 ^= byte;
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    t2 += t1 >>> 16;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
    h2 = t2 & 0xffff;
  }
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
