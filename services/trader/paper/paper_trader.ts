/**
 * Paper trading on the shared engine: one StrategyRunner per (strategy, symbol), all on one
 * SimulatedExchange with the configured accounts. Live ticks drive the runners; a clock closes
 * time bars when no tick comes; every decision becomes a `live_strategy_log` row; signals and
 * fills print a compact live line. Before trading, a strategy warms up on cached ticks.
 * @module
 */
import type { Decimal } from "decimal.js";
import type { AppConfig } from "@shared/config/mod.ts";
import {
  type BarData,
  type Fill,
  type Order,
  type Signal,
  SimulatedExchange,
  StrategyParamError,
  StrategyRunner,
} from "@shared/engine/mod.ts";
import { resolveStrategy, StrategyFileError } from "@shared/engine/strategy_file.ts";
import { monotonicNs } from "@shared/ipc/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { loggableReason } from "@shared/storage/mod.ts";
import type { StrategyLogWriter } from "./log_writer.ts";
import { liveLine, type LiveLineSlot } from "./live_line.ts";
import type { StrategySpec } from "./specs.ts";

/** A tick as the paper trader needs it (a LiveTrade or a cached tick). */
export interface PaperTick {
  symbol: string;
  tsEvent: bigint;
  price: bigint;
  size: number;
  side: string;
}

/** Options of {@linkcode PaperTrader.create}. */
export interface PaperTraderOptions {
  config: AppConfig;
  specs: readonly StrategySpec[];
  /** Decimal places of a symbol's DBN size (from the instruments table). */
  sizeScale(symbol: string): number;
  log?: StrategyLogWriter;
  /** Live lines (signals, fills, status). */
  out?: (line: string) => void;
  logger: Logger;
}

/** One strategy on one symbol. */
export interface PaperSlot extends LiveLineSlot {
  readonly strategyId: string;
  readonly hash: string;
  readonly runner: StrategyRunner;
  decisions: number;
  fills: number;
  rejected: number;
  failed: boolean;
}

/** Per-symbol clock state: the last tick's time, and when it arrived. */
interface SymbolClock {
  lastTsNs: bigint;
  arrivedMs: number;
  /** Nothing earlier than this may reach the runners (bars up to here are closed). */
  floorNs: bigint;
  /** The last tick's exact price (what a bar-close decision is logged at). */
  lastPrice: bigint;
}

/** A decision row's position and account figures, as strings. */
interface AccountBooks {
  position: string;
  cash: string;
  portfolioValue: string;
  realizedPnl: string;
  totalPnl: string;
}

/** A bad strategy, parameter or account: one line for the user. */
export class PaperConfigError extends Error {
  override readonly name = "PaperConfigError";
}

/** See the module doc. */
export class PaperTrader {
  readonly exchange: SimulatedExchange;
  readonly slots: readonly PaperSlot[];
  readonly #bySymbol = new Map<string, PaperSlot[]>();
  readonly #byKey = new Map<string, PaperSlot>();
  readonly #clocks = new Map<string, SymbolClock>();
  readonly #initialEquity = new Map<string, Decimal>();
  readonly #o: PaperTraderOptions;
  /** Ticks older than their symbol's clock, fed at the clock's time. */
  lateTicks = 0;
  /** Failures while logging or printing a decision (trading went on). */
  listenerErrors = 0;
  /** monotonicNs() of the latest decision (before it was logged): the signal's time. */
  lastDecisionNs = 0;
  readonly #rejectedIds = new Set<string>();
  readonly #fillsByAccount = new Map<string, number>();
  readonly #memo = new Map<PaperSlot, { fills: number; flat: boolean; books: AccountBooks }>();
  /** Symbols warmed up on cached ticks whose first live tick is still to come. */
  readonly #warmed = new Set<string>();

  private constructor(options: PaperTraderOptions, exchange: SimulatedExchange) {
    this.#o = options;
    this.exchange = exchange;
    this.slots = [];
  }

  /** Resolves and initializes every strategy; bad input throws PaperConfigError (one line). */
  static async create(options: PaperTraderOptions): Promise<PaperTrader> {
    const exchange = new SimulatedExchange({
      accounts: options.config.accounts,
      fees: options.config.fees,
    });
    const trader = new PaperTrader(options, exchange);
    for (const account of exchange.accounts()) {
      trader.#initialEquity.set(account.id, account.equity());
    }
    try {
      for (const spec of options.specs) {
        for (const symbol of spec.symbols) await trader.#addSlot(spec, symbol);
      }
    } catch (error) {
      trader.free();
      if (
        error instanceof StrategyParamError || error instanceof StrategyFileError ||
        error instanceof RangeError
      ) {
        throw new PaperConfigError(error.message, { cause: error });
      }
      throw error;
    }
    return trader;
  }

