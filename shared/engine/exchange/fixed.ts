/**
 * Conversions between the exchange's fixed-point prices (i64, 1e-9 units, bigint) and the
 * ledger's decimals, and the Decimal constructor the ledger computes with.
 * @module
 */
import { Decimal } from "decimal.js";

/**
 * The ledger's Decimal: 40 significant digits, enough for a 19-digit i64 price times a quantity
 * of up to ~20 digits with no rounding; only divisions (average prices, ratios) round, half even.
 * Results of ledger operations are instances of this constructor, so further arithmetic on them
 * keeps its precision.
 */
export const LedgerDecimal: typeof Decimal = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
});

/** The largest i64: the "no sell limit" end of a limit band. */
export const MAX_I64 = 9_223_372_036_854_775_807n;

const FIXED_SCALE = new LedgerDecimal(1_000_000_000);

/** The exact decimal value of a fixed-point price (`123_450_000_000n` -> 123.45). */
export function fixedToDecimal(price: bigint): Decimal {
  return new LedgerDecimal(price.toString()).div(FIXED_SCALE);
}

/**
 * The fixed-point price of `value`, rounded to the 1e-9 grid ("up" towards +infinity, "down"
 * towards -infinity, "exact" throws on a value off the grid).
 *
 * @throws {RangeError} when the result is off the grid (exact) or outside the i64 range
 */
export function decimalToFixed(value: Decimal.Value, rounding: "up" | "down" | "exact"): bigint {
  const scaled = new LedgerDecimal(value).times(FIXED_SCALE);
  if (!scaled.isFinite()) throw new RangeError(`Cannot convert "${scaled}" to a fixed price`);
  const mode = rounding === "up" ? LedgerDecimal.ROUND_CEIL : LedgerDecimal.ROUND_FLOOR;
  const whole = scaled.toDecimalPlaces(0, mode);
  if (rounding === "exact" && !whole.eq(scaled)) {
    throw new RangeError(`Cannot convert "${value}" to a fixed price: more than 9 decimals`);
  }
  const fixed = BigInt(whole.toFixed(0));
  if (fixed > MAX_I64 || fixed < -MAX_I64 - 1n) {
    throw new RangeError(`Cannot convert "${value}" to a fixed price: outside the i64 range`);
  }
  return fixed;
}

/**
 * Last prices by symbol, kept as fixed point (a tick only stores a bigint) and turned into a
 * Decimal when the ledger reads one (equity, unrealised P&L), once per new price.
 */
export class MarkBook {
  readonly #fixed = new Map<string, bigint>();
  readonly #decimal = new Map<string, { price: bigint; value: Decimal }>();

  /** The last price of `symbol`. */
  set(symbol: string, price: bigint): void {
    this.#fixed.set(symbol, price);
  }

  /** The last price of `symbol` in price units, or undefined when never marked. */
  get(symbol: string): Decimal | undefined {
    const price = this.#fixed.get(symbol);
    if (price === undefined) return undefined;
    const cached = this.#decimal.get(symbol);
    if (cached !== undefined && cached.price === price) return cached.value;
    const value = fixedToDecimal(price);
    this.#decimal.set(symbol, { price, value });
    return value;
  }
}
