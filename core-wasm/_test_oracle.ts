// decimal.js as the reference the core is tested against: exact, arbitrary precision.
import { Decimal } from "decimal.js";
import { Rounding } from "./fixed.ts";

/** A Decimal with room for any i64 product; divisions truncate, which never moves a rounding. */
export const D = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_DOWN,
  toExpNeg: -1000,
  toExpPos: 1000,
});
export type D = InstanceType<typeof D>;

export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;

/** The decimal.js rounding mode for each of ours. */
export const DECIMAL_ROUNDING: Record<Rounding, Decimal.Rounding> = {
  [Rounding.HalfEven]: Decimal.ROUND_HALF_EVEN,
  [Rounding.TowardZero]: Decimal.ROUND_DOWN,
  [Rounding.HalfAwayFromZero]: Decimal.ROUND_HALF_UP,
  [Rounding.Floor]: Decimal.ROUND_FLOOR,
  [Rounding.Ceil]: Decimal.ROUND_CEIL,
};

/** The grammar parseDecimal accepts (decimal.js also takes hex, NaN and Infinity; we do not). */
export const DECIMAL_GRAMMAR = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type Expected = { ok: bigint } | { error: "syntax" | "inexact" | "overflow" };

/** What parsing `text` at `scale` must give. */
export function expectedParse(text: string, scale = 9): Expected {
  if (!DECIMAL_GRAMMAR.test(text)) return { error: "syntax" };
  return expectedInteger(new D(text).times(new D(10).pow(scale)));
}

/** An exact Decimal as an i64, or the reason it is not one. */
export function expectedInteger(value: D): Expected {
  if (!value.isInteger()) return { error: "inexact" };
  const n = BigInt(value.toFixed(0));
  if (n < I64_MIN || n > I64_MAX) return { error: "overflow" };
  return { ok: n === 0n ? 0n : n };
}

/** The rounded integer of an exact Decimal as an i64, or overflow. */
export function expectedRounded(value: D, rounding: Rounding): Expected {
  return expectedInteger(value.toDecimalPlaces(0, DECIMAL_ROUNDING[rounding]));
}

/** Runs fn and classifies its outcome like Expected. */
export function outcome(fn: () => bigint): Expected {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof SyntaxError) return { error: "syntax" };
    if (e instanceof RangeError) {
      return { error: /decimal places/.test(e.message) ? "inexact" : "overflow" };
    }
    throw e;
  }
}
