/**
 * Writing ticks into tick_data. `batchInsert` COPYs a batch straight into the table and, when the
 * batch holds rows already stored (or the same row twice), falls back to COPY into a temporary
 * staging table plus `INSERT ... SELECT ... ON CONFLICT DO NOTHING`, which counts duplicates.
 * Measured against `INSERT ... SELECT FROM unnest($1::int8[], ...)` (scripts/bench_storage.ts,
 * BENCHMARKS.md): COPY was 3.7x to 4.1x faster at 1M rows, so only COPY is kept here.
 * `insertTick` is the row-at-a-time path. Both restore archived slices they touch first, in the same transaction.
 * @module
 */
import { listArchivedSlices } from "../archive/catalog.ts";
import { restoreArchivedSlices } from "../archive/restore.ts";
import { StorageError } from "../storage_error.ts";
import type { Queryable, SqlParam, Store } from "../store.ts";
import { daysOf, ensureDayPartitions, forgetDayPartitions } from "./partitions.ts";
import {
  dayOfNs,
  dayStartNs,
  NS_PER_DAY,
  type Tick,
  TICK_COLUMNS,
  TICK_SELECT,
  tickCopyLine,
  validateTick,
} from "./tick.ts";

/** A tick `batchInsert` skipped: its index in the batch and the one-line reason. */
export interface RejectedTick {
  index: number;
  reason: string;
}

/** What `batchInsert` did: rows written, rows already there, ticks rejected, the path taken. */
export interface BatchInsertResult {
  inserted: number;
  /** Valid ticks not written because the row was stored already or came twice in the batch. */
  duplicates: number;
  rejected: RejectedTick[];
  /** `copy`: straight COPY; `staged`: COPY into staging + ON CONFLICT; `empty`: nothing valid. */
  path: "copy" | "staged" | "empty";
}

/** Options of the tick writers. */
export interface TickWriterOptions {
  /** The archive root (archiveRoot(data_dir)); needed to restore archived slices a write touches. */
  archiveRoot?: string;
}

/** COPY payloads are sent in strings of about this many characters. */
const CHUNK_CHARS = 1 << 20;
/** After a batch with duplicates, this many following batches skip the COPY attempt. */
const STAGED_CALLS_AFTER_DUPLICATES = 8;
const STAGING = "tick_staging";
const CREATE_STAGING =
  `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (LIKE tick_data) ON COMMIT DELETE ROWS`;
const INSERT_STAGED = `INSERT INTO tick_data (${TICK_SELECT})
  SELECT ${TICK_SELECT} FROM ${STAGING} ON CONFLICT DO NOTHING`;
/** One row; skipped (count 0) when it is a duplicate or its slice is archived. */
const INSERT_ONE = `INSERT INTO tick_data (${TICK_SELECT})
  SELECT $1::int8, $2::int8, $3::int8, $4::text, $5::text, $6::int8, $7::int8, $8::numeric,
         $9::text, $10::text, $11::int2, $12::int8
   WHERE NOT EXISTS (
         SELECT 1 FROM tick_archives WHERE symbol = $4 AND exchange = $5 AND day = $13::date)
  ON CONFLICT DO NOTHING`;

/** Per store: how many more batches go straight to the staged path. */
const stagedCallsLeft = new WeakMap<object, number>();

/**
 * Writes `ticks` in one transaction (all or nothing); invalid ticks are skipped and listed in
 * `rejected`, rows already stored are counted as `duplicates`. Throws a {@linkcode StorageError}
 * (`connection_lost` is retryable) when the database fails, and `archive` when the batch touches
 * an archived slice but no `archiveRoot` was given.
 */
