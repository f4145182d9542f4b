/** Day partitions of tick_data (tick_data_pYYYYMMDD), created on demand. */
import type { Queryable } from "../store.ts";
import { dayOfNs, dayStartNs, NS_PER_DAY } from "./tick.ts";

/** `2026-11-21` -> `tick_data_p20261121`. */
export function partitionName(day: string): string {
  dayStartNs(day); // validates
  return `tick_data_p${day.replaceAll("-", "")}`;
}

/** One existing day partition. */
export interface DayPartition {
  name: string;
  day: string;
}

const known = new WeakMap<object, Set<string>>();

/**
 * Creates the partitions for `days` that do not exist yet; returns the days it created.
 * `cacheKey` (the store) remembers days already seen so the hot path costs no round trip.
 * Safe when several processes race to create the same day.
 */
export async function ensureDayPartitions(
  db: Queryable,
  days: Iterable<string>,
  cacheKey: object = db,
): Promise<string[]> {
  let seen = known.get(cacheKey);
  if (seen === undefined) known.set(cacheKey, seen = new Set());
  const created: string[] = [];
  for (const day of days) {
    if (seen.has(day)) continue;
    const name = partitionName(day);
    const from = dayStartNs(day);
    const exists = await db.query("SELECT 1 FROM pg_class WHERE relname = $1", [name]);
    if (exists.rows.length === 0) {
      try {
        await db.exec(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF tick_data FOR VALUES FROM (${from}) TO (${
            from + NS_PER_DAY
          })`,
        );
        created.push(day);
      } catch (error) {
        // Another process created it between our check and our CREATE: fine.
        const again = await db.query("SELECT 1 FROM pg_class WHERE relname = $1", [name]);
        if (again.rows.length === 0) throw error;
      }
    }
    seen.add(day);
  }
  return created;
}

/** Forgets the cached days of `cacheKey` (after partitions were dropped). */
export function forgetDayPartitions(cacheKey: object, days?: Iterable<string>): void {
  const seen = known.get(cacheKey);
  if (seen === undefined) return;
  if (days === undefined) seen.clear();
  else for (const day of days) seen.delete(day);
}

/** The distinct UTC days of a list of ns timestamps. */
export function daysOf(timestamps: Iterable<bigint>): Set<string> {
  const days = new Set<string>();
  let lastDayStart = -1n;
  for (const ts of timestamps) {
    if (lastDayStart >= 0n && ts >= lastDayStart && ts < lastDayStart + NS_PER_DAY) continue;
    const day = dayOfNs(ts);
    days.add(day);
    lastDayStart = dayStartNs(day);
  }
  return days;
}

/** Every day partition of tick_data, oldest first. */
export async function listDayPartitions(db: Queryable): Promise<DayPartition[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'tick_data' ORDER BY c.relname`,
  );
  return rows.flatMap(({ name }) => {
    const m = /^tick_data_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    return m === null ? [] : [{ name, day: `${m[1]}-${m[2]}-${m[3]}` }];
  });
}
