// Batch kernels: the host crosses the WASM boundary once per batch, never once per value.
import {
  resultValue,
  setResult,
  STATUS_DIVISION_BY_ZERO,
  STATUS_EMPTY,
  STATUS_INVALID_ARGUMENT,
  STATUS_OK,
  STATUS_OVERFLOW,
} from "../status";
import { finishShort, parseDecimal, SHORT_MAX } from "./parse";
import { MAX_SCALE } from "./pow10";
import { CHAR_0, CHAR_MINUS, CHAR_PLUS, CHAR_POINT } from "./chars";

import { mul64, mulHi } from "./u128";
import { divideRounded } from "./arith";
import { validRounding } from "./rounding";

let batchErrors: i32 = 0;

/** Number of items that failed in the last parseLines / parseSpans call. */
export function lastBatchErrors(): i32 {
  return batchErrors;
}

// @ts-ignore: decorator
@inline
function parseInto(ptr: usize, len: i32, scale: i32, k: i32, values: usize, status: usize): void {
  const s = parseDecimal(ptr, len, scale);
  store<i64>(values + (<usize>k << 3), s == STATUS_OK ? resultValue() : 0);
  store<u8>(status + <usize>k, <u8>s);
  if (s != STATUS_OK) batchErrors++;
}

/**
 * Parses the items of [ptr, ptr + len) separated by the byte `separator` (a trailing separator
 * ends the last item). Writes up to maxCount i64 values and u8 statuses; returns the item count.
 * One pass: short plain items are parsed while looking for the separator; anything longer or with
 * an exponent is handed to parseDecimal once its end is known.
 */
export function parseLines(
  ptr: usize,
  len: i32,
  separator: u8,
  scale: i32,
  values: usize,
  status: usize,
  maxCount: i32,
): i32 {
  batchErrors = 0;
  if (scale < 0 || scale > MAX_SCALE) return -STATUS_INVALID_ARGUMENT;
  const end = ptr + <usize>len;
  let p = ptr;
  let k: i32 = 0;
  while (p < end && k < maxCount) {
    const start = p;
    let negative = false;
    let c = <u32>load<u8>(p);
    if (c == CHAR_MINUS) {
      negative = true;
      p++;
    } else if (c == CHAR_PLUS) {
      p++;
    }
    const digitsStart = p;
    let point: usize = 0;
    let plain = true;
    let mantissa: u64 = 0;
    for (; p < end; p++) {
      c = <u32>load<u8>(p);
      if (c == <u32>separator) break;
      const d = c - CHAR_0;
      if (d < 10) mantissa = mantissa * 10 + d;
      else if (c == CHAR_POINT && point == 0) point = p;
      else plain = false;
    }
    const itemLength = <i32>(p - start);
    let s: i32;
    if (plain && itemLength <= SHORT_MAX) {
      const digits = <i32>(p - digitsStart) - (point == 0 ? 0 : 1);
      const fractionDigits = point == 0 ? 0 : <i32>(p - point) - 1;
      s = finishShort(mantissa, digits, fractionDigits, negative, scale);
    } else {
      s = parseDecimal(start, itemLength, scale);
    }
    store<i64>(values + (<usize>k << 3), s == STATUS_OK ? resultValue() : 0);
    store<u8>(status + <usize>k, <u8>s);
    if (s != STATUS_OK) batchErrors++;
    k++;
    p++; // the separator
  }
  return k;
}

/**
 * Parses `count` items of the buffer at `ptr` given as (offset, length) u32 pairs at `spans`, e.g.
 * the number fields of a raw venue message. Returns the number of failed items.
 */
export function parseSpans(
  ptr: usize,
  spans: usize,
  count: i32,
  scale: i32,
  values: usize,
  status: usize,
): i32 {
  batchErrors = 0;
  for (let k: i32 = 0; k < count; k++) {
    const at = spans + (<usize>k << 3);
    parseInto(ptr + <usize>load<u32>(at), <i32>load<u32>(at, 4), scale, k, values, status);
  }
  return batchErrors;
}