export async function batchInsert(
  store: Store,
  ticks: readonly Tick[],
  options: TickWriterOptions = {},
): Promise<BatchInsertResult> {
  const rejected: RejectedTick[] = [];
  const valid: Tick[] = [];
  for (let index = 0; index < ticks.length; index++) {
    const tick = ticks[index]!;
    try {
      validateTick(tick);
      valid.push(tick);
    } catch (error) {
      rejected.push({ index, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (valid.length === 0) return { inserted: 0, duplicates: 0, rejected, path: "empty" };

  const days = daysOf(eventTimes(valid));
  const chunks = copyChunks(valid);
  const left = stagedCallsLeft.get(store) ?? 0;
  const run = async () => {
    // Outside the transaction: creating a partition locks tick_data until commit, and an empty
    // partition left by a failed batch is harmless.
    await ensureDayPartitions(store, days, store);
    return await store.transaction(async (tx) => {
      await restoreTouchedSlices(tx, store, valid, days, options.archiveRoot);
      if (left === 0) {
        await tx.exec("SAVEPOINT tick_copy");
        try {
          await tx.copyFrom("tick_data", TICK_COLUMNS, chunks);
          return { inserted: valid.length, path: "copy" as const };
        } catch (error) {
          if (!hasSqlState(error, "23505")) throw error;
          await tx.exec("ROLLBACK TO SAVEPOINT tick_copy");
        }
      }
      await tx.exec(CREATE_STAGING);
      await tx.copyFrom(STAGING, TICK_COLUMNS, chunks);
      const { count } = await tx.query(INSERT_STAGED);
      return { inserted: count, path: "staged" as const };
    });
  };
  const { inserted, path } = await retryOnMissingPartition(store, run);
  const duplicates = valid.length - inserted;
  if (duplicates > 0) stagedCallsLeft.set(store, STAGED_CALLS_AFTER_DUPLICATES);
  else if (left > 0) stagedCallsLeft.set(store, left - 1);
  return { inserted, duplicates, rejected, path };
}

/**
 * Writes one tick with a single parameterised `INSERT ... ON CONFLICT DO NOTHING`; false when
 * the row was stored already. Throws the {@linkcode validateTick} DataError for an invalid tick.
 */
export async function insertTick(
  store: Store,
  tick: Tick,
  options: TickWriterOptions = {},
): Promise<boolean> {
  validateTick(tick);
  const day = dayOfNs(tick.tsEvent);
  const params: SqlParam[] = [
    tick.tsEvent,
    tick.tsRecv,
    tick.instrumentId,
    tick.symbol,
    tick.exchange,
    tick.price,
    tick.size,
    tick.quantity,
    tick.side,
    tick.tradeId,
    tick.flags,
    tick.sequence,
    day,
  ];
  const inserted = await retryOnMissingPartition(store, async () => {
    await ensureDayPartitions(store, [day], store);
    return (await store.query(INSERT_ONE, params)).count === 1;
  });
  if (inserted) return true;
  // Not written: a duplicate, or the slice is archived (the statement skips archived slices).
  const key = { symbol: tick.symbol, exchange: tick.exchange, day };
  const archived = await listArchivedSlices(store, { ...key, fromDay: day, toDay: day });
  if (archived.length === 0) return false;
  const root = options.archiveRoot;
  if (root === undefined) throw archivedError([key]);
  return await retryOnMissingPartition(store, () =>
    store.transaction(async (tx) => {
      await ensureDayPartitions(tx, [day], store);
      await restoreArchivedSlices(tx, root, [key], store);
      return (await tx.query(INSERT_ONE, params)).count === 1;
    }));
}

/** Runs `fn` again once when a cached day partition was dropped under it (`db compress`). */
async function retryOnMissingPartition<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!hasSqlState(error, "23514") || !/no partition of relation/.test(String(error))) {
      throw error;
    }
    forgetDayPartitions(store);
    return await fn();
  }
}

function hasSqlState(error: unknown, sqlState: string): boolean {
  return error instanceof StorageError && error.sqlState === sqlState;
}

/**
 * Restores the archived (symbol, exchange, day) slices the batch writes into, so a slice never
 * lives in both places. One catalogue query when nothing in the batch's days is archived.
 */
async function restoreTouchedSlices(
  tx: Queryable,
  store: Store,
  ticks: readonly Tick[],
  days: ReadonlySet<string>,
  root: string | undefined,
): Promise<void> {
  const sorted = [...days].sort();
  const slices = await listArchivedSlices(tx, { fromDay: sorted[0], toDay: sorted.at(-1) });
  if (slices.length === 0) return;
  const inArchive = new Set(slices.map((s) => sliceKey(s.symbol, s.exchange, s.day)));
  const touched = new Map<string, { symbol: string; exchange: string; day: string }>();
  let day = "";
  let dayStart = -1n;
  for (const tick of ticks) {
    if (dayStart < 0n || tick.tsEvent < dayStart || tick.tsEvent >= dayStart + NS_PER_DAY) {
      day = dayOfNs(tick.tsEvent);
      dayStart = dayStartNs(day);
    }
    const key = sliceKey(tick.symbol, tick.exchange, day);
    if (inArchive.has(key) && !touched.has(key)) {
      touched.set(key, { symbol: tick.symbol, exchange: tick.exchange, day });
    }
  }
  if (touched.size === 0) return;
  if (root === undefined) throw archivedError([...touched.values()]);
  await restoreArchivedSlices(tx, root, [...touched.values()], store);
}

function sliceKey(symbol: string, exchange: string, day: string): string {
  return `${symbol}\t${exchange}\t${day}`;
}

function archivedError(keys: readonly { symbol: string; exchange: string; day: string }[]) {
  const first = keys[0]!;
  const more = keys.length > 1 ? ` and ${keys.length - 1} more` : "";
  return new StorageError(
    "archive",
    `Cannot write ticks into archived slice ${first.symbol}@${first.exchange} ${first.day}${more}: no archive root given to restore it`,
  );
}

function* eventTimes(ticks: readonly Tick[]): Generator<bigint> {
  for (const tick of ticks) yield tick.tsEvent;
}

/** The batch as COPY text in ~1 MB strings; iterable again for the staged path or a retry. */
function copyChunks(ticks: readonly Tick[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      let chunk = "";
      for (const tick of ticks) {
        chunk += tickCopyLine(tick);
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk.length > 0) yield chunk;
    },
  };
}
