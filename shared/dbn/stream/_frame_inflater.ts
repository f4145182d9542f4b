/**
 * One `node:zlib` Zstandard decompressor for one frame, driven in paused mode so that its output
 * is pulled chunk by chunk: zlib stops inflating while its readable buffer is full, which bounds
 * the memory a highly compressible (or hostile) frame can take.
 * @module
 */
import { createZstdDecompress, type ZstdDecompress } from "node:zlib";

/** A frame's decompressor: `write` and `end` yield the output as it is produced. */
export class FrameInflater {
  #stream: ZstdDecompress;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  /** An event arrived while nobody waited: the next wait returns at once (no lost wake-up). */
  #signalled = false;

  constructor() {
    this.#stream = createZstdDecompress();
    this.#stream.on("readable", () => this.#pulse());
    this.#stream.on("error", (e: Error) => {
      this.#error ??= e;
      this.#pulse();
    });
  }

  /** Feeds compressed bytes; yields every output chunk they produce. */
  write(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
    return this.#drive((done) => this.#stream.write(bytes, done));
  }

  /** Ends the frame; yields the remaining output. */
  end(): AsyncGenerator<Uint8Array> {
    return this.#drive((done) => this.#stream.end(done));
  }

  /** Releases the decompressor (safe to call more than once). */
  destroy(): void {
    if (!this.#stream.destroyed) this.#stream.destroy();
  }

  async *#drive(start: (done: (e?: Error | null) => void) => void): AsyncGenerator<Uint8Array> {
    let finished = false;
    start((e) => {
      if (e) this.#error ??= e;
      finished = true;
      this.#pulse();
    });
    while (true) {
      if (this.#error !== undefined) throw this.#error;
      const chunk: Uint8Array | null = this.#stream.read();
      if (chunk !== null) {
        // A plain view, not a Buffer: consumers compare and slice Uint8Arrays.
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        continue;
      }
      if (finished) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      if (this.#signalled) {
        this.#signalled = false;
        continue;
      }
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
  }

  #pulse(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    if (wake === undefined) this.#signalled = true;
    else wake();
  }
}
