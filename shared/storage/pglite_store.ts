/** The embedded backend of {@linkcode Store}: PGlite (Postgres in WebAssembly) in a directory. */
import { PGlite, types } from "@electric-sql/pglite";
import type { Queryable, Row, SqlParam, Store } from "./store.ts";
import { quoteIdent } from "./store.ts";
import { StorageError, toStorageError } from "./storage_error.ts";

type PgliteQueryable = Pick<PGlite, "query" | "exec">;

/** Opens (creating if needed) a PGlite database in `dataDir`, or in memory when it is undefined. */
export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
  const location = dataDir ?? "memory://";
  try {
    if (dataDir !== undefined) await Deno.mkdir(dataDir, { recursive: true });
    const db = new PGlite({
      dataDir,
      parsers: { [types.INT8]: (value: string) => BigInt(value) },
      serializers: { [types.INT8]: (value: unknown) => String(value) },
    });
    await db.waitReady;
    return pgliteStore(db, location);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError("unavailable", `cannot open embedded database ${location}: ${reason}`, {
      cause: error,
    });
  }
}

function queryable(db: PgliteQueryable): Queryable {
  return {
    async query<R = Row>(text: string, params: readonly SqlParam[] = []) {
      try {
        const result = await db.query<R>(text, params as unknown[]);
        const count = result.fields.length > 0 && (result.affectedRows ?? 0) === 0
          ? result.rows.length
          : result.affectedRows ?? result.rows.length;
        return { rows: result.rows, count };
      } catch (error) {
        throw toStorageError(error, "embedded query failed");
      }
    },
    async exec(script: string) {
      try {
        await db.exec(script);
      } catch (error) {
        throw toStorageError(error, "embedded script failed");
      }
    },
    async copyFrom(table: string, columns: readonly string[], chunks: Iterable<string>) {
      const statement = `COPY ${quoteIdent(table)} (${
        columns.map(quoteIdent).join(", ")
      }) FROM '/dev/blob'`;
      try {
        await db.query(statement, [], { blob: new Blob([...chunks]) });
      } catch (error) {
        throw toStorageError(error, `COPY into ${table} failed`);
      }
    },
  };
}

/** A {@linkcode Store} over one PGlite instance. */
function pgliteStore(db: PGlite, location: string): Store {
  return {
    kind: "pglite",
    location,
    ...queryable(db),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      try {
        return await db.transaction((tx) => fn(queryable(tx)));
      } catch (error) {
        throw toStorageError(error, "embedded transaction failed");
      }
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
