/** A bounded FIFO of ticks waiting for L2: when full, a push drops the oldest. Private. */
import type { CachedTick } from "./types.ts";

/** Ring buffer of pending ticks with a fixed capacity. */
export class PendingQueue {
  readonly capacity: number;
  readonly #items: (CachedTick | undefined)[];
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create a pending queue of ${capacity}: not a positive integer`);
    }
    this.capacity = capacity;
    this.#items = new Array<CachedTick | undefined>(capacity);
  }

  /** Ticks waiting. */
  get length(): number {
    return this.#length;
  }

  /** Appends a tick; returns true when the oldest was dropped to make room. */
  push(tick: CachedTick): boolean {
    const tail = (this.#head + this.#length) % this.capacity;
    this.#items[tail] = tick;
    if (this.#length < this.capacity) {
      this.#length++;
      return false;
    }
    this.#head = (this.#head + 1) % this.capacity;
    return true;
  }

  /** Removes and returns up to `max` oldest ticks, oldest first. */
  take(max: number): CachedTick[] {
    const count = Math.min(max, this.#length);
    const out = new Array<CachedTick>(count);
    for (let i = 0; i < count; i++) {
      const at = (this.#head + i) % this.capacity;
      out[i] = this.#items[at]!;
      this.#items[at] = undefined;
    }
    this.#head = (this.#head + count) % this.capacity;
    this.#length -= count;
    return out;
  }
}
