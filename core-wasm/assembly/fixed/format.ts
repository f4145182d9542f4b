import { STATUS_INVALID_ARGUMENT } from "../status";
import { MAX_SCALE, pow10 } from "./pow10";
import { roundUp, validRounding } from "./rounding";

/** Longest output: sign, 20 integer digits, point, 18 decimals. */
export const FORMAT_MAX_BYTES: i32 = 40;

const CHAR_0: u8 = 0x30;

// Writes the decimal digits of v right-aligned ending before `end`; returns the start.
function writeDigitsBackwards(v: u64, end: usize): usize {
  let p = end;
  do {
    p--;
    store<u8>(p, CHAR_0 + <u8>(v % 10));
    v /= 10;
  } while (v != 0);
  return p;
}

// Writes exactly `width` digits of v (zero-padded) starting at ptr.
function writeDigitsPadded(v: u64, width: i32, ptr: usize): void {
  for (let k = width - 1; k >= 0; k--) {
    store<u8>(ptr + k, CHAR_0 + <u8>(v % 10));
    v /= 10;
  }
}

/**
 * Formats `value` (units of 10^-scale) as ASCII at `out` (FORMAT_MAX_BYTES available) and returns
 * the length, or the negated status. `decimals < 0` gives the shortest exact form (no trailing
 * zeros, no point for integers); otherwise exactly `decimals` (0..18) digits after the point,
 * rounded with `rounding` when fewer than `scale`. A result that rounds to zero prints unsigned.
 */
export function formatDecimal(
  value: i64,
  scale: i32,
  decimals: i32,
  rounding: i32,
  out: usize,
): i32 {
  if (scale < 0 || scale > MAX_SCALE || decimals > MAX_SCALE || !validRounding(rounding)) {
    return -STATUS_INVALID_ARGUMENT;
  }
  const negative = value < 0;
  let m: u64 = negative ? <u64>(0 - value) : <u64>value;
  let fractionWidth = scale;
  if (decimals >= 0 && decimals < scale) {
    const d = pow10(scale - decimals);
    const q = m / d;
    m = q + <u64>roundUp(q, m % d, d, negative, rounding);
    fractionWidth = decimals;
  }
  const unit = pow10(fractionWidth);
  const integer = m / unit;
  let fraction = m % unit;

  let p = out;
  if (negative && m != 0) {
    store<u8>(p, 0x2d);
    p++;
  }
  // Integer digits: write backwards into the tail of the buffer, then move them forward.
  const tail = out + <usize>FORMAT_MAX_BYTES;
  const start = writeDigitsBackwards(integer, tail);
  const integerLength = <i32>(tail - start);
  memory.copy(p, start, integerLength);
  p += integerLength;

  let width = fractionWidth;
  if (decimals < 0) {
    while (width > 0 && fraction % 10 == 0) {
      fraction /= 10;
      width--;
    }
  }
  if (width > 0) {
    store<u8>(p, 0x2e);
    writeDigitsPadded(fraction, width, p + 1);
    p += 1 + width;
  }
  // Decimals beyond the scale are zeros.
  if (decimals > scale) {
    if (width == 0) {
      store<u8>(p, 0x2e);
      p++;
    }
    memory.fill(p, CHAR_0, decimals - scale);
    p += decimals - scale;
  }
  return <i32>(p - out);
}