/**
 * Exact sum of n i64 at `values`: wrap-arounds are counted, so an intermediate overflow that later
 * comes back is fine; STATUS_OVERFLOW only when the true sum leaves i64.
 */
export function sumI64(values: usize, n: i32): i32 {
  let sum: i64 = 0;
  let wraps: i64 = 0; // true sum = sum + wraps * 2^64
  for (let k: i32 = 0; k < n; k++) {
    const x = load<i64>(values + (<usize>k << 3));
    const next = sum + x;
    // Overflow iff both operands share a sign that the sum does not.
    if (((sum ^ next) & (x ^ next)) < 0) wraps += x < 0 ? -1 : 1;
    sum = next;
  }
  if (wraps != 0) return STATUS_OVERFLOW;
  setResult(sum);
  return STATUS_OK;
}

/** Minimum of n i64 at `values`; STATUS_EMPTY when n is 0. */
export function minI64(values: usize, n: i32): i32 {
  if (n <= 0) return STATUS_EMPTY;
  let best = load<i64>(values);
  for (let k: i32 = 1; k < n; k++) {
    const x = load<i64>(values + (<usize>k << 3));
    if (x < best) best = x;
  }
  setResult(best);
  return STATUS_OK;
}

/** Maximum of n i64 at `values`; STATUS_EMPTY when n is 0. */
export function maxI64(values: usize, n: i32): i32 {
  if (n <= 0) return STATUS_EMPTY;
  let best = load<i64>(values);
  for (let k: i32 = 1; k < n; k++) {
    const x = load<i64>(values + (<usize>k << 3));
    if (x > best) best = x;
  }
  setResult(best);
  return STATUS_OK;
}

/**
 * Volume-weighted average price sum(p * s) / sum(s) over n prices and non-negative sizes, with an
 * exact signed 128-bit numerator and one rounding at the end. Sizes may use any scale.
 */
export function vwap(prices: usize, sizes: usize, n: i32, rounding: i32): i32 {
  if (!validRounding(rounding)) return STATUS_INVALID_ARGUMENT;
  if (n <= 0) return STATUS_EMPTY;
  let hi: i64 = 0; // two's complement 128-bit accumulator (hi, lo)
  let lo: u64 = 0;
  let sizeSum: u64 = 0;
  for (let k: i32 = 0; k < n; k++) {
    const p = load<i64>(prices + (<usize>k << 3));
    const s = load<i64>(sizes + (<usize>k << 3));
    if (s < 0) return STATUS_INVALID_ARGUMENT;
    const nextSize = sizeSum + <u64>s;
    if (nextSize < sizeSum) return STATUS_OVERFLOW;
    sizeSum = nextSize;
    let pLo = mul64(p < 0 ? <u64>(0 - p) : <u64>p, <u64>s);
    let pHi = <i64>mulHi;
    if (p < 0) {
      pLo = ~pLo + 1;
      pHi = ~pHi + (pLo == 0 ? 1 : 0);
    }
    const sumLo = lo + pLo;
    const sumHi = hi + pHi + (sumLo < lo ? 1 : 0);
    if (((hi ^ sumHi) & (pHi ^ sumHi)) < 0) return STATUS_OVERFLOW;
    hi = sumHi;
    lo = sumLo;
  }
  if (sizeSum == 0) return STATUS_DIVISION_BY_ZERO;
  const negative = hi < 0;
  if (negative) {
    lo = ~lo + 1;
    hi = ~hi + (lo == 0 ? 1 : 0);
  }
  return divideRounded(<u64>hi, lo, sizeSum, negative, rounding);
}

/** Number of `byte`s in [ptr, ptr + len): sizes the outputs of parseLines. 16 bytes per step. */
export function countByte(ptr: usize, len: i32, byte: u8): i32 {
  let count: i32 = 0;
  let i: i32 = 0;
  const needle = i8x16.splat(<i8>byte);
  for (; i + 16 <= len; i += 16) {
    const matches = i8x16.eq(v128.load(ptr + <usize>i), needle);
    count += <i32>popcnt(i8x16.bitmask(matches));
  }
  for (; i < len; i++) {
    if (load<u8>(ptr + <usize>i) == byte) count++;
  }
  return count;
}
