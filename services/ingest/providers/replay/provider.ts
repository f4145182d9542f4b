/**
 * ReplayProvider: streams DBN files (.dbn, .dbn.zst, or a folder of them) as if a venue sent
 * them, paced by the records' ts_event gaps divided by `speed`.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import { type DbnRecord, type Mbp10Msg, type TradeMsg } from "@shared/dbn/mod.ts";
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { createNullLogger, type Logger } from "@shared/obs/mod.ts";
import { type ConnectionStatus, msToNs, nowMs, VenueError } from "@shared/venue/mod.ts";
import { type Feed, FEEDS, type MarketEvent, type StreamSink } from "../events.ts";
import type {
  DiscoveredSymbol,
  LiveStreamProvider,
  ProviderInfo,
  ProviderStats,
  SubscriptionStatus,
} from "../types.ts";
import { listReplayFiles } from "./files.ts";
import { Pacer, Sleeper, YIELD_EVERY, yieldToEventLoop } from "./pacing.ts";
import { bookEvent, feedOf, quoteEvent, type QuoteRecord, tradeEvent, TradeIds } from "./parse.ts";
import { InstrumentSymbols } from "./symbol_map.ts";
import { discoverFileSymbols } from "./discovery.ts";
import { discovered } from "../identity_symbols.ts";
import { IdentityNormalizer } from "../identity_symbols.ts";
import { Subscriptions } from "../subscriptions.ts";
import type { ReplayProgress, ReplayProviderOptions } from "./options.ts";

export type { ReplayProgress, ReplayProviderOptions } from "./options.ts";

/**
 * Replays DBN files through the provider contract. Streaming starts on `connect()`; only the
 * subscribed (symbol, feed) pairs are emitted (`subscribe(["*"], feeds)` = every symbol of the
 * files, an empty subscription emits nothing while the records still go by). Trades -> `trades`,
 * MBP-1 / BBO / CMBP-1 / CBBO -> `bbo`, MBP-10 -> `book`; symbols come from the metadata
 * mappings and the symbol-mapping / definition records. tsRecv is the emit time, tsEvent the
 * record's. A file that cannot be read is logged in one line, counted as a drop
 * (`corrupt_file`) and skipped.
 */
