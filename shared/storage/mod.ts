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
