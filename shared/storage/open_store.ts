/** Picks the backend from `[database]`: Postgres when `url` is set, PGlite under `data_dir`. */
import { join, resolve } from "node:path";
import type { DatabaseConfig } from "@shared/config/mod.ts";
import { openPgliteStore } from "./pglite_store.ts";
import { openPostgresStore } from "./postgres_store.ts";
import type { Store } from "./store.ts";
import { migrate } from "./migrations.ts";

/** Options of {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** Apply pending migrations before returning (what services do at start-up). */
  migrate?: boolean;
  /** Reported to Postgres as application_name. */
  applicationName?: string;
}

/** The directory of the embedded database for a config. */
export function pgliteDir(database: Pick<DatabaseConfig, "data_dir">): string {
  return join(resolve(database.data_dir), "pglite");
}

/**
 * Opens the configured store. A database that cannot be reached fails here with a one-line
 * {@linkcode StorageError} (`unavailable`) naming the URL with its password masked.
 */
export async function openStore(
  database: DatabaseConfig,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const store = database.url === undefined
    ? await openPgliteStore(pgliteDir(database))
    : await openPostgresStore(database.url, {
      maxConnections: database.max_connections,
      connectTimeoutSecs: database.connect_timeout_secs,
      applicationName: options.applicationName,
    });
  if (options.migrate) {
    try {
      await migrate(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
