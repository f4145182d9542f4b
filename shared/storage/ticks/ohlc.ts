/**
 * OHLC bars over [start, end): aggregated in SQL over tick_data and in JS over archived slices
 * (one at a time), merged per bucket, with synthetic bars for intervals without trades.
 */
import { DataError, validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import { listArchivedSlices } from "../archive/catalog.ts";
import { readArchivedSlice } from "../archive/archive_file.ts";
import type { SqlParam, Store } from "../store.ts";
import { dayOfNs, NS_PER_DAY } from "./tick.ts";
import type { TickReadOptions } from "./tick_reader.ts";
import { orderCollation } from "./_collation.ts";
import {
  accumulateTicks,
  type Bar,
  type Buckets,
  finishBars,
  mergePartial,
  type PartialBar,
  partialBar,
} from "./_bars.ts";

export type { Bar } from "./_bars.ts";

/** The bar sizes getOhlc knows. */
export const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"] as const;
/** One of {@linkcode TIMEFRAMES}. */
export type Timeframe = typeof TIMEFRAMES[number];

/** The most bars one call may produce (synthetic ones included). */
export const MAX_BARS = 1_000_000;

const NS_PER_MINUTE = 60_000_000_000n;
const BUCKETS: Record<Timeframe, Buckets> = {
  "1m": { width: NS_PER_MINUTE, offset: 0n },
  "5m": { width: 5n * NS_PER_MINUTE, offset: 0n },
  "15m": { width: 15n * NS_PER_MINUTE, offset: 0n },
  "30m": { width: 30n * NS_PER_MINUTE, offset: 0n },
  "1h": { width: 60n * NS_PER_MINUTE, offset: 0n },
  "4h": { width: 240n * NS_PER_MINUTE, offset: 0n },
  "1d": { width: NS_PER_DAY, offset: 0n },
  // 1970-01-01 was a Thursday: weeks start on Monday 1970-01-05 and every 7 days from there.
  "1w": { width: 7n * NS_PER_DAY, offset: 4n * NS_PER_DAY },
};

/** What getOhlc aggregates: one symbol (one exchange or all) over [start, end). */
export interface OhlcQuery {
  symbol: string;
  exchange?: string;
  timeframe: Timeframe;
  /** Inclusive, ns. */
  start: bigint;
  /** Exclusive, ns. */
  end: bigint;
}

/** The bars of `query`: real ones, plus synthetic ones from the first real bar to the end. */
export async function getOhlc(
  store: Store,
  query: OhlcQuery,
  options: TickReadOptions = {},
): Promise<Bar[]> {
  const buckets = checkOhlcQuery(query);
  const { symbol, exchange, start, end } = query;
  const bars = new Map<bigint, PartialBar>();
  for (const part of await sqlBars(store, query, buckets)) mergePartial(bars, part);
  if (options.archiveRoot !== undefined) {
    const slices = await listArchivedSlices(store, {
      symbol,
      exchange,
      fromDay: start <= 0n ? undefined : dayOfNs(start),
      toDay: dayOfNs(end - 1n),
    });
    for (const slice of slices) {
      if (slice.lastTs < start || slice.firstTs >= end) continue;
      let ticks = await readArchivedSlice(options.archiveRoot, slice);
      if (slice.firstTs < start || slice.lastTs >= end) {
        ticks = ticks.filter((tick) => tick.tsEvent >= start && tick.tsEvent < end);
      }
      accumulateTicks(bars, ticks, buckets);
    }
  }
  return finishBars(bars, buckets, end);
}

/** Checks the query; returns its bucketing. Throws one-line errors naming what is wrong. */
function checkOhlcQuery(query: OhlcQuery): Buckets {
  validateSymbol(query.symbol);
  if (query.exchange !== undefined) validateExchange(query.exchange);
  const buckets = Object.hasOwn(BUCKETS, query.timeframe) ? BUCKETS[query.timeframe] : undefined;
  if (buckets === undefined) {
    throw new DataError(
      "invalid_timeframe",
      `invalid timeframe ${JSON.stringify(query.timeframe)}: expected one of ${
        TIMEFRAMES.join(", ")
      }`,
    );
  }
  if (typeof query.start !== "bigint" || typeof query.end !== "bigint") {
    throw new TypeError("OHLC range needs start and end as bigint nanoseconds");
  }
  if (query.start >= query.end) {
    throw new RangeError(`OHLC range is empty: start ${query.start} >= end ${query.end}`);
  }
  const bars = (query.end - query.start) / buckets.width + 2n;
  if (bars > BigInt(MAX_BARS)) {
    throw new RangeError(
      `OHLC range too long for ${query.timeframe}: up to ${bars} bars, at most ${MAX_BARS}`,
    );
  }
  return buckets;
}

interface BarRow {
  bucket: bigint;
  first_ts: bigint;
  last_ts: bigint;
  high: bigint;
  low: bigint;
  volume: string;
  trades: bigint;
  open_exchange: string;
  open_trade_id: string;
  open: bigint;
  close_exchange: string;
  close_trade_id: string;
  close: bigint;
}

/**
 * One pass over tick_data in index order: lag/lead mark each bucket's first and last tick by the
 * total order, so open and close need no second lookup (a per-bar index probe costs more than
 * the whole aggregation once a range spans many day partitions).
 */
async function sqlBars(store: Store, query: OhlcQuery, buckets: Buckets): Promise<PartialBar[]> {
  const c = await orderCollation(store, store);
  const params: SqlParam[] = [query.symbol, buckets.offset, buckets.width, query.start, query.end];
  let sameExchange = "";
  if (query.exchange !== undefined) {
    params.push(query.exchange);
    sameExchange = "AND exchange = $6";
  }
  const { rows } = await store.query<BarRow>(
    `SELECT bucket, min(ts_event) AS first_ts, max(ts_event) AS last_ts,
            max(price) AS high, min(price) AS low, sum(quantity)::text AS volume,
            count(*) AS trades,
            min(price) FILTER (WHERE is_first) AS open,
            min(exchange) FILTER (WHERE is_first) AS open_exchange,
            min(trade_id) FILTER (WHERE is_first) AS open_trade_id,
            min(price) FILTER (WHERE is_last) AS close,
            min(exchange) FILTER (WHERE is_last) AS close_exchange,
            min(trade_id) FILTER (WHERE is_last) AS close_trade_id
       FROM (SELECT bucket, ts_event, exchange, trade_id, price, quantity,
                    bucket IS DISTINCT FROM lag(bucket) OVER w AS is_first,
                    bucket IS DISTINCT FROM lead(bucket) OVER w AS is_last
               FROM (SELECT ts_event - ((ts_event - $2) % $3 + $3) % $3 AS bucket,
                            ts_event, exchange, trade_id, price, quantity
                       FROM tick_data
                      WHERE symbol = $1 ${sameExchange} AND ts_event >= $4 AND ts_event < $5) r
             WINDOW w AS (ORDER BY ts_event, exchange${c}, trade_id${c})) s
      GROUP BY bucket`,
    params,
  );
  return rows.map((row) =>
    partialBar(
      row.bucket,
      {
        tsEvent: row.first_ts,
        exchange: row.open_exchange,
        tradeId: row.open_trade_id,
        price: row.open,
      },
      {
        tsEvent: row.last_ts,
        exchange: row.close_exchange,
        tradeId: row.close_trade_id,
        price: row.close,
      },
      { high: row.high, low: row.low, volume: row.volume, tradeCount: Number(row.trades) },
    )
  );
}
