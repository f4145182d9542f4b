/**
 * The archive catalogue (table tick_archives): which (symbol, exchange, day) slices live in
 * `.dbn.zst` files instead of tick_data. A slice is in exactly one of the two places.
 */
import { join, resolve } from "node:path";
import type { Queryable } from "../store.ts";

/** One archived (symbol, exchange, UTC day) slice. */
export interface ArchiveSlice {
  symbol: string;
  exchange: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The `.trades.dbn.zst` file, relative to the archive root. */
  path: string;
  rowCount: number;
  /** ts_event of the first and last tick, ns. */
  firstTs: bigint;
  lastTs: bigint;
  /** checksumTicks() of the slice's ticks in reader order (compareTicks). */
  checksum: string;
}

/** Filter of {@linkcode listArchivedSlices}; days are inclusive `YYYY-MM-DD`. */
export interface ArchiveFilter {
  symbol?: string;
  exchange?: string;
  fromDay?: string;
  toDay?: string;
}

/** `<data_dir>/archive/ticks`: where tick archives live. */
export function archiveRoot(dataDir: string): string {
  return join(resolve(dataDir), "archive", "ticks");
}

/** `2026-11-21`, `BINANCE`, `BTCUSD` -> `2026/11/21/BINANCE/BTCUSD.trades.dbn.zst`. */
export function slicePath(day: string, exchange: string, symbol: string): string {
  return `${day.replaceAll("-", "/")}/${exchange}/${symbol}.trades.dbn.zst`;
}

/** The sidecar with trade ids and exact quantities, next to the DBN file. */
export function sidecarPath(path: string): string {
  return path.replace(/\.trades\.dbn\.zst$/, ".trades.ids.zst");
}

interface SliceRow {
  symbol: string;
  exchange: string;
  day: string;
  path: string;
  row_count: bigint;
  first_ts: bigint;
  last_ts: bigint;
  checksum: string;
}

/** The catalogue entries matching `filter`, ordered by day, exchange, symbol. */
export async function listArchivedSlices(
  db: Queryable,
  filter: ArchiveFilter = {},
): Promise<ArchiveSlice[]> {
  const { rows } = await db.query<SliceRow>(
    `SELECT symbol, exchange, day::text AS day, path, row_count, first_ts, last_ts, checksum
       FROM tick_archives
      WHERE ($1::text IS NULL OR symbol = $1)
        AND ($2::text IS NULL OR exchange = $2)
        AND ($3::date IS NULL OR day >= $3::date)
        AND ($4::date IS NULL OR day <= $4::date)
      ORDER BY day, exchange, symbol`,
    [filter.symbol ?? null, filter.exchange ?? null, filter.fromDay ?? null, filter.toDay ?? null],
  );
  return rows.map((row) => ({
    symbol: row.symbol,
    exchange: row.exchange,
    day: row.day,
    path: row.path,
    rowCount: Number(row.row_count),
    firstTs: row.first_ts,
    lastTs: row.last_ts,
    checksum: row.checksum,
  }));
}

/** Adds a catalogue entry (inside the transaction that drops the rows from tick_data). */
export async function addArchivedSlice(db: Queryable, slice: ArchiveSlice): Promise<void> {
  await db.query(
    `INSERT INTO tick_archives (symbol, exchange, day, path, row_count, first_ts, last_ts, checksum)
     VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8)`,
    [
      slice.symbol,
      slice.exchange,
      slice.day,
      slice.path,
      slice.rowCount,
      slice.firstTs,
      slice.lastTs,
      slice.checksum,
    ],
  );
}

/** Removes a catalogue entry (inside the transaction that restores its rows). */
export async function removeArchivedSlice(
  db: Queryable,
  key: Pick<ArchiveSlice, "symbol" | "exchange" | "day">,
): Promise<void> {
  await db.query(
    "DELETE FROM tick_archives WHERE symbol = $1 AND exchange = $2 AND day = $3::date",
    [key.symbol, key.exchange, key.day],
  );
}
