/**
 * Text output of the `dbn` command: lines gathered into ~64 KiB chunks, written to stdout or a
 * file, optionally as one Zstandard frame.
 * @module
 */
import { createZstdCompressor, type ZstdCompressor } from "@shared/dbn/stream/mod.ts";

const CHUNK_CHARS = 64 * 1024;
const encoder = new TextEncoder();

/** Writes whole buffers to a Deno writer (stdout or a file). */
async function writeAll(writer: { write(p: Uint8Array): Promise<number> }, bytes: Uint8Array) {
  for (let done = 0; done < bytes.length;) done += await writer.write(bytes.subarray(done));
}

/** Buffered text output; `close` flushes (and finishes the zstd frame). */
export class TextOutput {
  #parts: string[] = [];
  #chars = 0;
  readonly #writer: { write(p: Uint8Array): Promise<number> };
  readonly #file: Deno.FsFile | undefined;
  readonly #compressor: ZstdCompressor | undefined;

  private constructor(file: Deno.FsFile | undefined, compress: boolean) {
    this.#file = file;
    this.#writer = file ?? Deno.stdout;
    this.#compressor = compress ? createZstdCompressor() : undefined;
  }

  /** Opens stdout (path undefined or "-") or a new file (`force` to overwrite one). */
  static async open(path: string | undefined, options: { compress: boolean; force: boolean }) {
    if (path === undefined || path === "-") return new TextOutput(undefined, options.compress);
    const file = await Deno.open(path, {
      write: true,
      truncate: true,
      create: options.force,
      createNew: !options.force,
    });
    return new TextOutput(file, options.compress);
  }

  /** Appends text; flushes when the buffer is full. */
  async write(text: string): Promise<void> {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars >= CHUNK_CHARS) await this.flush();
  }

  /** Writes out what is buffered. */
  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const bytes = encoder.encode(this.#parts.join(""));
    this.#parts = [];
    this.#chars = 0;
    const out = this.#compressor ? await this.#compressor.write(bytes) : [bytes];
    for (const chunk of out) await writeAll(this.#writer, chunk);
  }

  /** Flushes, finishes compression and closes a file. */
  async close(): Promise<void> {
    try {
      await this.flush();
      if (this.#compressor) {
        for (const chunk of await this.#compressor.end()) await writeAll(this.#writer, chunk);
      }
    } finally {
      this.#file?.close();
    }
  }

  /** Closes without flushing, after a failure. */
  abort(): void {
    this.#compressor?.destroy();
    this.#file?.close();
  }
}
