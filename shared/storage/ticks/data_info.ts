/** What data there is: per (symbol, exchange) tick counts and time ranges, archives included. */
import { validateSymbol } from "@shared/domain/mod.ts";
import type { Store } from "../store.ts";

/** The ticks held for one (symbol, exchange), in tick_data and in archives together. */
export interface SymbolDataInfo {
  symbol: string;
  exchange: string;
  /** All ticks, archived ones included. */
  count: number;
  /** ts_event of the oldest and newest tick, ns. */
  firstTs: bigint;
  lastTs: bigint;
  /** Ticks in archive files, and how many UTC days they span. */
  archivedCount: number;
  archivedDays: number;
}

interface InfoRow {
  symbol: string;
  exchange: string;
  count: bigint;
  first_ts: bigint;
  last_ts: bigint;
  archived_count: bigint;
  archived_days: bigint;
}

/** Counts and ranges per (symbol, exchange), ordered by symbol then exchange. */
export async function getDataInfo(
  store: Store,
  options: { symbol?: string } = {},
): Promise<SymbolDataInfo[]> {
  const bySymbol = options.symbol !== undefined;
  if (bySymbol) validateSymbol(options.symbol!);
  const where = bySymbol ? "WHERE symbol = $1" : "";
  const { rows } = await store.query<InfoRow>(
    `SELECT symbol, exchange, sum(n)::int8 AS count, min(first_ts) AS first_ts,
            max(last_ts) AS last_ts, sum(archived_n)::int8 AS archived_count,
            sum(archived_days)::int8 AS archived_days
       FROM (SELECT symbol, exchange, count(*) AS n, min(ts_event) AS first_ts,
                    max(ts_event) AS last_ts, 0::int8 AS archived_n, 0::int8 AS archived_days
               FROM tick_data ${where}
              GROUP BY symbol, exchange
             UNION ALL
             SELECT symbol, exchange, sum(row_count), min(first_ts), max(last_ts),
                    sum(row_count), count(*)
               FROM tick_archives ${where}
              GROUP BY symbol, exchange) parts
      GROUP BY symbol, exchange
      ORDER BY symbol COLLATE "C", exchange COLLATE "C"`,
    bySymbol ? [options.symbol!] : [],
  );
  return rows.map((row) => ({
    symbol: row.symbol,
    exchange: row.exchange,
    count: Number(row.count),
    firstTs: row.first_ts,
    lastTs: row.last_ts,
    archivedCount: Number(row.archived_count),
    archivedDays: Number(row.archived_days),
  }));
}
