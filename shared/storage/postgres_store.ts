/** The Postgres backend of {@linkcode Store}, through npm:postgres. */
import postgres from "postgres";
import type { Queryable, QueryResult, Row, SqlParam, Store } from "./store.ts";
import { quoteIdent } from "./store.ts";
import { redactUrl, StorageError, toStorageError } from "./storage_error.ts";

/** Options of {@linkcode openPostgresStore}. */
export interface PostgresStoreOptions {
  maxConnections?: number;
  connectTimeoutSecs?: number;
  applicationName?: string;
}

// deno-lint-ignore no-explicit-any
type Sql = postgres.Sql<any>;
// deno-lint-ignore no-explicit-any
type TxSql = postgres.TransactionSql<any>;

/** Connects to `url` and checks the connection with one round trip; one-line error when down. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const location = redactUrl(url);
  const sql = postgres(url, {
    max: options.maxConnections ?? 5,
    connect_timeout: options.connectTimeoutSecs ?? 10,
    idle_timeout: 60,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
    connection: { application_name: options.applicationName ?? "trading" },
  });
  try {
    await sql.unsafe("SELECT 1");
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError("unavailable", `cannot connect to ${location}: ${reason}`, {
      cause: error,
    });
  }
  return new PostgresStore(sql, location);
}

/** Arrays travel as Postgres array literals, cast by the statement (`$1::int8[]`). */
function toWireParam(param: SqlParam): SqlParam {
  return Array.isArray(param) ? arrayLiteral(param) : param;
}

/** `[1n, null, 'a"b']` -> `{1,NULL,"a\"b"}`. */
export function arrayLiteral(
  items: readonly (string | number | bigint | boolean | null)[],
): string {
  let out = "{";
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (i > 0) out += ",";
    if (item === null || item === undefined) out += "NULL";
    else if (typeof item === "string") out += `"${item.replace(/[\\"]/g, "\\$&")}"`;
    else out += String(item);
  }
  return out + "}";
}

function queryable(sql: Sql | TxSql): Queryable {
  return {
    async query<R = Row>(text: string, params: readonly SqlParam[] = []) {
      try {
        // deno-lint-ignore no-explicit-any
        const result = await sql.unsafe(text, params.map(toWireParam) as any[], { prepare: true });
        const count = result.count ?? result.length;
        // A plain array (postgres.js returns an Array subclass carrying statement metadata).
        return { rows: Object.setPrototypeOf(result, Array.prototype) as R[], count };
      } catch (error) {
        throw toStorageError(error, "postgres query failed");
      }
    },
    async exec(script: string) {
      try {
        await sql.unsafe(script);
      } catch (error) {
        throw toStorageError(error, "postgres script failed");
      }
    },
    async copyFrom(table: string, columns: readonly string[], chunks: Iterable<string>) {
      const statement = `COPY ${quoteIdent(table)} (${
        columns.map(quoteIdent).join(", ")
      }) FROM STDIN`;
      try {
        const stream = await sql.unsafe(statement).writable();
        const iterator = chunks[Symbol.iterator]();
        await new Promise<void>((resolve, reject) => {
          stream.once("error", reject);
          stream.once("finish", resolve);
          const pump = (): void => {
            for (let next = iterator.next(); !next.done; next = iterator.next()) {
              if (!stream.write(next.value)) return void stream.once("drain", pump);
            }
            stream.end();
          };
          pump();
        });
      } catch (error) {
        throw toStorageError(error, `COPY into ${table} failed`);
      }
    },
  };
}

class PostgresStore implements Store {
  readonly kind = "postgres" as const;
  readonly #sql: Sql;
  readonly #q: Queryable;

  constructor(sql: Sql, readonly location: string) {
    this.#sql = sql;
    this.#q = queryable(sql);
  }

  query<R = Row>(text: string, params?: readonly SqlParam[]): Promise<QueryResult<R>> {
    return this.#q.query<R>(text, params);
  }

  exec(script: string): Promise<void> {
    return this.#q.exec(script);
  }

  copyFrom(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void> {
    return this.#q.copyFrom(table, columns, chunks);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await this.#sql.begin((tx) => fn(queryable(tx))) as T;
    } catch (error) {
      throw toStorageError(error, "postgres transaction failed");
    }
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
