/**
 * The fee and slippage model of the simulated exchange, from `[fees]`.
 * @module
 */
import type { Decimal } from "decimal.js";
import type { FeesConfig } from "@shared/config/mod.ts";
import { decimalToFixed, fixedToDecimal, LedgerDecimal } from "./fixed.ts";
import type { Liquidity, OrderSide } from "./order_types.ts";

const BPS = new LedgerDecimal(10_000);

/**
 * Maker/taker fees and market-order slippage. Fee = notional * bps / 10000, exact in
 * {@linkcode LedgerDecimal}; slipped prices are rounded to the 1e-9 grid against the trader.
 */
export class FeeModel {
  /** Maker fee rate (a fraction: 2 bps -> 0.0002). */
  readonly makerRate: Decimal;
  /** Taker fee rate. */
  readonly takerRate: Decimal;
  /** Slippage rate of market orders. */
  readonly slippageRate: Decimal;

  constructor(fees: FeesConfig) {
    this.makerRate = rate(fees.maker_bps, "maker_bps");
    this.takerRate = rate(fees.taker_bps, "taker_bps");
    this.slippageRate = rate(fees.slippage_bps, "slippage_bps");
  }

  /** The fee rate paid by `liquidity`. */
  feeRate(liquidity: Liquidity): Decimal {
    return liquidity === "maker" ? this.makerRate : this.takerRate;
  }

  /** The fee on `notional` (in the account's currency) for `liquidity`. */
  fee(notional: Decimal, liquidity: Liquidity): Decimal {
    return new LedgerDecimal(notional).times(this.feeRate(liquidity));
  }

  /**
   * The fill price of a market order at `price` (fixed 1e-9): buys pay price * (1 + slippage)
   * rounded up to the grid, sells get price * (1 - slippage) rounded down.
   */
  marketPrice(side: OrderSide, price: bigint): bigint {
    const base = fixedToDecimal(price);
    return side === "BUY"
      ? decimalToFixed(base.times(this.slippageRate.plus(1)), "up")
      : decimalToFixed(base.times(new LedgerDecimal(1).minus(this.slippageRate)), "down");
  }
}

function rate(bps: string, key: string): Decimal {
  const value = new LedgerDecimal(bps);
  if (!value.isFinite() || value.isNegative() || value.gt(BPS)) {
    throw new RangeError(`Cannot use fees.${key} "${bps}": expected basis points 0-10000`);
  }
  return value.div(BPS);
}
