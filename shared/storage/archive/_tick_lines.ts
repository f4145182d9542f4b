/**
 * Ticks read as one text column per row: `concat_ws(E'\t', ...)` in TICK_COLUMNS order, i.e. the
 * COPY line without its newline. Decoding one string per row instead of twelve typed fields is
 * about 4x faster on PGlite and 1.5x on Postgres (1M rows: 1.6 s instead of 2.5 s).
 */
import type { Queryable } from "../store.ts";
import { type Tick, TICK_COLUMNS, type TickSide } from "../ticks/tick.ts";

/** The select-list expression that yields one tab-separated line per row. */
export const TICK_LINE = `concat_ws(E'\\t', ${TICK_COLUMNS.join(", ")})`;

/** Runs `sql` (which selects {@linkcode TICK_LINE} AS line) and decodes its rows. */
export async function queryTickLines(
  db: Queryable,
  sql: string,
  params: readonly string[],
): Promise<Tick[]> {
  const { rows } = await db.query<{ line: string }>(sql, params);
  return rows.map(({ line }) => tickFromLine(line));
}

/** A line of {@linkcode TICK_LINE} (columns are NOT NULL and hold no tabs) as a Tick. */
export function tickFromLine(line: string): Tick {
  const f = line.split("\t");
  if (f.length !== TICK_COLUMNS.length) {
    throw new Error(`Expected ${TICK_COLUMNS.length} tab-separated fields, got ${f.length}`);
  }
  return {
    tsEvent: BigInt(f[0]!),
    tsRecv: BigInt(f[1]!),
    instrumentId: Number(f[2]),
    symbol: f[3]!,
    exchange: f[4]!,
    price: BigInt(f[5]!),
    size: Number(f[6]),
    quantity: f[7]!,
    side: f[8] as TickSide,
    tradeId: f[9]!,
    flags: Number(f[10]),
    sequence: Number(f[11]),
  };
}
