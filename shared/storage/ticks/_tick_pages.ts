/**
 * Keyset pagination over tick_data in the readers' total order (ts_event, exchange, trade_id):
 * each page is one indexed range scan that resumes after the last row of the previous page, so
 * memory stays at one page however long the range, and the same SQL runs on Postgres and PGlite.
 */
import type { SqlParam, Store } from "../store.ts";
import { queryTicks, type Tick, TICK_LINE } from "./tick.ts";
import { orderCollation } from "./_collation.ts";

/** One contiguous piece of a query: a symbol (and exchange) over [from, to). */
export interface TickRange {
  symbol: string;
  exchange: string | undefined;
  /** Inclusive lower bound, ns; undefined = unbounded. */
  from: bigint | undefined;
  /** Exclusive upper bound, ns; undefined = unbounded. */
  to: bigint | undefined;
  desc: boolean;
}

/** Paging of one range: rows per page, and the most rows to read in all. */
export interface PageOptions {
  batchSize: number;
  limit: number;
}

/**
 * Yields the rows of `range` page by page. The next page is requested as soon as a full page
 * arrives, so the database works while the consumer handles the current one.
 */
export async function* tickPages(
  store: Store,
  range: TickRange,
  options: PageOptions,
): AsyncGenerator<Tick[]> {
  const collate = await orderCollation(store, store);
  let left = options.limit;
  /** One page after `cursor`; `more` when it came back full and rows are still wanted. */
  const fetch = async (cursor: Tick | undefined) => {
    const size = Math.min(options.batchSize, left);
    left -= size;
    const { text, params } = pageQuery(range, cursor, size, collate);
    // The first page is one round trip (a short read, the common case, stays cheap); pages
    // after it pin the index-order plan, which costs a transaction around the query.
    const ticks = cursor === undefined
      ? await queryTicks(store, text, params)
      : await store.transaction(async (tx) => {
        await tx.query(INDEX_ORDER_ONLY);
        return await queryTicks(tx, text, params);
      });
    return { ticks, more: ticks.length === size && left > 0 };
  };
  let pending = left > 0 ? fetch(undefined) : undefined;
  try {
    while (pending !== undefined) {
      const { ticks, more } = await pending;
      pending = more ? fetch(ticks[ticks.length - 1]) : undefined;
      if (ticks.length > 0) yield ticks;
    }
  } finally {
    await pending?.catch(() => {});
  }
}

/**
 * Without fresh statistics (PGlite never auto-analyzes; a partition just filled on Postgres) the
 * planner may fetch a page by sorting every remaining row of the range, which makes a long read
 * quadratic. A page is always best read in index order, so the page's transaction says so.
 */
const INDEX_ORDER_ONLY = `SELECT set_config('enable_sort', 'off', true),
  set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;

/** The SQL of one page: bounds, keyset position after `cursor`, order, limit. */
export function pageQuery(
  range: TickRange,
  cursor: Tick | undefined,
  size: number,
  collate: string,
): { text: string; params: SqlParam[] } {
  const params: SqlParam[] = [range.symbol];
  const p = (value: SqlParam): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ["symbol = $1"];
  if (range.exchange !== undefined) where.push(`exchange = ${p(range.exchange)}`);
  const ex = `exchange${collate}`;
  const id = `trade_id${collate}`;
  if (!range.desc) {
    if (cursor !== undefined) {
      const ts = p(cursor.tsEvent);
      where.push(
        `ts_event >= ${ts}`,
        `(ts_event > ${ts} OR (${ex}, ${id}) > (${p(cursor.exchange)}, ${p(cursor.tradeId)}))`,
      );
    } else if (range.from !== undefined) where.push(`ts_event >= ${p(range.from)}`);
    if (range.to !== undefined) where.push(`ts_event < ${p(range.to)}`);
  } else {
    if (cursor !== undefined) {
      const ts = p(cursor.tsEvent);
      where.push(
        `ts_event <= ${ts}`,
        `(ts_event < ${ts} OR (${ex}, ${id}) < (${p(cursor.exchange)}, ${p(cursor.tradeId)}))`,
      );
    } else if (range.to !== undefined) where.push(`ts_event < ${p(range.to)}`);
    if (range.from !== undefined) where.push(`ts_event >= ${p(range.from)}`);
  }
  const dir = range.desc ? " DESC" : "";
  const text = `SELECT ${TICK_LINE} AS line FROM tick_data WHERE ${
    where.join(" AND ")
  } ORDER BY ts_event${dir}, ${ex}${dir}, ${id}${dir} LIMIT ${p(size)}`;
  return { text, params };
}
