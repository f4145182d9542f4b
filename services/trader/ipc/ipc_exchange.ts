/**
 * The trader's exchange over shared memory (the seed's IpcExchange): each requested symbol is
 * found through the registry (several ingest instances at once), its channel read by one adaptive
 * poll loop over all readers, and every record handed to the callbacks synchronously in that loop.
 * A health watch marks a symbol disconnected when its writer goes stale, closes, dies (its pid is
 * gone: seen long before the heartbeat goes stale) or its file is replaced, and reattaches it to the
 * same channel once a writer lives again, or to another live instance that streams it; the first
 * record after a reattach comes with a gap report.
 * @module
 */
import { type ChannelReader, monotonicNs, RecordBatch } from "@shared/ipc/mod.ts";
import { consumeMany, emptyPollStats, type PollStats } from "@shared/ipc/poller.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { decodeQuote, decodeTrade, recordTsEvent, slotKind } from "./decode.ts";
import { Feed } from "./_feed.ts";
import { attachInitial } from "./_attach.ts";
import { HealthWatch } from "./_health.ts";
import type { ChannelStatus, IpcExchangeOptions, IpcExchangeStats } from "./types.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function checkOptions(options: IpcExchangeOptions): void {
  if (options.symbols.length === 0) throw new RangeError("IpcExchange needs at least one symbol");
  if (!(Number.isFinite(options.staleAfterSecs) && options.staleAfterSecs > 0)) {
    throw new RangeError(
      `Invalid staleAfterSecs ${options.staleAfterSecs}: expected a positive number`,
    );
  }
  const interval = options.checkIntervalMs ?? 500;
  if (!(Number.isFinite(interval) && interval > 0)) {
    throw new RangeError(`Invalid checkIntervalMs ${interval}: expected a positive number`);
  }
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Invalid batchSize ${batchSize}: expected a positive integer`);
  }
  const seen = new Set<string>();
  for (const request of options.symbols) {
    const key = `${request.symbol}|${request.exchange ?? "*"}|${request.instanceId ?? "*"}`;
    if (seen.has(key)) throw new RangeError(`Symbol ${request.symbol} is requested twice`);
    seen.add(key);
  }
}

/** Live trades and quotes from the ingest instances' shared-memory channels. */
export class IpcExchange {
  readonly #options: IpcExchangeOptions;
  readonly #logger: Logger;
  readonly #feeds: Feed[] = [];
  readonly #abort = new AbortController();
  readonly #pollStats: PollStats = emptyPollStats();
  readonly #counts = { records: 0, trades: 0, quotes: 0, dropped: 0, lost: 0, callbackErrors: 0 };
  #polledFeeds: Feed[] = [];
  #polledReaders: ChannelReader[] = [];
  #drainBatches = new Map<number, RecordBatch>();
  #loop: Promise<void> | undefined;
  #health: HealthWatch | undefined;
  #stopping: Promise<void> | undefined;
  #lastCallbackErrorLogMs = 0;

  private constructor(options: IpcExchangeOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: "ipc_exchange" });
  }

  /**
   * Attaches every requested symbol, then starts the poll loop and the health watch. Rejects with
   * discovery's one-line IpcError when no live instance streams a symbol (nothing is left open).
   */
  static async start(options: IpcExchangeOptions): Promise<IpcExchange> {
    checkOptions(options);
    const exchange = new IpcExchange(options);
    const attach = {
      staleAfterSecs: options.staleAfterSecs,
      from: options.startFrom ?? "latest",
      logger: exchange.#logger,
    };
    try {
      for (const request of options.symbols) {
        const attachment = await attachInitial(options.namespace, request, attach);
        exchange.#feeds.push(new Feed(request, attachment, Date.now()));
      }
    } catch (error) {
      for (const feed of exchange.#feeds) feed.close();
      throw error;
    }
    exchange.#begin();
    return exchange;
  }

  /** Every symbol's channel, state and counters now. */
  status(): ChannelStatus[] {
    const nowMs = Date.now();
    return this.#feeds.map((feed) => feed.status(nowMs));
  }

  /** Counters since start. */
  stats(): IpcExchangeStats {
    return { ...this.#counts, polls: this.#pollStats.polls };
  }

  /** Ends the loop and the health watch, closes readers and control connections (idempotent). */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  #begin(): void {
    this.#rebuild();
    for (const feed of this.#feeds) {
      this.#logger.info("IPC channel attached", {
        symbol: feed.request.symbol,
        channel: feed.reader.name,
        subscribed: feed.resolved.subscribed,
      });
      this.#reportStatus(feed);
    }
    const signal = this.#abort.signal;
    const host = {
      get stopped() {
        return signal.aborted;
      },
      reportStatus: (feed: Feed) => this.#reportStatus(feed),
      drain: (feed: Feed) => this.#drain(feed),
    };
    this.#health = new HealthWatch(host, this.#feeds, {
      namespace: this.#options.namespace,
      staleAfterSecs: this.#options.staleAfterSecs,
      intervalMs: this.#options.checkIntervalMs ?? 500,
      logger: this.#logger,
    });
    this.#loop = this.#run(); // last: a callback in its first synchronous run may call stop()
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        await consumeMany(
          () => this.#polledReaders,
          (batch, _reader, index) => this.#deliver(this.#polledFeeds[index]!, batch),
          {
            signal,
            paused: this.#options.backpressure,
            policy: this.#options.pollPolicy,
            batchSize: this.#options.batchSize,
            stats: this.#pollStats,
          },
        );
      } catch (error) {
        if (signal.aborted) return;
        this.#logger.error("IPC poll loop failed; restarting it", { error });
        await sleep(100);
      }
    }
  }

  async #shutdown(): Promise<void> {
    this.#abort.abort();
    await this.#health?.stop();
    await this.#loop;
    for (const feed of this.#feeds) feed.close();
    this.#polledFeeds = [];
    this.#polledReaders = [];
  }

  /** Recomputes the readers the loop polls (connected feeds only). */
  #rebuild(): void {
    this.#polledFeeds = this.#feeds.filter((feed) => feed.state === "connected");
    this.#polledReaders = this.#polledFeeds.map((feed) => feed.reader);
  }

  /** After a state change: rebuild the poll set, tell onStatus. */
  #reportStatus(feed: Feed): void {
    this.#rebuild();
    const status = feed.status(Date.now());
    this.#call("onStatus", () => this.#options.onStatus?.(status));
  }

  /** Reads what is left in a feed's ring now (before it is marked down), unless backpressured. */
  #drain(feed: Feed): void {
    if (this.#abort.signal.aborted || this.#options.backpressure?.()) return;
    const reader = feed.reader;
    let batch = this.#drainBatches.get(reader.slotBytes);
    if (batch === undefined) {
      batch = new RecordBatch(reader.slotBytes, this.#options.batchSize ?? 1024);
      this.#drainBatches.set(reader.slotBytes, batch);
    }
    for (let rounds = 0; rounds < 64; rounds++) {
      const count = reader.poll(batch);
      if (count === 0 && batch.lost === 0) return;
      this.#deliver(feed, batch);
    }
  }

  #deliver(feed: Feed, batch: RecordBatch): void {
    if (batch.lost > 0) {
      feed.lost += batch.lost;
      this.#counts.lost += batch.lost;
    }
    const count = batch.count;
    if (count === 0) return;
    const options = this.#options;
    const view = batch.view;
    const slotBytes = batch.slotBytes;
    const source = { symbol: feed.request.symbol, exchange: feed.reader.exchange };
    const readNs = monotonicNs();
    const nowMs = Date.now();
    const counts = this.#counts;
    const signal = this.#abort.signal;
    // A callback may call stop(): nothing is delivered after that
    for (let i = 0; i < count && !signal.aborted; i++) {
      const offset = i * slotBytes;
      const kind = slotKind(view, offset, slotBytes);
      if (kind === "unknown") {
        counts.dropped++;
        continue;
      }
      const tsEvent = recordTsEvent(view, offset);
      if (feed.skipThrough !== undefined) {
        if (tsEvent <= feed.skipThrough) continue;
        feed.skipThrough = undefined;
      }
      if (kind === "trade") {
        const trade = decodeTrade(view, offset, source, readNs);
        if (trade === undefined) {
          counts.dropped++;
          continue;
        }
        this.#record(feed, tsEvent, nowMs);
        counts.trades++;
        try {
          options.onTrade(trade);
        } catch (error) {
          this.#callbackFailed("onTrade", error);
        }
      } else {
        this.#record(feed, tsEvent, nowMs);
        counts.quotes++;
        if (options.onQuote === undefined) continue;
        const quote = decodeQuote(view, offset, source, readNs);
        try {
          options.onQuote(quote);
        } catch (error) {
          this.#callbackFailed("onQuote", error);
        }
      }
    }
    if (options.onBatchEnd === undefined || signal.aborted) return;
    try {
      options.onBatchEnd();
    } catch (error) {
      this.#callbackFailed("onBatchEnd", error);
    }
  }

  /** Counts a delivered record; the first after a reconnect reports the gap first. */
  #record(feed: Feed, tsEvent: bigint, nowMs: number): void {
    const gap = feed.takeGap(tsEvent);
    if (gap !== undefined) {
      this.#logger.warn("IPC feed resumed after a gap", { ...gap });
      this.#call("onGap", () => this.#options.onGap?.(gap));
    }
    feed.records++;
    feed.lastTsEvent = tsEvent;
    feed.lastRecordMs = nowMs;
    this.#counts.records++;
  }

  #call(name: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#callbackFailed(name, error);
    }
  }

  /** A throwing callback is counted and logged (at most every 10 s), never stops the loop. */
  #callbackFailed(name: string, error: unknown): void {
    this.#counts.callbackErrors++;
    const nowMs = Date.now();
    if (this.#counts.callbackErrors === 1 || nowMs - this.#lastCallbackErrorLogMs >= 10_000) {
      this.#lastCallbackErrorLogMs = nowMs;
      this.#logger.error("IPC exchange callback threw", {
        callback: name,
        errors: this.#counts.callbackErrors,
        error,
      });
    }
  }
}
