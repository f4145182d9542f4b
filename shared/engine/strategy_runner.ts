/**
 * One strategy on one symbol: bars from the BarGenerator, signals from the strategy, orders to
 * the SimulatedExchange. Backtest feeds it chunks of history; paper trading feeds it live ticks
 * and a clock. Orders signalled on an event fill on the next tick after it, never on a price the
 * strategy has already seen, and a strategy that throws stops the run with its file and line.
 * @module
 */
import type { Decimal } from "decimal.js";
import { BarGenerator, type BarSink } from "./bars/mod.ts";
import { StrategyRuntimeError } from "./errors.ts";
import {
  decimalToFixed,
  type Fill,
  LedgerDecimal,
  MAX_I64,
  type Order,
  type SimulatedExchange,
} from "./exchange/mod.ts";
import {
  type BarData,
  type BarDataMode,
  type BarType,
  HOLD,
  type Signal,
  type Strategy,
  type TickChunk,
} from "./types.ts";

const I64_MIN = -MAX_I64 - 1n;

/** What a runner reports as it goes (all optional). */
export interface RunnerListener {
  /** Every closed bar (real or synthetic), after the strategy saw it. */
  onBarClosed?(bar: BarData, equity: Decimal, position: Decimal): void;
  onFill?(fill: Fill): void;
  onRejected?(order: Order): void;
  /** Every signal other than HOLD, with the event it answered. */
  onSignal?(signal: Signal, event: BarData): void;
  /**
   * Every event the strategy answered while trading (HOLD included), with the order it made
   * (undefined for HOLD or a zero quantity).
   */
  onDecision?(signal: Signal, event: BarData, order: Order | undefined): void;
}

/** Options of {@linkcode StrategyRunner}. */
export interface StrategyRunnerOptions {
  /** An initialized strategy. */
  strategy: Strategy;
  symbol: string;
  sizeScale: number;
  exchange: SimulatedExchange;
  /** The resolved account id. */
  accountId: string;
  barType: BarType;
  mode: BarDataMode;
  /** Quantity of a BUY/SELL without quantity or target (the strategy's `quantity` param). */
  defaultQuantity: string;
  /** file:// URL of a user strategy, to locate its errors. */
  strategyUrl?: string;
  listener?: RunnerListener;
}

/** Drives one strategy; see the module doc. */
export class StrategyRunner implements BarSink, Disposable {
  readonly #o: StrategyRunnerOptions;
  readonly #bars: BarGenerator;
  #failure: StrategyRuntimeError | undefined;
  /** Rejections already reported (the exchange's list only grows). */
  #rejectedSeen = 0;
  /**
   * False while warming up on cached history: the strategy sees the events (its indicators fill)
   * but its signals place no orders and are not reported.
   */
  trading = true;

