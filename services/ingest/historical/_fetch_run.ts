/**
 * One fetch's record loop: reads get_range responses batch by batch, turns trades into ticks
 * for the database, copies the record bytes to the file, and checkpoints both so that the
 * position saved is always one where everything before it is durable in every target.
 * @module
 */
import type { RecordBatch } from "@shared/dbn/stream/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import {
  type BackfillJob,
  type InstrumentRegistry,
  type Store,
  type Tick,
  type TickRepository,
  updateBackfillJob,
} from "@shared/storage/mod.ts";
import type { RangeResponse } from "../providers/databento/mod.ts";
import { earlier, isAfter, type Position, RecordCounter } from "./_position.ts";
import type { FetchPlan } from "./fetch_plan.ts";
import type { DbnFileSink } from "./file_sink.ts";
import {
  batchView,
  indexTimeOf,
  isTradeRecord,
  readTrade,
  SymbolDirectory,
  TradeIds,
  tradeTick,
} from "./trade_ticks.ts";

/** What a FetchRun works with. */
export interface FetchRunOptions {
  repo?: TickRepository;
  registry?: InstrumentRegistry;
  sink?: DbnFileSink;
  store?: Store;
  job?: BackfillJob;
  batchSize: number;
  /** The file alone is checkpointed after this many bytes of records. */
  checkpointBytes: number;
  logger: Logger;
  onProgress?: (progress: { records: number; bytes: number }) => void;
  signal?: AbortSignal;
}

/** The record loop and its counters; see the module doc. */
export class FetchRun {
  /** Where this run starts: everything up to it was handled by an earlier run. */
  readonly start: Position | undefined;

  /** ts (ts_recv, or ts_event without it) of the last record handled, if any. */
  get reachedNs(): bigint | undefined {
    return this.#cur?.ts;
  }
  records: number;
  inserted: number;
  duplicates: number;
  notStored = 0;
  /** Compressed bytes received by this run. */
  bytes = 0;
  readonly #o: FetchRunOptions;
  readonly #plan: FetchPlan;
  readonly #directory = new SymbolDirectory();
  readonly #instrumentIds = new Map<string, number>();
  readonly #unmapped = new Set<number>();
  #pending: Tick[] = [];
  #pendingFileBytes = 0;
  #dbPos: Position | undefined;
  #filePos: Position | undefined;
  #durable: Position | undefined;
  #cur: Position | undefined;
  /** False while a batch is half processed: a checkpoint then would claim unwritten records. */
  #consistent = true;
  #warnedRejected = false;

