/**
 * Versioned migrations: `config/migrations/NNNN_name.sql`, each applied once in its own
 * transaction and recorded in `schema_migrations` with a checksum. Re-running is a no-op; a file
 * edited after it was applied is refused.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Queryable, Store } from "./store.ts";
import { StorageError } from "./storage_error.ts";

/** The folder the migrations ship in. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../config/migrations/", import.meta.url));

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** What {@linkcode migrate} did. */
export interface MigrateResult {
  applied: Migration[];
  /** The highest applied version after the run (0 for an empty history). */
  version: number;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
// An arbitrary constant shared by every process that migrates this database.
const MIGRATION_LOCK_KEY = 7_461_830_221;

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version     int4        PRIMARY KEY,
    name        text        NOT NULL,
    checksum    text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);`;

/** Reads and orders the migration files of `dir`; a gap or a repeated version is an error. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.endsWith(".sql")) continue;
    const match = FILE_NAME.exec(entry.name);
    if (match === null) {
      throw new StorageError("migration", `${entry.name}: not named NNNN_name.sql`);
    }
    const sql = await Deno.readTextFile(`${dir}/${entry.name}`);
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new StorageError(
        "migration",
        `migration versions must run 1, 2, 3, ... without gaps; found ${migration.version} at position ${
          i + 1
        }`,
      );
    }
  });
  return migrations;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** Applies every pending migration, each in its own transaction under an advisory lock. */
export async function migrate(store: Store, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = await loadMigrations(dir);
  await store.exec(HISTORY_TABLE);
  const applied: Migration[] = [];
  for (const migration of migrations) {
    const ran = await store.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const done = await appliedVersions(tx);
      const previous = done.get(migration.version);
      if (previous !== undefined) {
        if (previous.checksum !== migration.checksum) {
          throw new StorageError(
            "migration",
            `migration ${fileName(migration)} changed after it was applied (checksum ${
              previous.checksum.slice(0, 12)
            } in the database, ${
              migration.checksum.slice(0, 12)
            } on disk); add a new migration instead`,
          );
        }
        return false;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StorageError("migration", `migration ${fileName(migration)} failed: ${reason}`, {
          cause: error,
        });
      }
      await tx.query(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
        [migration.version, migration.name, migration.checksum],
      );
      return true;
    });
    if (ran) applied.push(migration);
  }
  return { applied, version: migrations.at(-1)?.version ?? 0 };
}

/** The applied history, by version. */
export async function appliedVersions(db: Queryable): Promise<Map<number, AppliedRow>> {
  const { rows } = await db.query<AppliedRow>(
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
  );
  return new Map(rows.map((row) => [row.version, row]));
}

/** `0001_initial.sql`. */
export function fileName(migration: Pick<Migration, "version" | "name">): string {
  return `${String(migration.version).padStart(4, "0")}_${migration.name}.sql`;
}

/**
 * The whole schema as one psql script (config/schema.sql): the history table, every migration,
 * and the history rows, so that the services see it as fully migrated.
 */
export function renderSchemaSql(migrations: readonly Migration[]): string {
  const parts = [
    "-- The whole schema, generated from config/migrations/ by `deno task ingest db schema`.",
    "-- Apply with: psql -d trading_core -v ON_ERROR_STOP=1 -f config/schema.sql",
    "-- Do not edit: add a migration and regenerate.",
    "",
    "BEGIN;",
    "",
    HISTORY_TABLE,
  ];
  for (const migration of migrations) {
    parts.push("", `-- ==== ${fileName(migration)} ====`, "", migration.sql.trimEnd());
    parts.push(
      "",
      `INSERT INTO schema_migrations (version, name, checksum) VALUES (${migration.version}, '${migration.name}', '${migration.checksum}') ON CONFLICT (version) DO NOTHING;`,
    );
  }
  parts.push("", "COMMIT;", "");
  return parts.join("\n");
}
