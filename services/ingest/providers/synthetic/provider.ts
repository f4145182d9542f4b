/**
 * SyntheticProvider: a seeded random-walk market streamed through the LiveStreamProvider
 * contract, at a fixed event rate or at full speed.
 * @module
 */
import { clearImmediate, setImmediate } from "node:timers";
import { createNullLogger, type Logger } from "@shared/obs/mod.ts";
import { type ConnectionStatus, msToNs, nowMs } from "@shared/venue/mod.ts";
import type { Feed, QuoteEvent, StreamSink, TradeEvent } from "../events.ts";
import type {
  DiscoveredSymbol,
  LiveProviderOptions,
  LiveStreamProvider,
  ProviderInfo,
  ProviderStats,
  SubscriptionStatus,
} from "../types.ts";
import { ALL_SYMBOLS, Subscriptions } from "../subscriptions.ts";
import { discovered, IdentityNormalizer } from "../identity_symbols.ts";
import {
  DEFAULT_START_PRICES,
  QUANTITY_DECIMALS,
  SyntheticMarket,
  type SyntheticStep,
} from "@shared/engine/sources/mod.ts";

/** Events emitted per turn of the event loop at full speed. */
export const FULL_SPEED_BATCH = 512;
/** Shortest wait between two rate-mode ticks; each tick emits every event that fell due. */
export const MIN_TICK_MS = 10;

/** Options of {@linkcode SyntheticProvider}. */
export interface SyntheticProviderOptions extends LiveProviderOptions {
  /** Seed of every generator (default 42). */
  seed?: number;
  /** Events per second over all symbols together; 0 = full speed (default 10). */
  rate?: number;
  /** Also stream the `bbo` feed: a QuoteEvent after each trade (default false). */
  quotes?: boolean;
  /** Exchange stored with the ticks (default `SYNTHETIC`). */
  exchange?: string;
  /** Start price per symbol, decimal strings; their keys are what `*` and discovery list. */
  startPrices?: Record<string, string>;
  /** Price grid (default "0.01"). */
  tickSize?: string;
  /** Stop (and resolve `done`) after this many events. */
  maxEvents?: number;
  /** Event-time source in ns (default: the wall clock); tsRecv equals tsEvent. */
  clock?: () => bigint;
}

/**
 * Streams a synthetic market for the subscribed symbols: each step moves one symbol (chosen at
 * random among the subscribed ones, in sorted order) and emits its trade (`trades` feed) and,
 * with `quotes`, the following best bid and offer (`bbo` feed). The same seed, options and
 * subscriptions give the same events (timestamps aside). Rate, `maxEvents` and
 * `stats().messages` all count events (trades and quotes).
 */
export class SyntheticProvider implements LiveStreamProvider {
  readonly info: ProviderInfo;
  readonly normalizer: IdentityNormalizer;
  readonly #market: SyntheticMarket;
  readonly #rate: number;
  readonly #maxEvents: number;
  readonly #universe: string[];
  readonly #sink: StreamSink;
  readonly #logger: Logger;
  readonly #clock: () => bigint;
  readonly #subscriptions: Subscriptions;
  #symbols: string[] = [];
  #status: ConnectionStatus = "disconnected";
  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #anchorMs: number | undefined;
  #anchorCount = 0;
  #messages = 0;
  #lastMessageMs: number | undefined;
  #done = Promise.withResolvers<void>();
  #doneSettled = false;

