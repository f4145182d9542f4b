/** The one SQL interface every repository uses; Postgres and PGlite both implement it. */

/** A value bound to a `$n` placeholder. Arrays bind to Postgres arrays (`$1::int8[]`). */
export type SqlParam =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | readonly (string | number | bigint | boolean | null)[];

/** A row as returned by the driver: int8 as bigint, numeric as string, int2/int4 as number. */
export type Row = Record<string, unknown>;

/** Rows plus the number of rows the statement affected (INSERT/UPDATE/DELETE) or returned. */
export interface QueryResult<R = Row> {
  rows: R[];
  count: number;
}

/** Which engine a store runs on. */
export type StoreKind = "postgres" | "pglite";

/** What both a store and an open transaction can do. */
export interface Queryable {
  /** One parameterised statement (`$1`, `$2`, ...). Never interpolate values into `text`. */
  query<R = Row>(text: string, params?: readonly SqlParam[]): Promise<QueryResult<R>>;
  /** A script of several statements without parameters (migrations, DDL). */
  exec(script: string): Promise<void>;
  /**
   * `COPY table (columns) FROM STDIN` in Postgres text format: `chunks` are tab-separated lines
   * ending in `\n` (the caller knows how many rows it sent).
   */
  copyFrom(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void>;
}

/** A connection to the database: Postgres when DATABASE_URL is set, embedded PGlite otherwise. */
export interface Store extends Queryable {
  readonly kind: StoreKind;
  /** Where the data lives, fit to print (a URL with its password masked, or a directory). */
  readonly location: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s); further calls fail. */
  close(): Promise<void>;
}

/** Quotes an SQL identifier we built ourselves (table and column names, never user values). */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}
