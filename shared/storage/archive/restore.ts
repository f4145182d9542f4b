/**
 * Brings archived slices back into tick_data, inside the caller's transaction: what a writer does
 * before it adds ticks to a (symbol, exchange, day) slice that lives in the archive.
 */
import type { Queryable } from "../store.ts";
import { ensureDayPartitions, forgetDayPartitions } from "../ticks/partitions.ts";
import { type Tick, TICK_COLUMNS, tickCopyLine } from "../ticks/tick.ts";
import { readArchivedSlice } from "./archive_file.ts";
import { listArchivedSlices, removeArchivedSlice } from "./catalog.ts";

/** One (symbol, exchange, UTC day) slice. */
export interface SliceKey {
  symbol: string;
  exchange: string;
  /** `YYYY-MM-DD`. */
  day: string;
}

const LINES_PER_CHUNK = 2048;

/**
 * Copies the rows of every catalogued slice among `keys` back into tick_data and removes its
 * catalogue entry, in `tx`; keys not in the catalogue are skipped. Returns the rows restored.
 * `cacheKey` is the store (the partition cache outlives the transaction).
 *
 * The files stay on disk: the catalogue, not the file system, says where a slice lives, and a
 * rolled-back transaction must still find them. The next compress of the day overwrites them.
 */
export async function restoreArchivedSlices(
  tx: Queryable,
  root: string,
  keys: readonly SliceKey[],
  cacheKey: object,
): Promise<number> {
  let restored = 0;
  const seen = new Set<string>();
  for (const key of keys) {
    const id = `${key.symbol}\t${key.exchange}\t${key.day}`;
    if (seen.has(id)) continue;
    seen.add(id);
    // Row lock: a concurrent restore of the same slice waits, then finds it gone and skips it.
    const locked = await tx.query(
      `SELECT 1 FROM tick_archives
        WHERE symbol = $1 AND exchange = $2 AND day = $3::date FOR UPDATE`,
      [key.symbol, key.exchange, key.day],
    );
    if (locked.rows.length === 0) continue;
    const [slice] = await listArchivedSlices(tx, {
      symbol: key.symbol,
      exchange: key.exchange,
      fromDay: key.day,
      toDay: key.day,
    });
    if (slice === undefined) continue;
    const ticks = await readArchivedSlice(root, slice);
    // Ask the database, not the cache: a rolled-back transaction may have created the partition
    // and cached it (archived days usually have none since compress dropped it).
    forgetDayPartitions(cacheKey, [slice.day]);
    await ensureDayPartitions(tx, [slice.day], cacheKey);
    await tx.copyFrom("tick_data", TICK_COLUMNS, copyChunks(ticks));
    await removeArchivedSlice(tx, slice);
    restored += ticks.length;
  }
  return restored;
}

/** COPY text in chunks of a few thousand lines (fewer, larger writes). */
function* copyChunks(ticks: readonly Tick[]): Generator<string> {
  for (let start = 0; start < ticks.length; start += LINES_PER_CHUNK) {
    let chunk = "";
    const end = Math.min(start + LINES_PER_CHUNK, ticks.length);
    for (let i = start; i < end; i++) chunk += tickCopyLine(ticks[i]!);
    yield chunk;
  }
}
