/**
 * Storage sizes for `db stats`: tables, each day partition of tick_data (exact row counts) and
 * each archived slice (bytes of its files). Plain catalogue functions, so PGlite answers too.
 */
import { join } from "node:path";
import type { Queryable } from "../store.ts";
import { listDayPartitions } from "../ticks/partitions.ts";
import { listArchivedSlices, sidecarPath } from "./catalog.ts";

/** One day partition of tick_data. */
export interface PartitionStats {
  name: string;
  day: string;
  rows: number;
  bytes: number;
}

/** One table; tick_data counts all its partitions. */
export interface TableStats {
  name: string;
  bytes: number;
}

/** One archived slice; bytes of the DBN file plus its sidecar (0 when missing). */
export interface ArchiveStats {
  day: string;
  symbol: string;
  exchange: string;
  rows: number;
  bytes: number;
}

/** Everything {@linkcode storageStats} reports. */
export interface StorageStats {
  tables: TableStats[];
  partitions: PartitionStats[];
  archives: ArchiveStats[];
}

const TABLES = [
  "instruments",
  "symbols",
  "tick_data",
  "tick_archives",
  "live_strategy_log",
  "backfill_jobs",
] as const;

/** Sizes of the tables, the day partitions and the archived slices under `root`. */
export async function storageStats(
  db: Queryable,
  options: { root: string },
): Promise<StorageStats> {
  const partitionList = await listDayPartitions(db);
  const sizes = await relationSizes(db, [...TABLES, ...partitionList.map((p) => p.name)]);
  // One scan of tick_data counts every partition (tableoid names the partition of each row).
  const { rows: counted } = await db.query<{ name: string; rows: bigint }>(
    `SELECT c.relname AS name, t.rows
       FROM (SELECT tableoid, count(*)::int8 AS rows FROM tick_data GROUP BY tableoid) t
       JOIN pg_class c ON c.oid = t.tableoid`,
  );
  const counts = new Map(counted.map((row) => [row.name, Number(row.rows)]));
  const partitions = partitionList.map(({ name, day }) => ({
    name,
    day,
    rows: counts.get(name) ?? 0,
    bytes: sizes.get(name) ?? 0,
  }));
  const tickBytes = partitions.reduce((sum, p) => sum + p.bytes, sizes.get("tick_data") ?? 0);
  const tables = TABLES.map((name) => ({
    name,
    bytes: name === "tick_data" ? tickBytes : sizes.get(name) ?? 0,
  }));
  const archives: ArchiveStats[] = [];
  for (const slice of await listArchivedSlices(db)) {
    const path = join(options.root, slice.path);
    archives.push({
      day: slice.day,
      symbol: slice.symbol,
      exchange: slice.exchange,
      rows: slice.rowCount,
      bytes: await fileSize(path) + await fileSize(sidecarPath(path)),
    });
  }
  return { tables, partitions, archives };
}

/** pg_total_relation_size (heap, indexes, TOAST) of each named table in the current schema. */
async function relationSizes(
  db: Queryable,
  names: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ name: string; bytes: bigint }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::int8 AS bytes
       FROM pg_class c
      WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p')
        AND c.relnamespace = to_regnamespace(current_schema())`,
    [names],
  );
  return new Map(rows.map((row) => [row.name, Number(row.bytes)]));
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}
