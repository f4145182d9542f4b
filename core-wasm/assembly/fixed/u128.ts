// Unsigned 64x64 -> 128 multiply and 128 / 64 division, the exact intermediates behind every
// fixed-point multiply, divide and VWAP. Results that do not fit a return value go to globals.

export let mulHi: u64 = 0;
export let divRem: u64 = 0;

const B: u64 = 0x100000000;
const MASK32: u64 = 0xffffffff;

/** Returns the low 64 bits of a * b; the high 64 bits are left in `mulHi`. */
export function mul64(a: u64, b: u64): u64 {
  const aLo = a & MASK32;
  const aHi = a >> 32;
  const bLo = b & MASK32;
  const bHi = b >> 32;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const hh = aHi * bHi;
  const mid = (ll >> 32) + (lh & MASK32) + (hl & MASK32);
  mulHi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  return (mid << 32) | (ll & MASK32);
}

/**
 * Divides the 128-bit value (hi, lo) by d, which must be non-zero with hi < d so the quotient
 * fits in 64 bits. Returns the quotient; the remainder is left in `divRem`.
 * Knuth's algorithm D on 32-bit digits (Hacker's Delight, divlu).
 */
export function div128by64(hi: u64, lo: u64, d: u64): u64 {
  if (hi == 0) {
    divRem = lo % d;
    return lo / d;
  }
  const s = <u64>clz(d);
  const v = d << s;
  const vn1 = v >> 32;
  const vn0 = v & MASK32;
  const un32 = s == 0 ? hi : (hi << s) | (lo >> (64 - s));
  const un10 = lo << s;
  const un1 = un10 >> 32;
  const un0 = un10 & MASK32;

  let q1 = un32 / vn1;
  let rhat = un32 - q1 * vn1;
  while (q1 >= B || q1 * vn0 > B * rhat + un1) {
    q1--;
    rhat += vn1;
    if (rhat >= B) break;
  }
  const un21 = un32 * B + un1 - q1 * v;

  let q0 = un21 / vn1;
  rhat = un21 - q0 * vn1;
  while (q0 >= B || q0 * vn0 > B * rhat + un0) {
    q0--;
    rhat += vn1;
    if (rhat >= B) break;
  }
  divRem = (un21 * B + un0 - q0 * v) >> s;
  return q1 * B + q0;
}
