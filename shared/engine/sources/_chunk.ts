// Chunks over ColumnBatch rows, the u32-word copies that compact them without a BigInt per row,
// and the binary search of a sorted ts column. Shared by every tick source of this folder.
import { type ColumnBatch, firstDecrease } from "@core/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import type { TickChunk } from "../types.ts";

/** The batch kinds whose rows carry trade fields (ts, price, size, side). */
export type TradeBatch = ColumnBatch<"trades"> | ColumnBatch<"mbp1">;

/** The columns a chunk exposes. */
interface Views {
  tsEvent: BigUint64Array;
  price: BigInt64Array;
  size: Uint32Array;
  side: Uint8Array;
}

/**
 * A TickChunk over rows [start, end) of a batch. The views are taken from the batch on access
 * (and re-taken when the core's memory grew and detached the old ones), so a consumer that reads
 * them again after allocating in the core still sees live memory.
 */
export class BatchChunk implements TickChunk {
  readonly length: number;
  readonly #batch: TradeBatch;
  readonly #start: number;
  #of: object | undefined;
  #views: Views | undefined;

  constructor(batch: TradeBatch, start: number, end: number) {
    this.#batch = batch;
    this.#start = start;
    this.length = end - start;
  }

  get tsEvent(): BigUint64Array {
    return this.#live().tsEvent;
  }
  get price(): BigInt64Array {
    return this.#live().price;
  }
  get size(): Uint32Array {
    return this.#live().size;
  }
  get side(): Uint8Array {
    return this.#live().side;
  }

  #live(): Views {
    const columns = this.#batch.columns();
    if (this.#views === undefined || this.#of !== columns) {
      const start = this.#start;
      const end = start + this.length;
      this.#views = {
        tsEvent: columns.tsEvent.subarray(start, end),
        price: columns.price.subarray(start, end),
        size: columns.size.subarray(start, end),
        side: columns.side.subarray(start, end),
      };
      this.#of = columns;
    }
    return this.#views;
  }
}

/** A 64-bit column seen as little-endian u32 words (row i = words 2i, 2i+1). */
export function words(column: BigUint64Array | BigInt64Array): Uint32Array {
  return new Uint32Array(column.buffer, column.byteOffset, column.length * 2);
}

/** First index in [lo, hi) of a non-decreasing column whose value is >= `ts`. */
export function lowerBound(column: BigUint64Array, ts: bigint, lo = 0, hi = column.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (column[mid]! < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [start, end) of the rows of a non-decreasing column inside [from, to). */
export function timeWindow(
  column: BigUint64Array,
  from: bigint | undefined,
  to: bigint | undefined,
): [number, number] {
  const start = from === undefined ? 0 : lowerBound(column, from);
  const end = to === undefined ? column.length : lowerBound(column, to, start);
  return [start, end];
}

/**
 * Checks ts_event never decreases, within `ts` and from `last.ts` (the previous chunk's last
 * value, updated), in one pass of the WASM core.
 */
export function checkSorted(
  ts: BigUint64Array,
  last: { ts: bigint },
  where: (row: number) => { source: string; what: string },
): void {
  if (ts.length === 0) return;
  const row = firstDecrease(ts, last.ts);
  if (row >= 0) {
    const { source, what } = where(row);
    throw new DataError(
      "unsorted",
      `ts_event goes backwards at ${what}: ticks must be sorted by ts_event`,
      { source },
    );
  }
  last.ts = ts[ts.length - 1]!;
}
/**
 * Lets timers and signal handlers run between two chunks of a source that does no I/O (an engine
 * loop fed only by resolved promises would otherwise never see Ctrl-C).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
