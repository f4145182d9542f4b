import {
  setResult,
  STATUS_DIVISION_BY_ZERO,
  STATUS_INVALID_ARGUMENT,
  STATUS_OK,
  STATUS_OVERFLOW,
} from "../status";
import { div128by64, divRem, mul64, mulHi } from "./u128";
import { roundUp, validRounding } from "./rounding";

const PRICE_ONE: i64 = 1000000000;
const I64_MAX_MAGNITUDE: u64 = 0x7fffffffffffffff;

// @ts-ignore: decorator
@inline
function magnitude(x: i64): u64 {
  return x < 0 ? <u64>(0 - x) : <u64>x;
}

/**
 * Stores sign * magnitude as an i64 result, or reports overflow. The magnitude of i64's minimum
 * is 2^63, which only a negative result may take.
 */
export function storeSigned(m: u64, negative: bool): i32 {
  if (negative) {
    if (m > I64_MAX_MAGNITUDE + 1) return STATUS_OVERFLOW;
    setResult(<i64>(0 - m));
  } else {
    if (m > I64_MAX_MAGNITUDE) return STATUS_OVERFLOW;
    setResult(<i64>m);
  }
  return STATUS_OK;
}

/**
 * Divides the 128-bit magnitude (hi, lo) by d with `rounding` for a result of sign `negative` and
 * stores it; the shared tail of every multiply, divide and VWAP.
 */
export function divideRounded(hi: u64, lo: u64, d: u64, negative: bool, rounding: i32): i32 {
  if (hi >= d) return STATUS_OVERFLOW;
  let q = div128by64(hi, lo, d);
  const up = roundUp(q, divRem, d, negative, rounding);
  if (up < 0) return STATUS_INVALID_ARGUMENT;
  if (up == 1) {
    if (q == U64.MAX_VALUE) return STATUS_OVERFLOW;
    q++;
  }
  return storeSigned(q, negative);
}

/** a * b / c with one rounding at the end and an exact 128-bit intermediate. */
export function mulDiv(a: i64, b: i64, c: i64, rounding: i32): i32 {
  if (!validRounding(rounding)) return STATUS_INVALID_ARGUMENT;
  if (c == 0) return STATUS_DIVISION_BY_ZERO;
  const negative = (a < 0) != (b < 0) != (c < 0);
  const lo = mul64(magnitude(a), magnitude(b));
  return divideRounded(mulHi, lo, magnitude(c), negative, rounding);
}

/** Fixed (1e-9) x fixed, rounded. */
export function mulFixed(a: i64, b: i64, rounding: i32): i32 {
  return mulDiv(a, b, PRICE_ONE, rounding);
}

/** Fixed (1e-9) / fixed, rounded. */
export function divFixed(a: i64, b: i64, rounding: i32): i32 {
  return mulDiv(a, PRICE_ONE, b, rounding);
}

/** Fixed x integer: exact, so only overflow can fail. */
export function mulInt(a: i64, n: i64): i32 {
  const negative = (a < 0) != (n < 0);
  const lo = mul64(magnitude(a), magnitude(n));
  if (mulHi != 0) return STATUS_OVERFLOW;
  return storeSigned(lo, negative);
}

/** Fixed / integer, rounded. */
export function divInt(a: i64, n: i64, rounding: i32): i32 {
  return mulDiv(a, 1, n, rounding);
}
