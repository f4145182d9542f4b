/**
 * The simulated exchange shared by backtest and paper trading: isolated spot accounts (long
 * only), funds locked per order, market orders filled on the next tick with slippage and the
 * taker fee, limit orders filled at their price with the maker fee. Deterministic: no clock, no
 * randomness; order ids count up from "O-1".
 * @module
 */
import type { Decimal } from "decimal.js";
import { accountForStrategy, type AccountsConfig, type FeesConfig } from "@shared/config/mod.ts";
import { AccountLedger } from "./_ledger.ts";
import { FeeModel } from "./fees.ts";
import { fixedToDecimal, LedgerDecimal, MarkBook } from "./fixed.ts";
import { type LimitBand, NO_BAND, OrderBook, type OrderRecord } from "./_order_book.ts";
import type { AccountView, Fill, Liquidity, Order, OrderRequest } from "./order_types.ts";

/** Options of {@linkcode SimulatedExchange}. */
export interface SimulatedExchangeOptions {
  accounts: AccountsConfig;
  fees: FeesConfig;
}

export type { LimitBand };

const ZERO = new LedgerDecimal(0);

/** A multi-account spot exchange simulator. */
export class SimulatedExchange {
  readonly #config: AccountsConfig;
  readonly #fees: FeeModel;
  readonly #accounts = new Map<string, AccountLedger>();
  readonly #marks = new MarkBook();
  readonly #strategyPositions = new Map<string, Decimal>();
  readonly #orders = new Map<string, OrderRecord>();
  readonly #books = new Map<string, OrderBook>();
  readonly #rejected: OrderRecord[] = [];
  #nextId = 1;

  constructor(options: SimulatedExchangeOptions) {
    this.#config = options.accounts;
    this.#fees = new FeeModel(options.fees);
    for (const account of [options.accounts.default, ...options.accounts.simulation]) {
      if (this.#accounts.has(account.id)) {
        throw new RangeError(`Cannot open account "${account.id}" twice: ids must be unique`);
      }
      this.#accounts.set(account.id, new AccountLedger(account, this.#marks));
    }
  }

  /** The fee and slippage model in use. */
  get fees(): FeeModel {
    return this.#fees;
  }

