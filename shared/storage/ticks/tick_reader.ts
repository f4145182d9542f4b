/**
 * Reading ticks: time ranges in either order, streamed in batches by keyset pagination (a
 * 100M-row backtest holds one batch), with archived days read back transparently. Every reader
 * returns ticks in the total order of {@linkcode compareTicks} (DESC is its exact reverse).
 */
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import { listArchivedSlices } from "../archive/catalog.ts";
import { readArchivedSlice } from "../archive/archive_file.ts";
import type { Store } from "../store.ts";
import { StorageError } from "../storage_error.ts";
import { compareTicks, dayOfNs, type Tick } from "./tick.ts";
import { tickPages } from "./_tick_pages.ts";
import { loadArchivedDay, mergeWithPages, planSegments } from "./_archived_days.ts";

/** What to read: one symbol, optionally one exchange, over [start, end). */
export interface TickQuery {
  symbol: string;
  exchange?: string;
  /** Inclusive, ns. */
  start?: bigint;
  /** Exclusive, ns. */
  end?: bigint;
  /** "asc" (backtests, the default) or "desc" (live: newest first). */
  order?: "asc" | "desc";
  /** At most this many ticks. */
  limit?: number;
}

/** How to read: where archives live (omit to read tick_data only) and the batch size. */
export interface TickReadOptions {
  /** The archive root (archiveRoot(data_dir)); archived days are skipped without it. */
  archiveRoot?: string;
  /** Ticks per batch and per database round trip; default 10,000. */
  batchSize?: number;
}

/** Default ticks per batch. */
export const DEFAULT_BATCH_SIZE = 10_000;

/**
 * Streams the ticks of `query` in batches of at most `batchSize`, in the total order. Bad
 * queries throw here, before any SQL; reading starts with the first `next()`.
 */
export function streamTicks(
  store: Store,
  query: TickQuery,
  options: TickReadOptions = {},
): AsyncGenerator<Tick[]> {
  const checked = checkQuery(query);
  const batchSize = checkBatchSize(options.batchSize);
  return readTicks(store, checked, { batchSize, archiveRoot: options.archiveRoot });
}

async function* readTicks(
  store: Store,
  query: CheckedQuery,
  options: { batchSize: number; archiveRoot: string | undefined },
): AsyncGenerator<Tick[]> {
  const { symbol, exchange, start, end, desc } = query;
  const { batchSize, archiveRoot } = options;
  let remaining = query.limit;
  if (remaining === 0 || (start !== undefined && end !== undefined && start >= end)) return;

  const slices = archiveRoot === undefined ? [] : await listArchivedSlices(store, {
    symbol,
    exchange,
    fromDay: start === undefined || start <= 0n ? undefined : dayOfNs(start),
    toDay: end === undefined ? undefined : dayOfNs(end - 1n),
  });
  const segments = planSegments(start, end, slices);
  if (desc) segments.reverse();

  for (const segment of segments) {
    const range = { symbol, exchange, from: segment.from, to: segment.to, desc };
    const paging = { batchSize, limit: remaining };
    let batches = tickPages(store, range, paging);
    if (segment.slices.length > 0) {
      const archived = await loadArchivedDay(archiveRoot!, segment.slices, range.from, range.to);
      if (desc) archived.reverse();
      batches = mergeWithPages(archived, batches, desc, paging);
    }
    for await (const batch of batches) {
      remaining -= batch.length;
      yield batch;
      if (remaining <= 0) return;
    }
    if (archiveRoot !== undefined && segment.slices.length === 0) {
      await checkStillUnarchived(store, symbol, exchange, segment);
    }
  }
}

/**
 * A `db compress` that committed while a segment planned as tick_data was being paged may have
 * moved some of its rows away under the reader: never a silent gap, a retryable error instead.
 */
async function checkStillUnarchived(
  store: Store,
  symbol: string,
  exchange: string | undefined,
  segment: { from: bigint | undefined; to: bigint | undefined },
): Promise<void> {
  const moved = await listArchivedSlices(store, {
    symbol,
    exchange,
    fromDay: segment.from === undefined || segment.from <= 0n ? undefined : dayOfNs(segment.from),
    toDay: segment.to === undefined ? undefined : dayOfNs(segment.to - 1n),
  });
  if (moved.length > 0) {
    throw new StorageError(
      "conflict",
      `ticks of ${symbol} on ${moved[0]!.day} were archived while being read; read again`,
    );
  }
}