  /** Checks the options (rate, maxEvents, tick size, start prices, exchange). */
  constructor(options: SyntheticProviderOptions) {
    const rate = options.rate ?? 10;
    if (!(rate >= 0) || rate === Infinity) {
      throw new RangeError(
        `Invalid synthetic rate ${rate}: expected events per second, 0 = full speed`,
      );
    }
    const maxEvents = options.maxEvents ?? Infinity;
    if (!(maxEvents >= 0)) throw new RangeError(`Invalid maxEvents ${maxEvents}`);
    this.#rate = rate;
    this.#maxEvents = maxEvents;
    this.#market = new SyntheticMarket({
      seed: options.seed ?? 42,
      tickSize: options.tickSize,
      startPrices: options.startPrices,
    });
    this.#universe = Object.keys(options.startPrices ?? DEFAULT_START_PRICES).sort();
    this.#sink = options.sink;
    this.#logger = (options.logger ?? createNullLogger("ingest")).child({ component: "synthetic" });
    this.#clock = options.clock ?? (() => msToNs(nowMs()));
    this.normalizer = new IdentityNormalizer(
      "synthetic",
      options.exchange ?? "SYNTHETIC",
      QUANTITY_DECIMALS,
    );
    const feeds: Feed[] = options.quotes === true ? ["trades", "bbo"] : ["trades"];
    this.#subscriptions = new Subscriptions("synthetic", feeds);
    this.info = {
      name: "synthetic",
      exchange: this.normalizer.exchangeName(),
      feeds,
      live: true,
      historical: false,
    };
  }

  /** Resolves when generation ends: `maxEvents` reached or `disconnect()`. */
  get done(): Promise<void> {
    return this.#done.promise;
  }

  /** Starts generating (on the next turn of the event loop, so a following subscribe lands). */
  connect(): Promise<void> {
    if (this.#running) return Promise.resolve();
    if (this.#doneSettled) {
      this.#done = Promise.withResolvers<void>();
      this.#doneSettled = false;
    }
    if (this.#messages >= this.#maxEvents) return Promise.resolve();
    this.#running = true;
    this.#status = "connected";
    this.#anchorMs = undefined;
    this.#logger.info("Synthetic market started", { rate: this.#rate, maxEvents: this.#maxEvents });
    this.#schedule(0);
    return Promise.resolve();
  }

  /** Stops generating and clears its timer. */
  disconnect(): Promise<void> {
    this.#stop("Synthetic market stopped");
    return Promise.resolve();
  }

  /** True while generating. */
  isConnected(): boolean {
    return this.#status === "connected";
  }

  /** `connected` while generating, else `disconnected`. */
  connectionStatus(): ConnectionStatus {
    return this.#status;
  }

  /** The start-price symbols (or the built-in ones): what `*` subscribes. */
  discoverSymbols(): Promise<DiscoveredSymbol[]> {
    return Promise.resolve(
      discovered(this.#universe, { status: "synthetic", sizeScale: QUANTITY_DECIMALS }),
    );
  }

  /** Generates `feeds` (default trades) of each canonical symbol; `*` = the discovered ones. */
  subscribe(symbols: readonly string[], feeds: readonly Feed[] = ["trades"]): Promise<void> {
    try {
      this.#subscriptions.add(symbols, feeds);
    } catch (e) {
      return Promise.reject(e);
    }
    this.#refreshSymbols();
    return Promise.resolve();
  }

  /** Stops generating each symbol. */
  unsubscribe(symbols: readonly string[]): Promise<void> {
    this.#subscriptions.remove(symbols);
    this.#refreshSymbols();
    return Promise.resolve();
  }

  /** Everything subscribed is active. */
  subscriptionStatus(): SubscriptionStatus {
    return this.#subscriptions.status();
  }

  /** messages = events emitted. */
  stats(): ProviderStats {
    return {
      reconnections: 0,
      messages: this.#messages,
      lastMessageMs: this.#lastMessageMs,
      bookResyncs: 0,
    };
  }

  #refreshSymbols(): void {
    const named = this.#subscriptions.symbols();
    const all = named.includes(ALL_SYMBOLS) ? [...named, ...this.#universe] : named;
    this.#symbols = [...new Set(all.filter((s) => s !== ALL_SYMBOLS))].sort();
    // Idle (no timer) while nothing is subscribed; wake up when something is.
    if (this.#running && this.#symbols.length > 0 && !this.#scheduled()) this.#schedule(0);
  }

  #scheduled(): boolean {
    return this.#timer !== undefined || this.#immediate !== undefined;
  }

  #schedule(delayMs: number): void {
    if (delayMs <= 0) this.#immediate = setImmediate(() => this.#tick());
    else this.#timer = setTimeout(() => this.#tick(), delayMs);
  }

  #tick(): void {
    this.#timer = undefined;
    this.#immediate = undefined;
    if (!this.#running) return;
    if (this.#symbols.length === 0) {
      this.#anchorMs = undefined;
      return;
    }
    if (this.#rate === 0) {
      const target = this.#messages + FULL_SPEED_BATCH;
      while (this.#running && this.#messages < target && this.#step());
      if (this.#running) this.#schedule(0);
      return;
    }
    const now = performance.now();
    if (this.#anchorMs === undefined) {
      this.#anchorMs = now;
      this.#anchorCount = this.#messages;
    }
    let owed = Math.floor(((now - this.#anchorMs) * this.#rate) / 1000) + 1;
    if (owed - (this.#messages - this.#anchorCount) > Math.max(this.#rate, 1)) {
      // More than a second behind (a blocked event loop): drop the backlog instead of bursting.
      this.#anchorMs = now;
      this.#anchorCount = this.#messages;
      owed = 1;
    }
    while (this.#running && this.#messages - this.#anchorCount < owed && this.#step());
    if (!this.#running) return;
    const nextDue = this.#anchorMs + ((this.#messages - this.#anchorCount) * 1000) / this.#rate;
    this.#schedule(Math.max(MIN_TICK_MS, nextDue - performance.now()));
  }

  /** One market step and its events; false when nothing is subscribed any more. */
  #step(): boolean {
    if (this.#symbols.length === 0) return false;
    const step = this.#market.step(this.#symbols);
    const tsEvent = this.#clock();
    const before = this.#messages;
    if (this.#subscriptions.wants(step.symbol, "trades")) this.#emit(trade(step, tsEvent));
    if (this.#running && this.#subscriptions.wants(step.symbol, "bbo")) {
      this.#emit(quote(step, tsEvent));
    }
    return this.#messages > before;
  }

  #emit(event: TradeEvent | QuoteEvent): void {
    this.#messages++;
    this.#lastMessageMs = nowMs();
    this.#sink.onEvent(event);
    if (this.#messages >= this.#maxEvents) this.#stop("Synthetic market reached maxEvents");
  }

  #stop(message: string): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    this.#status = "disconnected";
    if (!this.#running) return;
    this.#running = false;
    this.#logger.info(message, { messages: this.#messages });
    this.#doneSettled = true;
    this.#done.resolve();
  }
}

function trade(step: SyntheticStep, tsEvent: bigint): TradeEvent {
  return {
    kind: "trade",
    symbol: step.symbol,
    tsEvent,
    tsRecv: tsEvent,
    price: step.price,
    quantity: step.quantity,
    side: step.side,
    tradeId: `${step.symbol}-${step.n}`,
    sequence: step.sequence,
  };
}

function quote(step: SyntheticStep, tsEvent: bigint): QuoteEvent {
  return {
    kind: "bbo",
    symbol: step.symbol,
    tsEvent,
    tsRecv: tsEvent,
    bidPrice: step.bidPrice,
    bidQuantity: step.bidQuantity,
    askPrice: step.askPrice,
    askQuantity: step.askQuantity,
    sequence: (step.sequence + 1) >>> 0,
  };
}