  /**
   * The account an order of `strategyId` goes to: `requested` when given, else the config's
   * mapping, else the default account.
   *
   * @throws {RangeError} when `requested` names no account (the message lists the known ids)
   */
  resolveAccountId(strategyId: string, requested?: string): string {
    if (requested === undefined || requested === "") {
      return accountForStrategy(this.#config, strategyId);
    }
    return this.#ledger(requested).id;
  }

  /**
   * Accepts an order and locks what it may spend, or rejects it (status "rejected", with the
   * reason) when the account lacks cash (buys) or free position (sells). A market buy locks
   * qty * refPrice * (1 + slippage) * (1 + taker); a limit buy qty * limit * (1 + maker); a sell
   * locks the quantity. Market orders wait for the next tick ({@linkcode fillMarketOrders}).
   *
   * @throws {RangeError} on a non-positive quantity or price, a limit order without a price, or
   * an unknown account
   */
  submit(request: OrderRequest, referencePrice: bigint): Order {
    const quantity = new LedgerDecimal(request.quantity);
    if (!quantity.isFinite() || quantity.lte(0)) {
      throw new RangeError(
        `Cannot submit an order of quantity "${request.quantity}": expected > 0`,
      );
    }
    const isLimit = request.type === "limit";
    const price = isLimit ? request.limitPrice : referencePrice;
    if (price === undefined || price <= 0n) {
      const what = isLimit ? "limit price" : "reference price";
      throw new RangeError(
        `Cannot submit a ${request.type} order with ${what} "${price}": expected > 0`,
      );
    }
    const accountId = this.resolveAccountId(request.strategyId, request.accountId);
    const ledger = this.#ledger(accountId);
    const record: OrderRecord = {
      ...request,
      id: `O-${this.#nextId++}`,
      accountId,
      quantity,
      status: "open",
      locked: ZERO,
      updatedNs: request.tsNs,
    };
    if (!isLimit) delete record.limitPrice;
    this.#orders.set(record.id, record);

    if (request.side === "BUY") {
      const liquidity: Liquidity = isLimit ? "maker" : "taker";
      const fillPrice = isLimit ? price : this.#fees.marketPrice("BUY", price);
      const need = this.#buyCost(quantity, fillPrice, liquidity);
      if (need.gt(ledger.available)) {
        this.#reject(
          record,
          `Insufficient funds on account "${accountId}": the order needs ${need.toFixed()} ` +
            `${ledger.currency}, ${ledger.available.toFixed()} available`,
          request.tsNs,
        );
        return snapshot(record);
      }
      ledger.lockCash(need);
      record.locked = need;
    } else {
      const free = ledger.freeQuantity(request.symbol);
      if (quantity.gt(free)) {
        this.#reject(
          record,
          `Insufficient position on account "${accountId}": cannot sell ${quantity.toFixed()} ` +
            `${request.symbol}, ${free.toFixed()} held and not in open sell orders`,
          request.tsNs,
        );
        return snapshot(record);
      }
      ledger.lockQuantity(request.symbol, quantity);
      record.locked = quantity;
    }
    this.#book(request.symbol).add(record);
    return snapshot(record);
  }

  /** Cancels an open order and releases its lock; false when it is not open. */
  cancel(orderId: string, tsNs?: bigint): boolean {
    const record = this.#orders.get(orderId);
    if (record === undefined || record.status !== "open") return false;
    this.#release(record);
    record.status = "cancelled";
    if (tsNs !== undefined) record.updatedNs = tsNs;
    this.#book(record.symbol).remove(record);
    return true;
  }

  /** Whether `symbol` has market orders waiting for a tick. */
  hasPendingMarket(symbol: string): boolean {
    return this.#books.get(symbol)?.hasMarket ?? false;
  }

  /**
   * Fills every open market order of `symbol` at the tick's `price` with slippage, in id order.
   * A buy whose cost now exceeds its lock plus the available cash is rejected and its lock
   * released.
   */
  fillMarketOrders(symbol: string, price: bigint, tsNs: bigint): Fill[] {
    const pending = this.#books.get(symbol)?.takeMarket() ?? [];
    const fills: Fill[] = [];
    for (const record of pending) {
      const fillPrice = this.#fees.marketPrice(record.side, price);
      if (record.side === "BUY") {
        const ledger = this.#ledger(record.accountId);
        const cost = this.#buyCost(record.quantity, fillPrice, "taker");
        const room = record.locked.plus(ledger.available);
        if (cost.gt(room)) {
          this.#release(record);
          this.#reject(
            record,
            `Insufficient funds on account "${record.accountId}" at fill: the order costs ` +
              `${cost.toFixed()} ${ledger.currency}, ${room.toFixed()} available`,
            tsNs,
          );
          continue;
        }
      }
      fills.push(this.#execute(record, fillPrice, "taker", tsNs));
    }
    return fills;
  }

  /** The open limits of `symbol` nearest the market (for the engine's stop band). */
  limitBand(symbol: string): LimitBand {
    return this.#books.get(symbol)?.band() ?? NO_BAND;
  }

  /**
   * Fills every open limit order of `symbol` that `price` crosses (buy: price <= limit; sell:
   * price >= limit) at its limit price with the maker fee, in id order.
   */
  fillLimitOrders(symbol: string, price: bigint, tsNs: bigint): Fill[] {
    const crossed = this.#books.get(symbol)?.takeCrossed(price) ?? [];
    return crossed.map((record) => this.#execute(record, record.limitPrice!, "maker", tsNs));
  }

  /** Sets the mark price of `symbol` (fixed 1e-9) used for unrealised P&L and equity. */
  mark(symbol: string, price: bigint): void {
    this.#marks.set(symbol, price);
  }

  /**
   * A live view of one account.
   *
   * @throws {RangeError} on an unknown id
   */
  account(id: string): AccountView {
    return this.#ledger(id);
  }

  /** Every account, the default first, then the simulation accounts in config order. */
  accounts(): AccountView[] {
    return [...this.#accounts.values()];
  }

  /** A snapshot of an order, or undefined for an unknown id. */
  order(id: string): Order | undefined {
    const record = this.#orders.get(id);
    return record === undefined ? undefined : snapshot(record);
  }

  /** Snapshots of the open orders, in id order. */
  openOrders(): Order[] {
    return [...this.#orders.values()].filter((o) => o.status === "open").map(snapshot);
  }

  /** Snapshots of the rejected orders, in the order they were rejected (at submit or at fill). */
  rejected(): Order[] {
    return this.#rejected.map(snapshot);
  }

  /** Base units of `symbol` held by an account (zero when none). */
  position(accountId: string, symbol: string): Decimal {
    return this.#ledger(accountId).quantity(symbol);
  }

  /**
   * The part of an account's `symbol` position one strategy's fills built (zero when none): two
   * strategies sharing an account each see, and close, only their own.
   */
  strategyPosition(accountId: string, strategyId: string, symbol: string): Decimal {
    this.#ledger(accountId);
    return this.#strategyPositions.get(strategyKey(accountId, strategyId, symbol)) ?? ZERO;
  }

  #ledger(id: string): AccountLedger {
    const ledger = this.#accounts.get(id);
    if (ledger === undefined) {
      const known = [...this.#accounts.keys()].map((k) => `"${k}"`).join(", ");
      throw new RangeError(`Unknown account "${id}": known accounts are ${known}`);
    }
    return ledger;
  }

  #buyCost(quantity: Decimal, price: bigint, liquidity: Liquidity): Decimal {
    const notional = quantity.times(fixedToDecimal(price));
    return notional.plus(this.#fees.fee(notional, liquidity));
  }

  #execute(record: OrderRecord, price: bigint, liquidity: Liquidity, tsNs: bigint): Fill {
    const ledger = this.#ledger(record.accountId);
    const priceDecimal = fixedToDecimal(price);
    const fee = this.#fees.fee(record.quantity.times(priceDecimal), liquidity);
    this.#release(record);
    let realizedPnl = ZERO;
    if (record.side === "BUY") ledger.buy(record.symbol, record.quantity, priceDecimal, fee);
    else realizedPnl = ledger.sell(record.symbol, record.quantity, priceDecimal, fee);
    const key = strategyKey(record.accountId, record.strategyId, record.symbol);
    const held = this.#strategyPositions.get(key) ?? ZERO;
    this.#strategyPositions.set(
      key,
      record.side === "BUY" ? held.plus(record.quantity) : held.minus(record.quantity),
    );
    record.status = "filled";
    record.updatedNs = tsNs;
    const fill: Fill = {
      orderId: record.id,
      accountId: record.accountId,
      strategyId: record.strategyId,
      symbol: record.symbol,
      side: record.side,
      type: record.type,
      quantity: record.quantity,
      price,
      fee,
      tsNs,
      realizedPnl,
      liquidity,
      ...(record.reason === undefined ? {} : { reason: record.reason }),
    };
    return Object.freeze(fill);
  }

  #release(record: OrderRecord): void {
    const ledger = this.#ledger(record.accountId);
    if (record.side === "BUY") ledger.releaseCash(record.locked);
    else ledger.releaseQuantity(record.symbol, record.locked);
    record.locked = ZERO;
  }

  #reject(record: OrderRecord, reason: string, tsNs: bigint): void {
    record.status = "rejected";
    record.rejectReason = reason;
    record.updatedNs = tsNs;
    this.#rejected.push(record);
  }

  #book(symbol: string): OrderBook {
    let book = this.#books.get(symbol);
    if (book === undefined) {
      book = new OrderBook();
      this.#books.set(symbol, book);
    }
    return book;
  }
}

function snapshot(record: OrderRecord): Order {
  return Object.freeze({ ...record });
}

function strategyKey(accountId: string, strategyId: string, symbol: string): string {
  return `${accountId}\u0000${strategyId}\u0000${symbol}`;
}