  constructor(options: StrategyRunnerOptions) {
    this.#o = options;
    this.#bars = new BarGenerator({
      symbol: options.symbol,
      barType: options.barType,
      mode: options.mode,
      sizeScale: options.sizeScale,
    });
  }

  /** The error that stopped the strategy, if any. */
  get failure(): StrategyRuntimeError | undefined {
    return this.#failure;
  }

  /** Ticks aggregated so far. */
  get ticks(): number {
    return this.#bars.ticks;
  }

  /** History (or a batch of live ticks). Returns false once the strategy has failed. */
  process(chunk: TickChunk): boolean {
    return this.#guard(() => this.#bars.process(chunk, this));
  }

  /** Live: one tick. Returns false once the strategy has failed. */
  pushTick(tsEvent: bigint, price: bigint, size: number, side: number): boolean {
    return this.#guard(() => this.#bars.pushTick(tsEvent, price, size, side, this));
  }

  /** Live clock, or the end of a history range: closes the bars due at `nowNs`. */
  closeDue(nowNs: bigint): boolean {
    return this.#guard(() => this.#bars.closeDue(nowNs, this));
  }

  /** BarSink: a strategy event. */
  onBarData(event: BarData, lastPrice: bigint): void {
    const o = this.#o;
    o.exchange.mark(o.symbol, lastPrice);
    let signal: Signal;
    try {
      signal = o.strategy.onBarData(event);
    } catch (e) {
      throw this.#fail(e);
    }
    if (!this.trading) return;
    let order: Order | undefined;
    if (signal !== undefined && signal !== null && signal.action !== "HOLD") {
      o.listener?.onSignal?.(signal, event);
      order = this.#submit(signal, event, lastPrice);
    }
    o.listener?.onDecision?.(signal ?? HOLD, event, order);
    if (event.metadata.isBarClosed && o.listener?.onBarClosed !== undefined) {
      const account = o.exchange.account(o.accountId);
      o.listener.onBarClosed(event, account.equity(), o.exchange.position(o.accountId, o.symbol));
    }
  }

  /** BarSink: the tick at `index` can fill waiting orders. */
  onCross(index: number): void {
    const o = this.#o;
    const tick = this.#bars.tickAt(index);
    o.exchange.mark(o.symbol, tick.price);
    const fills = [
      ...o.exchange.fillMarketOrders(o.symbol, tick.price, tick.tsEvent),
      ...o.exchange.fillLimitOrders(o.symbol, tick.price, tick.tsEvent),
    ];
    for (const fill of fills) o.listener?.onFill?.(fill);
    for (const order of o.exchange.rejected().slice(this.#rejectedSeen)) {
      o.listener?.onRejected?.(order);
    }
    this.#rejectedSeen = o.exchange.rejected().length;
    this.#updateBand();
  }

  free(): void {
    this.#bars.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }

  #guard(run: () => void): boolean {
    if (this.#failure !== undefined) return false;
    try {
      run();
    } catch (e) {
      if (e === this.#failure) return false;
      throw e;
    }
    return true;
  }

  #fail(cause: unknown): StrategyRuntimeError {
    this.#failure = new StrategyRuntimeError(
      this.#o.strategy.id,
      locate(cause, this.#o.strategyUrl),
      cause,
    );
    return this.#failure;
  }

  #submit(signal: Signal, event: BarData, lastPrice: bigint): Order | undefined {
    if (signal.action !== "BUY" && signal.action !== "SELL") {
      throw this.#fail(new TypeError(`Invalid signal ${JSON.stringify(signal)}`));
    }
    const o = this.#o;
    let quantity: Decimal;
    let limitPrice: bigint | undefined;
    try {
      quantity = this.#quantityOf(signal);
      if (signal.limitPrice !== undefined) {
        limitPrice = decimalToFixed(decimalOf(signal.limitPrice, "limitPrice"), "exact");
      }
    } catch (e) {
      throw this.#fail(e);
    }
    if (quantity.lte(0)) return undefined;
    const order = o.exchange.submit({
      strategyId: o.strategy.id,
      accountId: o.accountId,
      symbol: o.symbol,
      side: signal.action,
      type: limitPrice === undefined ? "market" : "limit",
      quantity,
      limitPrice,
      tsNs: event.currentTick?.tsEvent ?? event.ohlcBar.closeTime,
      reason: signal.reason,
    }, lastPrice);
    if (order.status === "rejected") {
      o.listener?.onRejected?.(order);
      this.#rejectedSeen = o.exchange.rejected().length;
    }
    this.#updateBand();
    return order;
  }

  #quantityOf(signal: Signal & { action: "BUY" | "SELL" }): Decimal {
    if (signal.quantity !== undefined) {
      const quantity = decimalOf(signal.quantity, "quantity");
      if (quantity.lte(0)) throw new RangeError(`Signal quantity must be > 0, got ${quantity}`);
      return quantity;
    }
    if (signal.target !== undefined) {
      const target = decimalOf(signal.target, "target");
      const o = this.#o;
      const position = o.exchange.strategyPosition(o.accountId, o.strategy.id, o.symbol);
      return signal.action === "BUY" ? target.minus(position) : position.minus(target);
    }
    return new LedgerDecimal(this.#o.defaultQuantity);
  }

  /** Pending market orders stop the kernel at the very next tick; limits at their prices. */
  #updateBand(): void {
    const o = this.#o;
    if (o.exchange.hasPendingMarket(o.symbol)) {
      this.#bars.setStopBand(MAX_I64, I64_MIN);
      return;
    }
    const band = o.exchange.limitBand(o.symbol);
    this.#bars.setStopBand(
      band.buyAtOrBelow < 0n ? I64_MIN : band.buyAtOrBelow,
      band.sellAtOrAbove,
    );
  }
}

function decimalOf(value: string | number, what: string): Decimal {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError(`Signal ${what} must be a finite number, got ${value}`);
  }
  try {
    return new LedgerDecimal(String(value));
  } catch {
    throw new RangeError(`Signal ${what} must be a decimal, got "${value}"`);
  }
}

/**
 * "file:line:col" of the frame of `cause` in the strategy's file (its first frame when the file
 * is unknown), as a path when it is a file URL.
 */
export function locate(cause: unknown, strategyUrl: string | undefined): string | undefined {
  const stack = cause instanceof Error ? cause.stack ?? "" : "";
  const frames = [...stack.matchAll(/((?:file|https?):\/\/[^\s()]+):(\d+):(\d+)/g)];
  const frame = frames.find((f) => strategyUrl !== undefined && f[1] === strategyUrl) ??
    (strategyUrl === undefined ? frames[0] : undefined);
  if (frame === undefined) return undefined;
  const file = frame[1]!.startsWith("file://")
    ? decodeURIComponent(new URL(frame[1]!).pathname)
    : frame[1]!;
  return `${file}:${frame[2]}:${frame[3]}`;
}
