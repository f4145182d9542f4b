import {
  setResult,
  STATUS_INEXACT,
  STATUS_INVALID_ARGUMENT,
  STATUS_OK,
  STATUS_OVERFLOW,
  STATUS_SYNTAX,
} from "../status";
import { MAX_SCALE, pow10 } from "./pow10";
import { storeSigned } from "./arith";
import { CHAR_0, CHAR_E, CHAR_LOWER_E, CHAR_MINUS, CHAR_PLUS, CHAR_POINT } from "./chars";

const EXPONENT_CAP: i64 = 1000000000; // beyond this every non-zero value over/underflows anyway

/**
 * Parses the ASCII decimal at [ptr, ptr + len) into an integer in units of 10^-scale: an optional
 * sign, digits with at most one point, an optional exponent (`1e-5`, `1.5E+3`). The result is
 * exact or an error status: a non-zero digit below 10^-scale is STATUS_INEXACT (never rounded),
 * a value outside i64 is STATUS_OVERFLOW, anything else malformed is STATUS_SYNTAX.
 *
 * Leading and trailing zeros cost nothing: the mantissa keeps only the digits between the first
 * and the last non-zero digit, and the zeros after it become a power of ten.
 */
export function parseDecimal(ptr: usize, len: i32, scale: i32): i32 {
  if (scale < 0 || scale > MAX_SCALE) return STATUS_INVALID_ARGUMENT;
  if (len <= 0) return STATUS_SYNTAX;
  if (len <= SHORT_MAX) {
    const status = parseShort(ptr, len, scale);
    if (status != STATUS_NOT_SHORT) return status;
  }
  return parseLong(ptr, len, scale);
}

// At most 19 digits: the whole digit string fits in a u64 without tracking zeros.
export const SHORT_MAX: i32 = 19;
const STATUS_NOT_SHORT: i32 = -1;

/**
 * The common case, every price a venue sends: at most 19 characters, so all digits accumulate
 * into one u64 directly. Returns STATUS_NOT_SHORT for an exponent, letting parseLong decide.
 */
// @ts-ignore: decorator
@inline
function parseShort(ptr: usize, len: i32, scale: i32): i32 {
  let i: i32 = 0;
  let negative = false;
  const first = <u32>load<u8>(ptr);
  if (first == CHAR_MINUS) {
    negative = true;
    i = 1;
  } else if (first == CHAR_PLUS) {
    i = 1;
  }
  const digitsStart = i;
  let point: i32 = -1;
  let mantissa: u64 = 0;
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    const d = c - CHAR_0;
    if (d < 10) {
      mantissa = mantissa * 10 + d;
    } else if (c == CHAR_POINT && point < 0) {
      point = i;
    } else {
      return STATUS_NOT_SHORT;
    }
  }
  const digits = len - digitsStart - (point < 0 ? 0 : 1);
  return finishShort(mantissa, digits, point < 0 ? 0 : len - point - 1, negative, scale);
}

/**
 * Stores the value of a short decimal (at most 19 digits, all in `mantissa`, no exponent) with
 * `fractionDigits` of them after the point, or reports why it has none.
 */
// @ts-ignore: decorator
@inline
export function finishShort(
  mantissa: u64,
  digits: i32,
  fractionDigits: i32,
  negative: bool,
  scale: i32,
): i32 {
  if (digits == 0) return STATUS_SYNTAX;
  const shift = scale - fractionDigits;
  if (shift < 0) {
    const unit = pow10(-shift);
    if (mantissa % unit != 0) return STATUS_INEXACT;
    return storeSigned(mantissa / unit, negative);
  }
  const unit = pow10(shift);
  if (mantissa > U64.MAX_VALUE / unit) return STATUS_OVERFLOW;
  return storeSigned(mantissa * unit, negative);
}

/** Any length, leading and trailing zeros, exponents. */
function parseLong(ptr: usize, len: i32, scale: i32): i32 {
  let i: i32 = 0;
  let negative = false;
  let c = <u32>load<u8>(ptr);
  if (c == CHAR_MINUS) {
    negative = true;
    i = 1;
  } else if (c == CHAR_PLUS) {
    i = 1;
  }

  let mantissa: u64 = 0; // valid while significant <= 19
  let significant: i64 = 0; // digits from the first to the last non-zero digit
  let pendingZeros: i64 = 0; // zeros after the last non-zero digit
  let fractionDigits: i64 = 0;
  let digits: i32 = 0;
  let seenPoint = false;
  for (; i < len; i++) {
    c = <u32>load<u8>(ptr + i);
    const d = c - CHAR_0;
    if (d < 10) {
      digits++;
      if (seenPoint) fractionDigits++;
      if (d == 0) {
        if (significant > 0) pendingZeros++;
        continue;
      }
      significant += pendingZeros + 1;
      if (significant <= 19) {
        mantissa = mantissa * pow10(<i32>pendingZeros + 1) + d;
      }
      pendingZeros = 0;
    } else if (c == CHAR_POINT && !seenPoint) {
      seenPoint = true;
    } else if ((c == CHAR_E || c == CHAR_LOWER_E) && digits > 0) {
      break;
    } else {
      return STATUS_SYNTAX;
    }
  }
  if (digits == 0) return STATUS_SYNTAX;

  let exponent: i64 = 0;
  if (i < len) {
    i++; // the 'e'
    let exponentNegative = false;
    if (i < len) {
      c = <u32>load<u8>(ptr + i);
      if (c == CHAR_MINUS || c == CHAR_PLUS) {
        exponentNegative = c == CHAR_MINUS;
        i++;
      }
    }
    if (i >= len) return STATUS_SYNTAX;
    for (; i < len; i++) {
      const d = <u32>load<u8>(ptr + i) - CHAR_0;
      if (d >= 10) return STATUS_SYNTAX;
      if (exponent < EXPONENT_CAP) exponent = exponent * 10 + d;
    }
    if (exponentNegative) exponent = -exponent;
  }

  if (significant == 0) {
    setResult(0);
    return STATUS_OK;
  }
  const shift = <i64>scale + exponent + pendingZeros - fractionDigits;
  if (shift < 0) return STATUS_INEXACT;
  if (significant + shift > 19) return STATUS_OVERFLOW;
  return storeSigned(mantissa * pow10(<i32>shift), negative);
}
