/**
 * The serve pipeline, as the providers' StreamSink: each event is matched to its registered
 * instrument, built into a DBN record, published to its IPC channel (when one is open) and, for
 * trades, queued for persistence. Drops are counted by reason and logged once per reason with the
 * message's key fields. Counters are plain numbers here; metrics.ts copies them out.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import type { IpcPublisher } from "@shared/ipc/mod.ts";
import type { DropReason, MarketEvent, StreamSink } from "../providers/events.ts";
import type { PersistQueue } from "./persist_queue.ts";
import {
  bookRecord,
  FLAG_SIZE_INEXACT,
  quoteRecord,
  type RecordInstrument,
  TRADE_RECORD_BYTES,
  tradeTick,
  writeTradeRecord,
} from "./records.ts";

/** Options of {@linkcode Pipeline}. */
export interface PipelineOptions {
  /** Registered instruments by canonical symbol. */
  instruments: ReadonlyMap<string, RecordInstrument>;
  persist?: PersistQueue;
  publisher?: IpcPublisher;
  /** Slot size of the IPC channels (48 trades only, 80 with quotes, 368 with books). */
  slotBytes?: number;
  logger?: Logger;
}

/** The pipeline's counters. */
export interface PipelineCounters {
  received: Record<MarketEvent["kind"], number>;
  published: number;
  /** Trades kept with flag SIZE_INEXACT: their quantity does not fit the scaled u32 size. */
  inexactSizes: number;
  dropped: Partial<Record<DropReason, number>>;
}

/** Events in, records out. */
export class Pipeline implements StreamSink {
  readonly options: PipelineOptions;
  readonly counters: PipelineCounters = {
    received: { trade: 0, bbo: 0, book: 0 },
    published: 0,
    inexactSizes: 0,
    dropped: {},
  };
  /** Last event time per symbol, ms since the epoch. */
  readonly lastEventMs = new Map<string, number>();
  readonly #logged = new Set<string>();
  readonly #trade = new Uint8Array(TRADE_RECORD_BYTES);
  readonly #tradeView = new DataView(this.#trade.buffer);

  constructor(options: PipelineOptions) {
    this.options = options;
  }

  /** StreamSink: one normalized event. */
  onEvent(event: MarketEvent): void {
    const instrument = this.options.instruments.get(event.symbol);
    if (instrument === undefined) {
      this.onDrop("unknown_symbol", { symbol: event.symbol, kind: event.kind });
      return;
    }
    this.counters.received[event.kind]++;
    this.lastEventMs.set(event.symbol, Date.now());
    const publisher = this.options.publisher;
    const slotBytes = this.options.slotBytes ?? TRADE_RECORD_BYTES;
    if (event.kind === "trade") {
      const tick = tradeTick(event, instrument);
      if ((tick.flags & FLAG_SIZE_INEXACT) !== 0) {
        this.counters.inexactSizes++;
        this.#logOnce("size_inexact", "Trade size does not fit its record; flagged 0x02", {
          symbol: event.symbol,
          quantity: event.quantity,
        });
      }
      if (publisher !== undefined) {
        writeTradeRecord(tick, this.#tradeView);
        if (publisher.publish(event.symbol, this.#trade)) this.counters.published++;
      }
      if (this.options.persist !== undefined) {
        this.options.persist.push(tick);
      }
    } else if (publisher !== undefined && publisher.writer(event.symbol) !== undefined) {
      const record = event.kind === "bbo"
        ? quoteRecord(event, instrument)
        : bookRecord(event, instrument);
      if (record.length <= slotBytes && publisher.publish(event.symbol, record)) {
        this.counters.published++;
      }
    }
  }

  /** StreamSink: a dropped message, counted and logged once per reason. */
  onDrop(reason: DropReason, detail: Record<string, unknown>): void {
    this.#count(reason, detail);
  }

  /** Total drops. */
  get droppedTotal(): number {
    return Object.values(this.counters.dropped).reduce((a, b) => a + (b ?? 0), 0);
  }

  #count(reason: DropReason, detail: Record<string, unknown>): void {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
    this.#logOnce(reason, "Dropped venue message (logged once per reason; see metrics)", detail);
  }

  #logOnce(reason: string, message: string, detail: Record<string, unknown>): void {
    if (this.#logged.has(reason)) return;
    this.#logged.add(reason);
    this.options.logger?.warn(message, { reason, ...detail });
  }
}