  /** The symbols some strategy trades. */
  symbols(): string[] {
    return [...this.#bySymbol.keys()];
  }

  /** Feeds cached history without trading, so indicators are warm before the first live tick. */
  warmUp(ticks: readonly PaperTick[]): void {
    for (const slot of this.slots) slot.runner.trading = false;
    try {
      for (const tick of ticks) {
        this.onTick(tick);
        // Its first live tick closes the stale warm-up bar: that one stays muted too.
        this.#warmed.add(tick.symbol);
      }
    } finally {
      for (const slot of this.slots) slot.runner.trading = true;
    }
  }

  /** One live tick: every strategy on its symbol sees it. */
  onTick(tick: PaperTick): void {
    const slots = this.#bySymbol.get(tick.symbol);
    if (slots === undefined) return;
    const clock = this.#clock(tick.symbol);
    let ts = tick.tsEvent;
    if (ts < clock.floorNs) {
      ts = clock.floorNs;
      this.lateTicks++;
    }
    clock.lastTsNs = clock.floorNs = ts;
    clock.lastPrice = tick.price;
    clock.arrivedMs = performance.now();
    const side = tick.side.charCodeAt(0);
    const muted = this.#warmed.delete(tick.symbol);
    for (const slot of slots) {
      if (muted) slot.runner.trading = false;
      if (!slot.failed && !slot.runner.pushTick(ts, tick.price, tick.size, side)) {
        this.#failed(slot);
      }
      if (muted) slot.runner.trading = true;
    }
  }

  /**
   * The real-time clock: closes the time bars due by now. "Now" is the data's clock (the last
   * tick's time plus the wall time since it arrived), so a replay closes bars at its own pace.
   */
  closeDue(nowMs = performance.now()): void {
    for (const [symbol, clock] of this.#clocks) {
      const now = clock.lastTsNs + BigInt(Math.max(0, Math.floor((nowMs - clock.arrivedMs) * 1e6)));
      if (now <= clock.floorNs) continue;
      clock.floorNs = now;
      for (const slot of this.#bySymbol.get(symbol) ?? []) {
        if (!slot.failed && !slot.runner.closeDue(now)) this.#failed(slot);
      }
    }
  }

  /** P&L of an account since start (equity now - equity at start). */
  pnl(accountId: string): Decimal {
    const account = this.exchange.account(accountId);
    return account.equity().minus(this.#initialEquity.get(accountId) ?? 0);
  }

  /** One status line per strategy. */
  statusLines(): string[] {
    return this.slots.map((slot) => liveLine(this, slot, { kind: "status" }));
  }

  free(): void {
    for (const slot of this.slots) slot.runner.free();
  }

  async #addSlot(spec: StrategySpec, symbol: string): Promise<void> {
    const resolved = await resolveStrategy(spec.strategy);
    const strategy = resolved.strategy;
    strategy.initialize(spec.params);
    const accountId = this.exchange.resolveAccountId(
      strategy.id,
      spec.account ?? strategy.accountId(),
    );
    const key = `${strategy.id}|${symbol}`;
    if (this.#byKey.has(key)) {
      throw new RangeError(`Strategy ${strategy.id} is configured twice on ${symbol}`);
    }
    const quantity = spec.params.quantity ??
      strategy.params.find((p) => p.name === "quantity")?.default ?? "1";
    const slot: PaperSlot = {
      strategyId: strategy.id,
      hash: resolved.sha256,
      symbol,
      accountId,
      decisions: 0,
      fills: 0,
      rejected: 0,
      failed: false,
      runner: new StrategyRunner({
        strategy,
        symbol,
        sizeScale: this.#o.sizeScale(symbol),
        exchange: this.exchange,
        accountId,
        barType: strategy.preferredBarType(),
        mode: strategy.barDataMode(),
        defaultQuantity: String(quantity),
        strategyUrl: resolved.file === undefined ? undefined : `file://${resolved.file.path}`,
        listener: {
          onDecision: (signal, event, order) =>
            this.#safely(() => this.#decided(slot, signal, event, order)),
          onFill: (fill) => this.#safely(() => this.#filled(fill)),
          onRejected: (order) => this.#safely(() => this.#rejected(order)),
        },
      }),
    };
    (this.slots as PaperSlot[]).push(slot);
    this.#byKey.set(key, slot);
    const list = this.#bySymbol.get(symbol) ?? [];
    list.push(slot);
    this.#bySymbol.set(symbol, list);
  }

  #clock(symbol: string): SymbolClock {
    let clock = this.#clocks.get(symbol);
    if (clock === undefined) {
      clock = { lastTsNs: 0n, arrivedMs: 0, floorNs: 0n, lastPrice: 0n };
      this.#clocks.set(symbol, clock);
    }
    return clock;
  }

