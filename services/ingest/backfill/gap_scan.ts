/**
 * Gaps in the stored ticks of one symbol: its tick times read oldest first, archived days
 * included, fed to {@linkcode findGaps} batch by batch. The times are ts_recv, the time
 * Databento's get_range filters on, so a gap [a + 1, b) is exactly what is missing (the tick at
 * a is not downloaded again, and nothing received just before b is left out); ticks are read in
 * ts_event order and a receive time earlier than one already seen counts as that one. Days held
 * in tick_data are read with a keyset query on (ts_event, ts_recv) alone (3-4x faster than
 * building Tick objects on Postgres); days archived by `db compress` are read back through the
 * tick repository.
 * @module
 */
import {
  dayOfNs,
  dayStartNs,
  listArchivedSlices,
  NS_PER_DAY,
  StorageError,
  type Store,
  type TickRepository,
} from "@shared/storage/mod.ts";
import { findGaps, type Gap } from "./gaps.ts";
import { openIntervals } from "./sessions.ts";

/** What {@linkcode scanGaps} scans. */
export interface ScanGapsOptions {
  symbol: string;
  exchange: string;
  /** Inclusive, ns. */
  startNs: bigint;
  /** Exclusive, ns. */
  endNs: bigint;
  /** A silence longer than this (ns) inside the sessions is a gap. */
  maxGapNs: bigint;
  /** Picks the session rule (`futures`, `equity`; anything else is 24/7). */
  assetType: string;
  /** Only count time inside the asset type's sessions (`[backfill] sessions`). */
  sessions: boolean;
  /** Tick times per database round trip (default 50,000). */
  batchSize?: number;
}

/**
 * The gaps of one (symbol, exchange) over [startNs, endNs) by its stored ticks' ts_recv; memory
 * stays at one batch (one archived day) whatever the range.
 */
export async function scanGaps(repo: TickRepository, o: ScanGapsOptions): Promise<Gap[]> {
  if (o.endNs <= o.startNs) return [];
  return await findGaps(storedTimes(repo, o), {
    startNs: o.startNs,
    endNs: o.endNs,
    maxGapNs: o.maxGapNs,
    open: o.sessions ? (from, to) => openIntervals(o.assetType, from, to) : undefined,
  });
}

/**
 * ts_recv of every stored tick of the range (by ts_event), made non-decreasing (repeats
 * possible), in batches.
 */
export async function* storedTimes(
  repo: TickRepository,
  o: Pick<ScanGapsOptions, "symbol" | "exchange" | "startNs" | "endNs" | "batchSize">,
): AsyncGenerator<bigint[]> {
  let latest = -1n;
  for await (const batch of receiveTimes(repo, o)) {
    for (let i = 0; i < batch.length; i++) {
      if (batch[i]! < latest) batch[i] = latest;
      else latest = batch[i]!;
    }
    yield batch;
  }
}

async function* receiveTimes(
  repo: TickRepository,
  o: Pick<ScanGapsOptions, "symbol" | "exchange" | "startNs" | "endNs" | "batchSize">,
): AsyncGenerator<bigint[]> {
  const batchSize = o.batchSize ?? 50_000;
  const { symbol, exchange } = o;
  const archivedDays = (from: bigint, to: bigint) =>
    listArchivedSlices(repo.store, {
      symbol,
      exchange,
      fromDay: dayOfNs(from),
      toDay: dayOfNs(to - 1n),
    }).then((slices) => slices.map((s) => s.day));
  let cursor = o.startNs;
  for (const day of [...await archivedDays(o.startNs, o.endNs), undefined]) {
    // tick_data up to the next archived day (or the end), then that day from its archive.
    const dayStart = day === undefined ? o.endNs : dayStartNs(day);
    const liveEnd = dayStart < o.endNs ? dayStart : o.endNs;
    if (cursor < liveEnd) {
      yield* liveTimes(repo.store, { symbol, exchange, from: cursor, to: liveEnd, batchSize });
      if ((await archivedDays(cursor, liveEnd)).length > 0) {
        throw new StorageError(
          "conflict",
          `ticks of ${symbol} were archived while being scanned for gaps; scan again`,
        );
      }
    }
    if (day === undefined) break;
    const from = dayStart > o.startNs ? dayStart : o.startNs;
    const dayEnd = dayStart + NS_PER_DAY;
    const to = dayEnd < o.endNs ? dayEnd : o.endNs;
    const query = { symbol, exchange, start: from, end: to, order: "asc" as const };
    for await (const batch of repo.streamTicks(query, batchSize)) {
      yield batch.map((tick) => tick.tsRecv);
    }
    cursor = to;
  }
}

/**
 * Pins the index-order plan for a page, as the tick reader does: without fresh statistics the
 * planner may sort every remaining row of the range for each page.
 */
const INDEX_ORDER_ONLY = `SELECT set_config('enable_sort', 'off', true),
  set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true)`;

const PAGE = `SELECT ts_event, ts_recv FROM tick_data
  WHERE symbol = $1 AND exchange = $2 AND ts_event >= $3 AND ts_event < $4
  ORDER BY ts_event LIMIT $5`;

/**
 * ts_recv of tick_data rows with ts_event in [from, to), keyset-paged on ts_event alone: the next
 * page starts after the last ts_event seen, which may skip rows sharing that exact time, harmless
 * for gaps.
 */
async function* liveTimes(
  store: Store,
  r: { symbol: string; exchange: string; from: bigint; to: bigint; batchSize: number },
): AsyncGenerator<bigint[]> {
  let from = r.from;
  while (from < r.to) {
    const params = [r.symbol, r.exchange, from, r.to, r.batchSize];
    const { rows } = await store.transaction(async (tx) => {
      await tx.query(INDEX_ORDER_ONLY);
      return await tx.query<{ ts_event: bigint | string; ts_recv: bigint | string }>(PAGE, params);
    });
    if (rows.length > 0) yield rows.map((row) => BigInt(row.ts_recv));
    if (rows.length < r.batchSize) return;
    from = BigInt(rows[rows.length - 1]!.ts_event) + 1n;
  }
}
