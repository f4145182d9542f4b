/**
 * Storage: one {@linkcode Store} interface over Postgres (DATABASE_URL) and embedded PGlite,
 * versioned migrations, and the repositories built on them.
 * @module
 */
export type { Queryable, QueryResult, Row, SqlParam, Store, StoreKind } from "./store.ts";
export { redactUrl, StorageError, type StorageErrorCode, toStorageError } from "./storage_error.ts";
export { openStore, type OpenStoreOptions, pgliteDir } from "./open_store.ts";
export { openPostgresStore } from "./postgres_store.ts";
export { openPgliteStore } from "./pglite_store.ts";
export {
  fileName,
  loadMigrations,
  migrate,
  type MigrateResult,
  type Migration,
  MIGRATIONS_DIR,
  renderSchemaSql,
} from "./migrations.ts";
export * from "./ticks/tick.ts";
export * from "./ticks/partitions.ts";
export * from "./archive/catalog.ts";
export { TickRepository } from "./tick_repository.ts";
export {
  batchInsert,
  type BatchInsertResult,
  insertTick,
  type RejectedTick,
  type TickWriterOptions,
} from "./ticks/tick_writer.ts";
export {
  DEFAULT_BATCH_SIZE,
  getHistoricalDataForBacktest,
  getLatestPrice,
  getTicks,
  streamTicks,
  type TickQuery,
  type TickReadOptions,
} from "./ticks/tick_reader.ts";
export {
  type Bar,
  getOhlc,
  MAX_BARS,
  type OhlcQuery,
  type Timeframe,
  TIMEFRAMES,
} from "./ticks/ohlc.ts";
export { getDataInfo, type SymbolDataInfo } from "./ticks/data_info.ts";
export { readArchivedSlice, writeArchiveSlice } from "./archive/archive_file.ts";
export {
  compressDays,
  type CompressedDay,
  type CompressOptions,
  type CompressReport,
} from "./archive/compress.ts";
export { restoreArchivedSlices } from "./archive/restore.ts";
export * from "./archive/stats.ts";
export * from "./instruments/mod.ts";
export * from "./symbols_repo.ts";
export * from "./strategy_log.ts";
export * from "./backfill_jobs.ts";
