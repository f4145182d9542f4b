/**
 * The market-data service (seed 000, "Service Layer"): collection -> bounded queue -> processing.
 * Collection is the IPC poll loop calling {@linkcode MarketDataPipeline.collect}; processing
 * ({@linkcode MarketDataPipeline.drain}) validates each tick, writes it to the tiered cache (L1 at
 * once, L2 in the background: both in parallel, the flow never waits for Redis) and hands it to
 * paper trading. The poll loop drains after every batch, so a tick is processed in the turn that
 * read it; when processing falls behind, the queue fills, the poll loop stops reading
 * (backpressure) and the shared-memory ring holds the rest.
 * @module
 */
import type { TieredTickCache } from "@shared/cache/mod.ts";
import { monotonicNs } from "@shared/ipc/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import type { LiveTrade } from "../ipc/mod.ts";
import type { PaperTrader } from "../paper/paper_trader.ts";
import { BoundedQueue } from "./tick_queue.ts";
import { LatencyWindow } from "./latency_window.ts";
import { REJECT_REASONS, type RejectReason, TickValidator } from "./validate.ts";

/** Options of {@linkcode MarketDataPipeline}. */
export interface MarketDataOptions {
  symbols: readonly string[];
  cache: TieredTickCache;
  paper?: PaperTrader;
  logger: Logger;
  /** Queue slots (default 65,536). */
  queueCapacity?: number;
  /** Ticks processed per drain before giving the event loop a turn (default 8192). */
  drainBudget?: number;
  /** Every Nth tick's read-to-decision latency is sampled (default 16). */
  sampleEvery?: number;
  /** Latency samples kept (default 4096). */
  latencyWindow?: number;
}

/** Counters of the pipeline (cumulative). */
export interface MarketDataCounters {
  received: number;
  processed: number;
  accepted: number;
  rejected: Record<RejectReason, number>;
  /** Ticks that found the queue full (collection ignored backpressure). */
  queueDropped: number;
}

/** The last accepted tick of a symbol. */
export interface LastTick {
  tsEvent: bigint;
  price: bigint;
  /** Date.now() when it was processed. */
  atMs: number;
}

/** See the module doc. */
export class MarketDataPipeline {
  readonly queue: BoundedQueue<LiveTrade>;
  /** Read-to-decision latency samples, ns. */
  readonly latency: LatencyWindow;
  readonly counters: MarketDataCounters = {
    received: 0,
    processed: 0,
    accepted: 0,
    rejected: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
    queueDropped: 0,
  };
  readonly #last = new Map<string, LastTick>();
  readonly #validator: TickValidator;
  readonly #o: MarketDataOptions;
  readonly #budget: number;
  readonly #sampleMask: number;
  #scheduled = false;
  #stopped = false;

  constructor(options: MarketDataOptions) {
    this.#o = options;
    this.queue = new BoundedQueue(options.queueCapacity ?? 65_536);
    this.latency = new LatencyWindow(options.latencyWindow ?? 4096);
    this.#validator = new TickValidator(options.symbols);
    this.#budget = options.drainBudget ?? 8192;
    const every = options.sampleEvery ?? 16;
    if (!Number.isInteger(Math.log2(every))) throw new RangeError("sampleEvery: a power of two");
    this.#sampleMask = every - 1;
  }

  /** Collection: queue one trade (the poll loop checks {@linkcode backpressure} before reading). */
  collect(trade: LiveTrade): void {
    this.counters.received++;
    if (!this.queue.push(trade)) this.counters.queueDropped++;
  }

  /** True while the queue cannot take another full poll batch. */
  backpressure(batchSize = 1024): boolean {
    return this.queue.length + batchSize > this.queue.capacity;
  }

  /** The last accepted tick per symbol. */
  lastTicks(): ReadonlyMap<string, LastTick> {
    return this.#last;
  }

  /** A channel's writer came back: the instrument it carries is learnt again from its next tick. */
  resumed(symbol: string, exchange: string): void {
    this.#validator.forget(symbol, exchange);
  }

  /** Processing: up to the budget now; the rest on the next turn of the event loop. */
  drain(): void {
    const queue = this.queue;
    if (queue.length === 0) return;
    this.#validator.refreshClock();
    const nowMs = Date.now();
    const counters = this.counters;
    const cache = this.#o.cache;
    const paper = this.#o.paper;
    let n = 0;
    while (n < this.#budget) {
      const trade = queue.shift();
      if (trade === undefined) break;
      n++;
      counters.processed++;
      const reason = this.#validator.check(trade);
      if (reason !== undefined) {
        counters.rejected[reason]++;
        continue;
      }
      counters.accepted++;
      try {
        cache.write(trade);
        paper?.onTick(trade);
      } catch (error) {
        this.#failed(error);
      }
      if ((counters.accepted & this.#sampleMask) === 0) {
        // To the strategy's decision when it made one on this tick, else to the end of processing.
        const decided = paper !== undefined && paper.lastDecisionNs > trade.readNs
          ? paper.lastDecisionNs
          : monotonicNs();
        this.latency.add(decided - trade.readNs);
      }
      const last = this.#last.get(trade.symbol);
      if (last === undefined) {
        this.#last.set(trade.symbol, {
          tsEvent: trade.tsEvent,
          price: trade.price,
          atMs: nowMs,
        });
      } else {
        last.tsEvent = trade.tsEvent;
        last.price = trade.price;
        last.atMs = nowMs;
      }
    }
    if (queue.length > 0 && !this.#scheduled && !this.#stopped) {
      this.#scheduled = true;
      setTimeout(() => {
        this.#scheduled = false;
        this.drain();
      }, 0);
    }
  }

  /** Ticks whose cache write or paper trading threw (logged now and then, never stops the flow). */
  errors = 0;

  #failed(error: unknown): void {
    this.errors++;
    if (this.errors === 1 || this.errors % 1000 === 0) {
      this.#o.logger.error("Tick processing failed", {
        error: (error as Error).message,
        count: this.errors,
      });
    }
  }

  /** Processes what is queued, then refuses to schedule more. */
  stop(): void {
    while (this.queue.length > 0) this.drain();
    this.#stopped = true;
  }
}
