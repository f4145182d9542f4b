/**
 * The compact live line of paper trading: time, what happened, the strategy and symbol, then the
 * account's position, equity and P&L, e.g.
 * `12:00:01 FILL  rsi BTCUSD BUY 0.01 @ 42154.46 fee 0.21 | pos 0.01 | equity 100012.34 USDT | P&L +12.34`.
 * @module
 */
import type { Decimal } from "decimal.js";
import {
  type Fill,
  fixedToDecimal,
  type Order,
  type Signal,
  type SimulatedExchange,
} from "@shared/engine/mod.ts";

/** What a line needs of a strategy slot. */
export interface LiveLineSlot {
  readonly symbol: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly decisions: number;
  readonly fills: number;
}

/** What the line is about. */
export type LiveLineEvent =
  | { kind: "signal"; signal: Signal; price: bigint }
  | { kind: "fill"; fill: Fill }
  | { kind: "rejected"; order: Order }
  | { kind: "status" };

/** Where the account figures come from. */
export interface LiveLineSource {
  readonly exchange: SimulatedExchange;
  pnl(accountId: string): Decimal;
}

const price = (fixed: bigint) => fixedToDecimal(fixed).toFixed();
const amount = (d: Decimal) => d.toDecimalPlaces(2).toFixed(2);

/** One line, no newline. */
export function liveLine(
  source: LiveLineSource,
  slot: LiveLineSlot,
  event: LiveLineEvent,
  now = new Date(),
): string {
  const time = now.toISOString().slice(11, 19);
  const who = `${slot.strategyId} ${slot.symbol}`;
  let what: string;
  switch (event.kind) {
    case "signal": {
      const s = event.signal;
      const size = s.action === "HOLD"
        ? ""
        : s.quantity !== undefined
        ? ` ${s.quantity}`
        : s.target !== undefined
        ? ` to ${s.target}`
        : "";
      what = `${s.action.padEnd(5)} ${who}${size} @ ${price(event.price)}`;
      break;
    }
    case "fill": {
      const f = event.fill;
      what = `FILL  ${who} ${f.side} ${f.quantity.toFixed()} @ ${price(f.price)} fee ${
        f.fee.toDecimalPlaces(4).toFixed()
      }`;
      break;
    }
    case "rejected":
      what = `REJECT ${who} ${event.order.side} ${event.order.quantity.toFixed()}: ${
        event.order.rejectReason ?? "rejected"
      }`;
      break;
    case "status":
      what = `STAT  ${who} ${slot.decisions} decisions ${slot.fills} fills`;
      break;
  }
  const account = source.exchange.account(slot.accountId);
  const position = source.exchange.strategyPosition(slot.accountId, slot.strategyId, slot.symbol);
  const pnl = source.pnl(slot.accountId);
  return `${time} ${what} | pos ${position.toFixed()} | equity ${
    amount(account.equity())
  } ${account.currency} | P&L ${pnl.isNegative() ? "" : "+"}${amount(pnl)}`;
}