  #decided(slot: PaperSlot, signal: Signal, event: BarData, order: Order | undefined): void {
    slot.decisions++;
    this.lastDecisionNs = monotonicNs();
    const log = this.#o.log;
    if (log === undefined && signal.action === "HOLD") return;
    const price = event.currentTick?.priceFixed ?? this.#clock(slot.symbol).lastPrice;
    const tsEvent = event.currentTick?.tsEvent ?? event.ohlcBar.closeTime;
    if (log !== undefined) {
      log.add({
        tsEvent,
        strategyId: slot.strategyId,
        strategyHash: slot.hash,
        accountId: slot.accountId,
        symbol: slot.symbol,
        signal: signal.action,
        price,
        quantity: order === undefined ? "0" : order.quantity.toFixed(),
        ...this.#books(slot),
        tickCount: event.metadata.tickCount,
        ...(signal.action === "HOLD" || signal.reason === undefined
          ? {}
          : { reason: loggableReason(signal.reason) }),
      });
    }
    if (signal.action !== "HOLD") {
      this.#o.out?.(liveLine(this, slot, { kind: "signal", signal, price }));
    }
  }

  /**
   * The strategy's position and its account's books as log strings. Between fills of a flat
   * account nothing in them can change, so they are reused (a HOLD row costs no decimal work).
   */
  #books(slot: PaperSlot): AccountBooks {
    const memo = this.#memo.get(slot);
    if (memo !== undefined && memo.fills === this.#accountFills(slot.accountId) && memo.flat) {
      return memo.books;
    }
    const account = this.exchange.account(slot.accountId);
    const equity = account.equity();
    const books: AccountBooks = {
      position: money(this.exchange.strategyPosition(slot.accountId, slot.strategyId, slot.symbol)),
      cash: money(account.cash),
      portfolioValue: money(equity),
      realizedPnl: money(account.realizedPnl),
      totalPnl: money(this.pnl(slot.accountId)),
    };
    const flat = [...account.positions().values()].every((p) => p.quantity.isZero());
    this.#memo.set(slot, { fills: this.#accountFills(slot.accountId), flat, books });
    return books;
  }

  #accountFills(accountId: string): number {
    return this.#fillsByAccount.get(accountId) ?? 0;
  }

  #filled(fill: Fill): void {
    this.#fillsByAccount.set(fill.accountId, this.#accountFills(fill.accountId) + 1);
    const slot = this.#byKey.get(`${fill.strategyId}|${fill.symbol}`);
    if (slot === undefined) return;
    slot.fills++;
    this.#o.out?.(liveLine(this, slot, { kind: "fill", fill }));
  }

  #rejected(order: Order): void {
    // Every runner on the exchange sees every rejection: count each order once, on its own slot.
    if (this.#rejectedIds.has(order.id)) return;
    this.#rejectedIds.add(order.id);
    const slot = this.#byKey.get(`${order.strategyId}|${order.symbol}`);
    if (slot === undefined) return;
    slot.rejected++;
    this.#o.out?.(liveLine(this, slot, { kind: "rejected", order }));
  }

  /** A listener's failure (a log row, a live line) is counted and logged; trading goes on. */
  #safely(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.listenerErrors++;
      if (this.listenerErrors === 1 || this.listenerErrors % 1000 === 0) {
        this.#o.logger.error("Paper trading report failed", {
          error: (error as Error).message,
          count: this.listenerErrors,
        });
      }
    }
  }

  #failed(slot: PaperSlot): void {
    slot.failed = true;
    this.#o.logger.error("Strategy stopped", {
      strategy: slot.strategyId,
      symbol: slot.symbol,
      error: slot.runner.failure?.message,
    });
  }
}

/** A decimal as live_strategy_log stores it (at most 12 places). */
function money(value: Decimal): string {
  return value.toDecimalPlaces(12).toFixed();
}
