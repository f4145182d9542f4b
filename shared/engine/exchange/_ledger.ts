/** One account's books: cash, locks, positions and fees, updated by the exchange on fills. */
import type { Decimal } from "decimal.js";
import type { AccountConfig } from "@shared/config/mod.ts";
import { LedgerDecimal, type MarkBook } from "./fixed.ts";
import type { AccountView, PositionView } from "./order_types.ts";

const ZERO = new LedgerDecimal(0);

interface PositionState {
  quantity: Decimal;
  locked: Decimal;
  avgPrice: Decimal;
  realizedPnl: Decimal;
}

/** The mutable account behind an {@linkcode AccountView}; only the exchange mutates it. */
export class AccountLedger implements AccountView {
  readonly id: string;
  readonly currency: string;
  #cash: Decimal;
  #locked: Decimal = ZERO;
  #feesPaid: Decimal = ZERO;
  #realizedPnl: Decimal = ZERO;
  readonly #positions = new Map<string, PositionState>();
  /** Last marks by symbol, price units; shared by every account of the exchange. */
  readonly #marks: Pick<MarkBook, "get">;

  constructor(
    config: Pick<AccountConfig, "id" | "currency" | "initial_balance">,
    marks: Pick<MarkBook, "get">,
  ) {
    this.id = config.id;
    this.currency = config.currency;
    this.#cash = new LedgerDecimal(config.initial_balance);
    this.#marks = marks;
  }

  get cash(): Decimal {
    return this.#cash;
  }

  get locked(): Decimal {
    return this.#locked;
  }

  get available(): Decimal {
    return this.#cash.minus(this.#locked);
  }

  get feesPaid(): Decimal {
    return this.#feesPaid;
  }

  get realizedPnl(): Decimal {
    return this.#realizedPnl;
  }

  unrealizedPnl(): Decimal {
    let total = ZERO;
    for (const [symbol, position] of this.#positions) {
      const mark = this.#marks.get(symbol);
      if (mark === undefined || position.quantity.isZero()) continue;
      total = total.plus(position.quantity.times(mark.minus(position.avgPrice)));
    }
    return total;
  }

  equity(): Decimal {
    let total = this.#cash;
    for (const [symbol, position] of this.#positions) {
      const price = this.#marks.get(symbol) ?? position.avgPrice;
      total = total.plus(position.quantity.times(price));
    }
    return total;
  }

  positions(): ReadonlyMap<string, PositionView> {
    const out = new Map<string, PositionView>();
    for (const [symbol, p] of this.#positions) {
      out.set(symbol, Object.freeze({ symbol, ...p }));
    }
    return out;
  }

  /** Base units held in `symbol`. */
  quantity(symbol: string): Decimal {
    return this.#positions.get(symbol)?.quantity ?? ZERO;
  }

  /** Base units of `symbol` not held by open sell orders. */
  freeQuantity(symbol: string): Decimal {
    const position = this.#positions.get(symbol);
    return position === undefined ? ZERO : position.quantity.minus(position.locked);
  }

  /** Holds `amount` of cash for an open buy order (the caller checked `available`). */
  lockCash(amount: Decimal): void {
    this.#locked = this.#locked.plus(amount);
  }

  /** Gives back cash an order held. */
  releaseCash(amount: Decimal): void {
    this.#locked = this.#locked.minus(amount);
  }

  /** Holds `quantity` of the position for an open sell order (the caller checked it is free). */
  lockQuantity(symbol: string, quantity: Decimal): void {
    const position = this.#position(symbol);
    position.locked = position.locked.plus(quantity);
  }

  /** Gives back position quantity a sell order held. */
  releaseQuantity(symbol: string, quantity: Decimal): void {
    const position = this.#position(symbol);
    position.locked = position.locked.minus(quantity);
  }

  /** Books a buy: pays quantity * price + fee, averages the entry price. */
  buy(symbol: string, quantity: Decimal, price: Decimal, fee: Decimal): void {
    const position = this.#position(symbol);
    const notional = quantity.times(price);
    const held = position.quantity.plus(quantity);
    position.avgPrice = position.quantity.times(position.avgPrice).plus(notional).div(held);
    position.quantity = held;
    this.#cash = this.#cash.minus(notional).minus(fee);
    this.#feesPaid = this.#feesPaid.plus(fee);
  }

  /** Books a sell of held quantity: receives quantity * price - fee; returns the realised P&L. */
  sell(symbol: string, quantity: Decimal, price: Decimal, fee: Decimal): Decimal {
    const position = this.#position(symbol);
    const realized = quantity.times(price.minus(position.avgPrice));
    position.quantity = position.quantity.minus(quantity);
    if (position.quantity.isZero()) position.avgPrice = ZERO;
    position.realizedPnl = position.realizedPnl.plus(realized);
    this.#realizedPnl = this.#realizedPnl.plus(realized);
    this.#cash = this.#cash.plus(quantity.times(price)).minus(fee);
    this.#feesPaid = this.#feesPaid.plus(fee);
    return realized;
  }

  #position(symbol: string): PositionState {
    let position = this.#positions.get(symbol);
    if (position === undefined) {
      position = { quantity: ZERO, locked: ZERO, avgPrice: ZERO, realizedPnl: ZERO };
      this.#positions.set(symbol, position);
    }
    return position;
  }
}