/** All ticks of `query` in one array (prefer {@linkcode streamTicks} for long ranges). */
export async function getTicks(
  store: Store,
  query: TickQuery,
  options: TickReadOptions = {},
): Promise<Tick[]> {
  const out: Tick[] = [];
  for await (const batch of streamTicks(store, query, options)) {
    for (const tick of batch) out.push(tick);
  }
  return out;
}

/** The newest tick's price of `symbol` (on `exchange` when given), or undefined without ticks. */
export async function getLatestPrice(
  store: Store,
  symbol: string,
  options: TickReadOptions & { exchange?: string } = {},
): Promise<{ price: bigint; tsEvent: bigint; exchange: string } | undefined> {
  const query = { symbol, exchange: options.exchange, order: "desc" as const, limit: 1 };
  const [live] = await getTicks(store, query, { batchSize: 1 });
  let best = live;
  if (options.archiveRoot !== undefined) {
    // Slices newer than tick_data's newest tick are rare (nothing left in tick_data, an old day
    // restored); the catalogue's last_ts says which could hold the answer, usually none.
    const slices = await listArchivedSlices(store, {
      symbol: query.symbol,
      exchange: query.exchange,
      fromDay: best === undefined ? undefined : dayOfNs(best.tsEvent),
    });
    slices.sort((a, b) => (a.lastTs > b.lastTs ? -1 : a.lastTs < b.lastTs ? 1 : 0));
    for (const slice of slices) {
      if (best !== undefined && slice.lastTs < best.tsEvent) break;
      const ticks = await readArchivedSlice(options.archiveRoot, slice);
      const last = ticks[ticks.length - 1];
      if (last !== undefined && (best === undefined || compareTicks(last, best) > 0)) best = last;
    }
  }
  return best === undefined
    ? undefined
    : { price: best.price, tsEvent: best.tsEvent, exchange: best.exchange };
}

/** The ticks of [start, end) oldest first, in batches: the data source of a backtest. */
export function getHistoricalDataForBacktest(
  store: Store,
  query: { symbol: string; exchange?: string; start: bigint; end: bigint },
  options: TickReadOptions = {},
): AsyncGenerator<Tick[]> {
  if (typeof query.start !== "bigint" || typeof query.end !== "bigint") {
    throw new TypeError("Backtest range needs start and end as bigint nanoseconds");
  }
  if (query.start >= query.end) {
    throw new RangeError(`Backtest range is empty: start ${query.start} >= end ${query.end}`);
  }
  return streamTicks(store, { ...query, order: "asc" }, options);
}

interface CheckedQuery {
  symbol: string;
  exchange: string | undefined;
  start: bigint | undefined;
  end: bigint | undefined;
  desc: boolean;
  /** Infinity when unlimited. */
  limit: number;
}

function checkQuery(query: TickQuery): CheckedQuery {
  validateSymbol(query.symbol);
  if (query.exchange !== undefined) validateExchange(query.exchange);
  for (const key of ["start", "end"] as const) {
    const value = query[key];
    if (value !== undefined && typeof value !== "bigint") {
      throw new TypeError(`Tick query ${key} must be a bigint of nanoseconds, got ${typeof value}`);
    }
  }
  if (query.order !== undefined && query.order !== "asc" && query.order !== "desc") {
    throw new RangeError(`Tick query order must be "asc" or "desc", got "${query.order}"`);
  }
  if (query.limit !== undefined && !(Number.isSafeInteger(query.limit) && query.limit >= 0)) {
    throw new RangeError(`Tick query limit must be a non-negative integer, got ${query.limit}`);
  }
  return {
    symbol: query.symbol,
    exchange: query.exchange,
    start: query.start,
    end: query.end,
    desc: query.order === "desc",
    limit: query.limit ?? Infinity,
  };
}

function checkBatchSize(batchSize: number | undefined): number {
  if (batchSize === undefined) return DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) {
    throw new RangeError(`batchSize must be an integer from 1 to 1000000, got ${batchSize}`);
  }
  return batchSize;
}
