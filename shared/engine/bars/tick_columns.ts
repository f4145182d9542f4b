/**
 * Trade columns owned in the core's memory: the realtime path's one-tick chunk and the copy of a
 * chunk that lives outside the core. Views are re-taken on every access, so a growth of the
 * core's memory never leaves a detached view behind.
 * @module
 */
import { CoreBuffer, coreMemoryBuffer, inCoreMemory } from "@core/mod.ts";
import type { TickChunk } from "../types.ts";

/** Core pointers of a chunk's columns. */
export interface ChunkPointers {
  ts: number;
  price: number;
  size: number;
  side: number;
}

/** Columns for up to `capacity` trades in the core's memory. */
export class CoreTickColumns implements TickChunk, Disposable {
  readonly capacity: number;
  length = 0;
  readonly #ts: CoreBuffer;
  readonly #price: CoreBuffer;
  readonly #size: CoreBuffer;
  readonly #side: CoreBuffer;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Tick column capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#ts = new CoreBuffer(capacity * 8);
    this.#price = new CoreBuffer(capacity * 8);
    this.#size = new CoreBuffer(capacity * 4);
    this.#side = new CoreBuffer(capacity);
  }

  get tsEvent(): BigUint64Array {
    return new BigUint64Array(coreMemoryBuffer(), this.#ts.ptr, this.capacity);
  }

  get price(): BigInt64Array {
    return new BigInt64Array(coreMemoryBuffer(), this.#price.ptr, this.capacity);
  }

  get size(): Uint32Array {
    return new Uint32Array(coreMemoryBuffer(), this.#size.ptr, this.capacity);
  }

  get side(): Uint8Array {
    return new Uint8Array(coreMemoryBuffer(), this.#side.ptr, this.capacity);
  }

  /** Pointers of the columns. */
  pointers(): ChunkPointers {
    return { ts: this.#ts.ptr, price: this.#price.ptr, size: this.#size.ptr, side: this.#side.ptr };
  }

  /** Makes the columns hold exactly one trade. */
  setOne(tsEvent: bigint, price: bigint, size: number, side: number): void {
    this.tsEvent[0] = tsEvent;
    this.price[0] = price;
    this.size[0] = size;
    this.side[0] = side;
    this.length = 1;
  }

  /** Copies rows [0, chunk.length) of `chunk` (capacity permitting). */
  copyFrom(chunk: TickChunk): void {
    if (chunk.length > this.capacity) {
      throw new RangeError(`Chunk of ${chunk.length} rows exceeds capacity ${this.capacity}`);
    }
    const n = chunk.length;
    this.tsEvent.set(chunk.tsEvent.subarray(0, n));
    this.price.set(chunk.price.subarray(0, n));
    this.size.set(chunk.size.subarray(0, n));
    this.side.set(chunk.side.subarray(0, n));
    this.length = n;
  }

  free(): void {
    this.#ts.free();
    this.#price.free();
    this.#size.free();
    this.#side.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** The core pointers of a chunk whose columns all live in the core's memory, else undefined. */
export function corePointers(chunk: TickChunk): ChunkPointers | undefined {
  if (chunk instanceof CoreTickColumns) return chunk.pointers();
  const columns = [chunk.tsEvent, chunk.price, chunk.size, chunk.side];
  if (!columns.every((c) => inCoreMemory(c))) return undefined;
  return {
    ts: chunk.tsEvent.byteOffset,
    price: chunk.price.byteOffset,
    size: chunk.size.byteOffset,
    side: chunk.side.byteOffset,
  };
}
