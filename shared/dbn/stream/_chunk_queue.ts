/**
 * A pull-based queue over an async iterable of chunks, for reading a few exact byte counts
 * (magic, prelude, metadata) before handing the rest of the stream on untouched.
 * @module
 */

/** Reads exact byte counts from a chunk stream, then gives back the rest. */
export class ChunkQueue {
  #iterator: AsyncIterator<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  #taken = 0;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#iterator = chunks[Symbol.asyncIterator]();
  }

  /** Bytes handed out by `take` so far (the stream offset of the next byte). */
  get offset(): number {
    return this.#taken;
  }

  /** Bytes buffered and not yet taken. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Buffers at least `n` bytes; false when the input ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.#buffered < n) {
      if (this.#ended) return false;
      const next = await this.#iterator.next();
      if (next.done) {
        this.#ended = true;
        return false;
      }
      if (next.value.length === 0) continue;
      this.#chunks.push(next.value);
      this.#buffered += next.value.length;
    }
    return true;
  }

  /** Returns the first `n` buffered bytes (at most what is buffered) without consuming them. */
  peek(n: number): Uint8Array {
    const count = Math.min(n, this.#buffered);
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= count) return first.subarray(0, count);
    const out = new Uint8Array(count);
    let filled = 0;
    for (const chunk of this.#chunks) {
      if (filled === count) break;
      const part = chunk.subarray(0, count - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Consumes and returns `n` buffered bytes (the caller has `fill`ed them). */
  take(n: number): Uint8Array {
    const out = this.peek(n);
    let left = out.length;
    while (left > 0) {
      const chunk = this.#chunks[0]!;
      if (chunk.length <= left) {
        this.#chunks.shift();
        left -= chunk.length;
      } else {
        this.#chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.#buffered -= out.length;
    this.#taken += out.length;
    return out;
  }

  /** The buffered bytes, then the rest of the input; use instead of `take` from then on. */
  async *rest(): AsyncGenerator<Uint8Array> {
    while (this.#chunks.length > 0) {
      const chunk = this.#chunks.shift()!;
      this.#buffered -= chunk.length;
      this.#taken += chunk.length;
      yield chunk;
    }
    if (this.#ended) return;
    while (true) {
      const next = await this.#iterator.next();
      if (next.done) return;
      this.#taken += next.value.length;
      yield next.value;
    }
  }

  /** Stops the underlying iterator early (runs its cleanup). */
  async close(): Promise<void> {
    if (!this.#ended) {
      this.#ended = true;
      await this.#iterator.return?.();
    }
  }
}
