/**
 * `db compress`: moves whole day partitions of tick_data older than a given age into
 * `.dbn.zst` archives (one slice per symbol, exchange and day) and drops them, one transaction
 * per day, so a tick is always in exactly one of the two places and never lost.
 */
import { join } from "node:path";
import { type Queryable, quoteIdent, type Store } from "../store.ts";
import { StorageError } from "../storage_error.ts";
import { forgetDayPartitions, listDayPartitions } from "../ticks/partitions.ts";
import { checksumTicks, queryTicks, TICK_LINE } from "../ticks/tick.ts";
import { removeQuietly } from "./_atomic_file.ts";
import { readArchivedSlice, writeArchiveSlice } from "./archive_file.ts";
import { addArchivedSlice, listArchivedSlices, sidecarPath } from "./catalog.ts";

/** Options of {@linkcode compressDays}. */
export interface CompressOptions {
  /** The archive root (see archiveRoot). */
  root: string;
  /**
   * Archive a day once this many whole UTC days lie between it and today (0: every day before
   * today; 1 keeps yesterday, where late trades still land, in tick_data).
   */
  olderThanDays: number;
  /** The clock (default: now). */
  now?: Date;
  /** Report what would be archived, change nothing. */
  dryRun?: boolean;
}

/** One day archived (or that would be): slices written, rows moved, bytes on disk. */
export interface CompressedDay {
  day: string;
  slices: number;
  rows: number;
  /** DBN file plus sidecar bytes written; 0 in a dry run. */
  bytes: number;
}

/** What {@linkcode compressDays} did. */
export interface CompressReport {
  days: CompressedDay[];
  rows: number;
  bytes: number;
  dryRun: boolean;
}

/**
 * How long DROP TABLE may queue for its lock on tick_data (it waits for running readers). While
 * it waits every new query of tick_data waits behind it, so a long reader (a backtest's cursor)
 * fails this run of the day instead of stalling the service; the next run tries again.
 */
const DROP_LOCK_TIMEOUT = "5s";
const MS_PER_DAY = 86_400_000;

interface DayJob {
  root: string;
  /** The partition, tick_data_pYYYYMMDD. */
  name: string;
  day: string;
}

interface Group {
  symbol: string;
  exchange: string;
  rows: bigint;
}

/** Archives every day partition `olderThanDays` whole days old or older; returns the report. */
export async function compressDays(
  store: Store,
  options: CompressOptions,
): Promise<CompressReport> {
  const { olderThanDays } = options;
  if (!Number.isInteger(olderThanDays) || olderThanDays < 0) {
    throw new RangeError(`olderThanDays must be a whole number >= 0, got ${olderThanDays}`);
  }
  const today = Math.floor((options.now ?? new Date()).getTime() / MS_PER_DAY);
  const dryRun = options.dryRun ?? false;
  const report: CompressReport = { days: [], rows: 0, bytes: 0, dryRun };
  for (const { name, day } of await listDayPartitions(store)) {
    // At least olderThanDays whole days between the day and today: the day ended that long ago.
    if (Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY > today - olderThanDays - 1) continue;
    const job: DayJob = { root: options.root, name, day };
    const done = dryRun ? await planDay(store, job) : await archiveDay(store, job);
    if (!dryRun) forgetDayPartitions(store, [day]);
    report.days.push(done);
    report.rows += done.rows;
    report.bytes += done.bytes;
  }
  return report;
}

/** What archiving the day would do. */
async function planDay(db: Queryable, { name, day }: DayJob): Promise<CompressedDay> {
  const groups = await groupsOf(db, name);
  return { day, slices: groups.length, rows: sumRows(groups), bytes: 0 };
}

/** Archives one day partition in one transaction; cleans up its files if that fails. */
async function archiveDay(store: Store, job: DayJob): Promise<CompressedDay> {
  const { root } = job;
  return await store.transaction(async (tx) => {
    const written: string[] = [];
    try {
      return await moveDay(tx, job, written);
    } catch (error) {
      // Thrown before COMMIT, so nothing is catalogued: the files of this attempt are orphans.
      // (A failed COMMIT does not come through here and keeps them: it may have committed.)
      for (const path of written) {
        await removeQuietly(join(root, path));
        await removeQuietly(sidecarPath(join(root, path)));
      }
      throw error;
    }
  });
}

/**
 * Locks out writers, writes and verifies every slice, catalogues it, drops the partition.
 * EXCLUSIVE (not ACCESS EXCLUSIVE) keeps readers of tick_data going while the files are written:
 * with generic plans Postgres locks every partition a query might touch, so ACCESS EXCLUSIVE here
 * would stall all tick reads and let them deadlock against the DROP (which locks tick_data).
 */
async function moveDay(
  tx: Queryable,
  { root, name, day }: DayJob,
  written: string[],
): Promise<CompressedDay> {
  const table = quoteIdent(name);
  await tx.exec(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  const groups = await groupsOf(tx, name);
  const archived = new Set(
    (await listArchivedSlices(tx, { fromDay: day, toDay: day })).map(keyOf),
  );
  const clash = groups.find((group) => archived.has(keyOf(group)));
  if (clash !== undefined) {
    // Writing its file would overwrite the archive the catalogue vouches for.
    throw new StorageError(
      "archive",
      `Cannot compress ${day}: ${clash.symbol}@${clash.exchange} is both in ${name} and in the archive`,
    );
  }
  let bytes = 0;
  for (const group of groups) {
    const ticks = await queryTicks(
      tx,
      `SELECT ${TICK_LINE} AS line FROM ${table} WHERE symbol = $1 AND exchange = $2
        ORDER BY ts_event, exchange COLLATE "C", trade_id COLLATE "C"`,
      [group.symbol, group.exchange],
    );
    const slice = await writeArchiveSlice(root, ticks);
    written.push(slice.path);
    // Verify before anything is dropped: the file must give back exactly these rows.
    const back = await readArchivedSlice(root, slice);
    if (
      BigInt(ticks.length) !== group.rows || back.length !== ticks.length ||
      checksumTicks(ticks) !== slice.checksum
    ) {
      throw new StorageError("archive", `Archive ${slice.path} does not match ${name}`);
    }
    const { bytes: sliceBytes, ...entry } = slice;
    await addArchivedSlice(tx, entry);
    bytes += sliceBytes;
  }
  await tx.exec(`SET LOCAL lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
  await tx.exec(`DROP TABLE ${table}`);
  return { day, slices: groups.length, rows: sumRows(groups), bytes };
}

async function groupsOf(db: Queryable, name: string): Promise<Group[]> {
  const { rows } = await db.query<Group>(
    `SELECT symbol, exchange, count(*)::int8 AS rows FROM ${quoteIdent(name)}
      GROUP BY symbol, exchange ORDER BY symbol COLLATE "C", exchange COLLATE "C"`,
  );
  return rows;
}

function sumRows(groups: readonly Group[]): number {
  return groups.reduce((sum, group) => sum + Number(group.rows), 0);
}

function keyOf(key: { symbol: string; exchange: string }): string {
  return `${key.symbol}\t${key.exchange}`;
}