export class ReplayProvider implements LiveStreamProvider {
  readonly info: ProviderInfo;
  readonly normalizer: IdentityNormalizer;
  readonly #path: string;
  readonly #loop: boolean;
  readonly #speed: number;
  readonly #sink: StreamSink;
  readonly #logger: Logger;
  readonly #subscriptions = new Subscriptions("replay", FEEDS);
  readonly #pacer: Pacer;
  readonly #sleeper = new Sleeper();
  #status: ConnectionStatus = "disconnected";
  #files: string[] = [];
  #run: Promise<void> | undefined;
  #stopping = false;
  #done = Promise.withResolvers<void>();
  #doneSettled = false;
  #messages = 0;
  #lastMessageMs: number | undefined;
  readonly #progress: ReplayProgress = {
    files: 0,
    failedFiles: 0,
    records: 0,
    emitted: 0,
    skipped: 0,
    filtered: 0,
    dropped: 0,
    passes: 0,
    finished: false,
  };

  /** Checks the options (speed, exchange); files are opened on `connect()`. */
  constructor(options: ReplayProviderOptions) {
    this.#path = options.path;
    this.#loop = options.loop ?? false;
    this.#speed = options.speed ?? 1;
    this.#pacer = new Pacer(this.#speed);
    this.#sink = options.sink;
    this.#logger = (options.logger ?? createNullLogger("ingest")).child({ component: "replay" });
    this.normalizer = new IdentityNormalizer("replay", options.exchange ?? "REPLAY", 0);
    this.info = {
      name: "replay",
      exchange: this.normalizer.exchangeName(),
      feeds: FEEDS,
      live: true,
      historical: false,
    };
  }

  /**
   * Resolves when the replay ends: the whole input emitted (not looping), `disconnect()`, or a
   * failure of the sink. Each `connect()` after an ended replay starts a new one.
   */
  get done(): Promise<void> {
    return this.#done.promise;
  }

  /** Lists the input files and starts streaming; throws a VenueError `rejected` without input. */
  async connect(): Promise<void> {
    if (this.#run !== undefined) return;
    try {
      this.#files = await listReplayFiles(this.#path);
    } catch (e) {
      throw new VenueError("rejected", (e as Error).message, { venue: "replay", cause: e });
    }
    if (this.#doneSettled) {
      this.#done = Promise.withResolvers<void>();
      this.#doneSettled = false;
    }
    this.#stopping = false;
    this.#progress.finished = false;
    this.#status = "connected";
    this.#logger.info("Replay started", {
      path: this.#path,
      files: this.#files.length,
      speed: this.#speed,
      loop: this.#loop,
    });
    this.#run = this.#pump()
      .then(() => {
        this.#status = "disconnected";
        this.#logger.info(this.#progress.finished ? "Replay finished" : "Replay stopped", {
          ...this.#progress,
        });
      }, (e) => {
        this.#status = "error";
        this.#logger.error(`Replay stopped: ${firstLine(e)}`, { path: this.#path });
      })
      .finally(() => {
        this.#run = undefined;
        this.#doneSettled = true;
        this.#done.resolve();
      });
  }

  /** Stops streaming (a pending pacing sleep ends at once) and waits for the reader to close. */
  async disconnect(): Promise<void> {
    this.#stopping = true;
    this.#sleeper.cancel();
    await this.#run;
    this.#status = "disconnected";
  }

  /** True while streaming. */
  isConnected(): boolean {
    return this.#status === "connected";
  }

  /** `connected` while streaming, `disconnected` before and after, `error` if the sink threw. */
  connectionStatus(): ConnectionStatus {
    return this.#status;
  }

  /** The canonical symbols of the input files (metadata mappings, else mapping records). */
  async discoverSymbols(): Promise<DiscoveredSymbol[]> {
    let files: string[];
    try {
      files = await listReplayFiles(this.#path);
    } catch (e) {
      throw new VenueError("rejected", (e as Error).message, { venue: "replay", cause: e });
    }
    const all = new Set<string>();
    for (const file of files) {
      try {
        for (const symbol of await discoverFileSymbols(file)) all.add(symbol);
      } catch (e) {
        this.#logger.warn(`Cannot read symbols of "${file}": ${firstLine(e)}`);
      }
    }
    return discovered([...all]);
  }

  /** Emits `feeds` (default trades) of each symbol from now on; `*` = every symbol. */
  subscribe(symbols: readonly string[], feeds: readonly Feed[] = ["trades"]): Promise<void> {
    try {
      this.#subscriptions.add(symbols, feeds);
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve();
  }

  /** Stops emitting each symbol. */
  unsubscribe(symbols: readonly string[]): Promise<void> {
    this.#subscriptions.remove(symbols);
    return Promise.resolve();
  }

  /** Everything subscribed is active (no venue to refuse it). */
  subscriptionStatus(): SubscriptionStatus {
    return this.#subscriptions.status();
  }

  /** messages = events emitted, lastMessageMs = when the last one was emitted. */
  stats(): ProviderStats {
    return {
      reconnections: 0,
      messages: this.#messages,
      lastMessageMs: this.#lastMessageMs,
      bookResyncs: 0,
    };
  }

  /** Counters of the replay so far. */
  progress(): ReplayProgress {
    return { ...this.#progress };
  }

  async #pump(): Promise<void> {
    // Let a subscribe() that follows `await connect()` land before the first record.
    await yieldToEventLoop();
    do {
      this.#pacer.reset();
      const before = this.#progress.records;
      for (const file of this.#files) {
        if (this.#stopping) return;
        await this.#replayFile(file);
      }
      if (this.#stopping) return;
      this.#progress.passes++;
      if (this.#loop && this.#progress.records === before) {
        this.#logger.error("Replay input has no readable record; not looping", {
          path: this.#path,
        });
        break;
      }
    } while (this.#loop);
    this.#progress.finished = true;
  }

  async #replayFile(path: string): Promise<void> {
    let reader;
    try {
      reader = await openDbn(path);
    } catch (e) {
      this.#fileFailed(path, e, 0);
      return;
    }
    this.#progress.files++;
    const symbols = InstrumentSymbols.fromMetadata(reader.metadata);
    const tradeIds = new TradeIds();
    const records = reader.records();
    let index = 0;
    let sinceYield = 0;
    try {
      while (!this.#stopping) {
        let next: IteratorResult<DbnRecord>;
        try {
          next = await records.next();
        } catch (e) {
          this.#fileFailed(path, e, index);
          return;
        }
        // disconnect() may have come while the read was pending: never start a sleep after it.
        if (next.done === true || this.#stopping) return;
        const record = next.value;
        const at = index++;
        this.#progress.records++;
        if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await yieldToEventLoop();
          if (this.#stopping) return;
        }
        const feed = feedOf(record);
        if (feed === undefined) {
          if (!symbols.learn(record)) this.#progress.skipped++;
          continue;
        }
        const wait = this.#pacer.delayMs(record.tsEvent, nowMs());
        if (wait > 0) {
          await this.#sleeper.sleep(wait);
          sinceYield = 0;
          if (this.#stopping) return;
        }
        this.#emit(record, feed, { symbols, tradeIds, index: at, file: path });
      }
    } finally {
      await records.return(undefined);
      await reader.close();
    }
  }

  #emit(
    record: DbnRecord,
    feed: Feed,
    at: { symbols: InstrumentSymbols; tradeIds: TradeIds; index: number; file: string },
  ): void {
    const resolved = at.symbols.resolve(record.instrumentId, record.tsEvent);
    if (resolved === undefined || !resolved.valid) {
      this.#drop("unknown_symbol", {
        file: at.file,
        instrumentId: record.instrumentId,
        symbol: resolved?.symbol,
      });
      return;
    }
    const symbol = resolved.symbol;
    if (!this.#subscriptions.wants(symbol, feed)) {
      this.#progress.filtered++;
      return;
    }
    const now = nowMs();
    const tsRecv = msToNs(now);
    let event: MarketEvent | undefined;
    if (feed === "trades") {
      const trade = record as TradeMsg;
      event = tradeEvent(trade, symbol, tsRecv, at.tradeIds.next(symbol, trade, at.index));
    } else if (feed === "bbo") {
      event = quoteEvent(record as QuoteRecord, symbol, tsRecv);
    } else {
      event = bookEvent(record as Mbp10Msg, symbol, tsRecv);
    }
    if (event === undefined) {
      this.#drop("bad_value", { file: at.file, symbol, field: "price", tsEvent: record.tsEvent });
      return;
    }
    this.#messages++;
    this.#progress.emitted++;
    this.#lastMessageMs = now;
    this.#sink.onEvent(event);
  }

  #fileFailed(path: string, e: unknown, records: number): void {
    this.#progress.failedFiles++;
    const code = e instanceof DataError ? e.code : undefined;
    this.#logger.error(`Cannot replay "${path}" after ${records} records: ${firstLine(e)}`, {
      file: path,
      code,
    });
    this.#drop("corrupt_file", { file: path, code, records });
  }

  #drop(
    reason: "unknown_symbol" | "bad_value" | "corrupt_file",
    detail: Record<string, unknown>,
  ) {
    this.#progress.dropped++;
    this.#sink.onDrop(reason, detail);
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n", 1)[0]!;
}
