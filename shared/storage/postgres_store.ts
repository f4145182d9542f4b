/** The Postgres backend of {@linkcode Store}, through npm:postgres. */
import net from "node:net";
import postgres from "postgres";
import type { Queryable, Row, SqlParam, Store } from "./store.ts";
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
    // `socket` is supported (src/connection.js createSocket) but not in the 3.4.9 typings.
    ...({ socket: socketNoDelay } as object),
  });
  const timeoutSecs = options.connectTimeoutSecs ?? 10;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // Our own deadline: under Deno the driver's connect_timeout does not fire for a host that
    // never answers (a firewall dropping packets), and the first query would wait for ever.
    await Promise.race([
      sql.unsafe("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${timeoutSecs} s (connect_timeout_secs)`)),
          timeoutSecs * 1000,
        );
      }),
    ]);
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError("unavailable", `cannot connect to ${location}: ${reason}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  return postgresStore(sql, location);
}

interface SocketOptions {
  host: readonly string[];
  port: readonly number[];
  path?: string | false;
}

/**
 * The driver's socket, with TCP_NODELAY (npm:postgres leaves Nagle on): otherwise a COPY's
 * CopyDone, a 5-byte write right after the data, waits out the server's delayed ACK (~40 ms).
 * Returned before it connects, as the driver's own socket is, so the driver's connect timeout,
 * error and close handling stay in charge. Only the first host of a multi-host URL is used.
 */
function socketNoDelay(options: SocketOptions): net.Socket {
  const socket = options.path
    ? net.connect(options.path)
    : net.connect({ host: options.host[0]!, port: options.port[0]! });
  socket.setNoDelay(true);
  return socket;
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
        // npm:postgres 3.4.9 never settles the writable when the server rejects the COPY (or the
        // connection drops) after CopyDone: the error only reaches the query's own reject, which
        // is overwritten here to see it (porsager/postgres#1173, fix pending in #1183).
        const query = sql.unsafe(statement) as unknown as {
          reject: (error: unknown) => void;
          writable(): Promise<import("node:stream").Writable>;
        };
        let failed: ((error: unknown) => void) | undefined;
        const driverReject = query.reject;
        query.reject = (error: unknown) => {
          failed?.(error);
          driverReject(error);
        };
        const stream = await query.writable();
        const iterator = chunks[Symbol.iterator]();
        await new Promise<void>((resolve, reject) => {
          failed = reject;
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

/** A {@linkcode Store} over a postgres.js pool. */
function postgresStore(sql: Sql, location: string): Store {
  return {
    kind: "postgres",
    location,
    ...queryable(sql),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      try {
        return await sql.begin((tx) => fn(queryable(tx))) as T;
      } catch (error) {
        throw toStorageError(error, "postgres transaction failed");
      }
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
