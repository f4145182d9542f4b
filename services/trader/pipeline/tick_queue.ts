/**
 * The bounded queue between collection (the IPC poll loop) and processing: a fixed ring of
 * references. When it is full the collector stops reading (the shared-memory ring keeps the
 * records, and a reader that falls a whole ring behind counts what it lost), so memory stays bounded.
 * @module
 */

/** A fixed-capacity FIFO. */
export class BoundedQueue<T> {
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  #head = 0;
  #length = 0;
  #highWater = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Invalid queue capacity ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Array(capacity);
  }

  /** Items waiting. */
  get length(): number {
    return this.#length;
  }

  /** The most items ever waiting at once. */
  get highWater(): number {
    return this.#highWater;
  }

  /** How full, 0-100. */
  get utilisationPct(): number {
    return (this.#length / this.capacity) * 100;
  }

  /** Appends; false (and nothing stored) when full. */
  push(item: T): boolean {
    if (this.#length === this.capacity) return false;
    this.#items[(this.#head + this.#length) % this.capacity] = item;
    this.#length++;
    if (this.#length > this.#highWater) this.#highWater = this.#length;
    return true;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#length--;
    return item;
  }
}