  constructor(plan: FetchPlan, options: FetchRunOptions) {
    this.#plan = plan;
    this.#o = options;
    const job = options.job;
    const jobPos = job?.checkpointNs === undefined
      ? undefined
      : { ts: job.checkpointNs, skip: job.checkpointSkip, records: job.recordCount };
    this.#dbPos = options.repo === undefined ? undefined : jobPos;
    this.#filePos = options.sink?.position;
    this.#durable = options.repo !== undefined && options.sink !== undefined
      ? earlier(this.#dbPos, this.#filePos)
      : options.repo !== undefined
      ? this.#dbPos
      : this.#filePos;
    this.start = this.#durable;
    this.#cur = this.#durable;
    this.records = this.#durable?.records ?? 0;
    this.inserted = job?.insertedCount ?? 0;
    this.duplicates = job?.duplicateCount ?? 0;
  }

  /** The index time the next request starts at (inclusive). */
  get fromNs(): bigint {
    return this.#durable?.ts ?? this.#plan.startNs;
  }

  /** The last durable position. */
  get durable(): Position | undefined {
    return this.#durable;
  }

  /** Reads one response to its end (or until it throws). */
  async consume(response: RangeResponse): Promise<void> {
    const reader = response.reader;
    if (reader.metadata !== undefined) this.#directory.addMetadata(reader.metadata);
    await this.#o.sink?.begin(reader.metadata, reader.version, reader.tsOut);
    const counter = new RecordCounter();
    const ids = new TradeIds();
    const bytesBefore = this.bytes;
    for await (const batch of reader.batches()) {
      this.#consistent = false;
      await this.#batch(batch, counter, ids);
      this.#consistent = true;
      this.bytes = bytesBefore + response.bytesReceived();
      this.#o.onProgress?.({ records: this.records, bytes: this.bytes });
      if (this.#pendingFileBytes >= this.#o.checkpointBytes) await this.checkpoint();
      this.#o.signal?.throwIfAborted();
    }
    this.bytes = bytesBefore + response.bytesReceived();
  }

  async #batch(batch: RecordBatch, counter: RecordCounter, ids: TradeIds): Promise<void> {
    const { repo, sink, batchSize } = this.#o;
    const view = batchView(batch);
    let fileFrom = -1;
    for (let i = 0; i < batch.count; i++) {
      const ts = indexTimeOf(batch, view, i);
      const n = counter.next(ts);
      const trade = repo !== undefined && isTradeRecord(batch, i)
        ? readTrade(batch, view, i)
        : undefined;
      // Every trade gets its id, also the ones skipped below, so that ids match earlier runs.
      const tradeId = trade === undefined
        ? ""
        : ids.next(trade.tsRecv, trade.sequence, trade.instrumentId);
      if (!isAfter(ts, n, this.#durable)) continue;
      this.records++;
      this.#cur = { ts, skip: n, records: this.records };
      if (repo !== undefined && isAfter(ts, n, this.#dbPos)) {
        const tick = trade === undefined ? undefined : await this.#tick(trade, tradeId);
        if (tick === undefined) this.notStored++;
        else this.#pending.push(tick);
      }
      if (sink !== undefined && fileFrom < 0 && isAfter(ts, n, this.#filePos)) fileFrom = i;
      if (this.#pending.length >= batchSize) {
        await this.#writeFile(batch, fileFrom, i + 1);
        fileFrom = -1;
        this.#consistent = true;
        await this.checkpoint();
        this.#consistent = false;
      }
    }
    await this.#writeFile(batch, fileFrom, batch.count);
  }

  async #writeFile(batch: RecordBatch, from: number, to: number): Promise<void> {
    if (from < 0 || from >= to || this.#o.sink === undefined) return;
    const start = batch.offsets[from]!;
    const end = to < batch.count ? batch.offsets[to]! : batch.bytes.length;
    await this.#o.sink.write(batch.bytes.subarray(start, end));
    this.#pendingFileBytes += end - start;
  }

  async #tick(trade: ReturnType<typeof readTrade>, tradeId: string): Promise<Tick | undefined> {
    const symbol = this.#directory.symbolOf(trade.instrumentId, trade.tsEvent);
    if (symbol === undefined) {
      if (!this.#unmapped.has(trade.instrumentId)) {
        this.#unmapped.add(trade.instrumentId);
        this.#o.logger.warn("Trade of an instrument id the response does not map; not stored", {
          instrumentId: trade.instrumentId,
        });
      }
      return undefined;
    }
    const instrumentId = this.#instrumentIds.get(symbol) ??
      await this.#register(symbol, trade.instrumentId);
    return tradeTick(trade, { symbol, exchange: this.#plan.exchange, instrumentId, tradeId });
  }

  /**
   * The registry's id of (symbol, exchange): Databento's own id when the symbol is new there.
   * A symbol registered before (e.g. with a hash id) keeps its id; an equity's Databento id
   * may change from day to day, so ticks always carry the registry's one.
   */
  async #register(symbol: string, databentoId: number): Promise<number> {
    const registry = this.#o.registry!;
    const exchange = this.#plan.exchange;
    const options = {
      assetType: this.#plan.assetTypes[symbol] ?? this.#plan.route.assetType,
      venueSymbol: symbol,
      sizeScale: 0,
      priceScale: 9,
    };
    let instrument = await registry.get(symbol, exchange);
    if (instrument === undefined) {
      try {
        instrument = await registry.registerDatabento(databentoId, symbol, exchange, options);
      } catch (e) {
        // The id belongs to another symbol (a reused id): fall back to a generated one.
        this.#o.logger.warn("Databento instrument id taken; registering a generated id", {
          symbol,
          exchange,
          instrumentId: databentoId,
          error: e instanceof Error ? e.message : String(e),
        });
        instrument = await registry.getOrCreate(symbol, exchange, options);
      }
    }
    this.#instrumentIds.set(symbol, instrument.instrumentId);
    return instrument.instrumentId;
  }

  /**
   * Makes everything handled so far durable (ticks inserted, file frame ended and fsynced) and
   * then records the position in the job row. A no-op when nothing new was handled.
   */
  async checkpoint(): Promise<void> {
    const cur = this.#cur;
    const { repo, sink, store, job } = this.#o;
    if (!this.#consistent || cur === undefined || cur === this.#durable) return;
    if (repo !== undefined) {
      if (this.#pending.length > 0) {
        const result = await repo.batchInsert(this.#pending);
        this.inserted += result.inserted;
        this.duplicates += result.duplicates;
        this.notStored += result.rejected.length;
        if (result.rejected.length > 0 && !this.#warnedRejected) {
          this.#warnedRejected = true;
          this.#o.logger.warn("Trades rejected by tick validation; not stored", {
            rejected: result.rejected.length,
            first: result.rejected[0]!.reason,
          });
        }
        this.#pending = [];
      }
      // A target never moves back: after a crash the file may be ahead of the database (its
      // sidecar was written, the job row not), and nothing before its position is written again.
      if (isAfter(cur.ts, cur.skip, this.#dbPos)) this.#dbPos = cur;
    }
    if (sink !== undefined && isAfter(cur.ts, cur.skip, this.#filePos)) {
      await sink.checkpoint(cur);
      this.#pendingFileBytes = 0;
      this.#filePos = cur;
    }
    const durable = repo !== undefined && sink !== undefined
      ? earlier(this.#dbPos, this.#filePos)
      : repo !== undefined
      ? this.#dbPos
      : this.#filePos;
    this.#durable = durable ?? cur;
    if (store !== undefined && job !== undefined && durable !== undefined) {
      await updateBackfillJob(store, job.id, {
        checkpointNs: durable.ts,
        checkpointSkip: durable.skip,
        recordCount: cur.records,
        insertedCount: this.inserted,
        duplicateCount: this.duplicates,
      });
    }
  }

  /**
   * Checkpoints after a failure if that is safe; a failing checkpoint is logged, not thrown.
   * True when everything handled is durable (the download may go on from `fromNs`).
   */
  async checkpointAfterFailure(): Promise<boolean> {
    if (this.#consistent) {
      try {
        await this.checkpoint();
        return true;
      } catch (e) {
        this.#o.logger.warn("Checkpoint after a failure failed; the next run redoes more", {
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
    this.#pending = [];
    return false;
  }
}
