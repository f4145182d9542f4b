/**
 * The tick repository (the seed's `TickDataRepository`): one handle bundling the store and the
 * archive root, so every read sees archived days and every write respects them.
 */
import type { DatabaseConfig } from "@shared/config/mod.ts";
import { archiveRoot } from "./archive/catalog.ts";
import { compressDays, type CompressReport } from "./archive/compress.ts";
import { type StorageStats, storageStats } from "./archive/stats.ts";
import type { Store } from "./store.ts";
import { getDataInfo, type SymbolDataInfo } from "./ticks/data_info.ts";
import { type Bar, getOhlc, type OhlcQuery } from "./ticks/ohlc.ts";
import type { Tick } from "./ticks/tick.ts";
import {
  getHistoricalDataForBacktest,
  getLatestPrice,
  getTicks,
  streamTicks,
  type TickQuery,
} from "./ticks/tick_reader.ts";
import { batchInsert, type BatchInsertResult, insertTick } from "./ticks/tick_writer.ts";

/** Ticks in, ticks out: writes, time-range reads, OHLC, data info, archiving. */
export class TickRepository {
  /** A repository over `store` with archives under `<data_dir>/archive/ticks`. */
  static forConfig(store: Store, database: Pick<DatabaseConfig, "data_dir">): TickRepository {
    return new TickRepository(store, archiveRoot(database.data_dir));
  }

  constructor(readonly store: Store, readonly archiveRoot: string) {}

  /** One tick, one round trip: true when stored, false for a duplicate (the API path). */
  insertTick(tick: Tick): Promise<boolean> {
    return insertTick(this.store, tick, { archiveRoot: this.archiveRoot });
  }

  /** The ingest path: one transaction, duplicates skipped and counted, bad ticks reported. */
  batchInsert(ticks: readonly Tick[]): Promise<BatchInsertResult> {
    return batchInsert(this.store, ticks, { archiveRoot: this.archiveRoot });
  }

  /** Ticks of a range in batches (ASC for backtests, DESC for live), archives included. */
  streamTicks(query: TickQuery, batchSize?: number): AsyncIterable<Tick[]> {
    return streamTicks(this.store, query, { archiveRoot: this.archiveRoot, batchSize });
  }

  /** The ticks of a range as one array (give a limit for long ranges). */
  getTicks(query: TickQuery): Promise<Tick[]> {
    return getTicks(this.store, query, { archiveRoot: this.archiveRoot });
  }

  /** The newest price of a symbol, optionally on one exchange. */
  getLatestPrice(symbol: string, exchange?: string) {
    return getLatestPrice(this.store, symbol, { archiveRoot: this.archiveRoot, exchange });
  }

  /** [start, end) oldest first, in batches: a backtest's data source. */
  getHistoricalDataForBacktest(
    query: { symbol: string; exchange?: string; start: bigint; end: bigint },
  ): AsyncIterable<Tick[]> {
    return getHistoricalDataForBacktest(this.store, query, { archiveRoot: this.archiveRoot });
  }

  /** Bars of one timeframe over [start, end), gaps filled with synthetic bars. */
  getOhlc(query: OhlcQuery): Promise<Bar[]> {
    return getOhlc(this.store, query, { archiveRoot: this.archiveRoot });
  }

  /** Counts and time ranges per symbol and exchange. */
  getDataInfo(symbol?: string): Promise<SymbolDataInfo[]> {
    return getDataInfo(this.store, { symbol });
  }

  /** Moves day partitions `olderThanDays` old into `.dbn.zst` archives. */
  compress(olderThanDays: number, options: { now?: Date; dryRun?: boolean } = {}): Promise<
    CompressReport
  > {
    return compressDays(this.store, { root: this.archiveRoot, olderThanDays, ...options });
  }

  /** Table, partition and archive sizes. */
  stats(): Promise<StorageStats> {
    return storageStats(this.store, { root: this.archiveRoot });
  }
}
