/**
 * Where a download stands: the index time of the last record durably handled, how many records
 * at exactly that time were handled, and the records handled in all. A resumed download asks
 * for [ts, end) and skips the first `skip` records at `ts`.
 * @module
 */

/** A durable point in a download's record stream. */
export interface Position {
  /** Index time (ts_recv, else ts_event) of the last record handled. */
  ts: bigint;
  /** Records at exactly `ts` handled. */
  skip: number;
  /** Records handled since the start of the range. */
  records: number;
}

/** True when the `n`-th record (1-based) at index time `ts` comes after `position`. */
export function isAfter(ts: bigint, n: number, position: Position | undefined): boolean {
  return position === undefined || ts > position.ts || (ts === position.ts && n > position.skip);
}

/** The earlier of two positions (undefined, nothing handled yet, is the earliest). */
export function earlier(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (a === undefined || b === undefined) return undefined;
  return a.ts < b.ts || (a.ts === b.ts && a.skip <= b.skip) ? a : b;
}

/** Numbers the records of one response: the n-th (1-based) record at its index time. */
export class RecordCounter {
  #ts = -1n;
  #n = 0;

  /** The number of the record at `ts` (records arrive sorted by index time). */
  next(ts: bigint): number {
    if (ts !== this.#ts) {
      this.#ts = ts;
      this.#n = 0;
    }
    return ++this.#n;
  }
}
