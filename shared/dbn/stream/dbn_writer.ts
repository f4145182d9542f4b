/**
 * Streaming DBN writer: metadata first (unless writing a fragment), then records encoded into
 * a buffer and flushed in large writes, optionally through one Zstandard frame (checksum on, as
 * the reference encoder writes it).
 * @module
 */
import type { DbnVersion } from "../constants.ts";
import type { Metadata } from "../metadata.ts";
import { encodeMetadata } from "../metadata_codec.ts";
import { encodedRecordSize, encodeRecord } from "../record_codec.ts";
import type { DbnRecord } from "../records.ts";
import { type ByteSink, type DbnTarget, openByteSink } from "./_byte_sink.ts";
import { checkRecordBytes } from "./_record_framer.ts";
import { createZstdCompressor, type ZstdCompressor } from "./zstd.ts";

export type { DbnTarget, WriterLike } from "./_byte_sink.ts";

/** Options for {@linkcode createDbnWriter}. */
export interface CreateDbnWriterOptions {
  /** The header to write first; omit it to write a fragment (records only). */
  metadata?: Metadata;
  /** Layout of a fragment's records (default: version 3, no `ts_out`); ignored with metadata. */
  fragment?: { version: DbnVersion; tsOut?: boolean };
  /** Zstandard-compress the output (default: true when the target is a path ending in ".zst"). */
  compress?: boolean;
  /** zstd level (default 3). */
  compressionLevel?: number;
  /** Bytes buffered before a write to the target (default 64 KiB). */
  bufferBytes?: number;
  /** Label for error messages (default: the path, "stdout", "stream" or "writer"). */
  source?: string;
}

const DEFAULT_BUFFER_BYTES = 64 * 1024;

/** Opens `target` and returns a writer that has already buffered the metadata. */
export async function createDbnWriter(
  target: DbnTarget,
  options: CreateDbnWriterOptions = {},
): Promise<DbnWriter> {
  const bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER_BYTES;
  if (!Number.isInteger(bufferBytes) || bufferBytes < 1) {
    throw new RangeError(`Option bufferBytes must be a positive integer, got ${bufferBytes}`);
  }
  // Encode before opening so that bad metadata leaves no file behind.
  const header = options.metadata === undefined ? undefined : encodeMetadata(options.metadata);
  const sink = await openByteSink(target, options.source);
  const compress = options.compress ?? (sink.path?.endsWith(".zst") ?? false);
  const compressor = compress
    ? createZstdCompressor({ level: options.compressionLevel ?? 3 })
    : undefined;
  return new DbnWriter(sink, compressor, {
    version: options.metadata?.version ?? options.fragment?.version ?? 3,
    tsOut: options.metadata?.tsOut ?? options.fragment?.tsOut ?? false,
    bufferBytes,
    header,
  });
}

/** Writes DBN records to one target; call `close()` to flush and finish the file. */
export class DbnWriter implements AsyncDisposable {
  /** DBN version of the records written. */
  readonly version: DbnVersion;
  /** Records carry a trailing `ts_out`. */
  readonly tsOut: boolean;
  readonly source: string;
  #sink: ByteSink;
  #compressor: ZstdCompressor | undefined;
  #bufferBytes: number;
  #buffer: Uint8Array;
  #used = 0;
  #written = 0;
  #closed = false;

  /** Use {@linkcode createDbnWriter}. */
  constructor(
    sink: ByteSink,
    compressor: ZstdCompressor | undefined,
    options: { version: DbnVersion; tsOut: boolean; bufferBytes: number; header?: Uint8Array },
  ) {
    this.#sink = sink;
    this.#compressor = compressor;
    this.version = options.version;
    this.tsOut = options.tsOut;
    this.source = sink.label;
    this.#bufferBytes = options.bufferBytes;
    const header = options.header ?? new Uint8Array(0);
    this.#buffer = new Uint8Array(Math.max(options.bufferBytes, header.length));
    this.#buffer.set(header);
    this.#used = header.length;
    this.#written = header.length;
  }

  /** Uncompressed bytes accepted so far (metadata included). */
  get bytesWritten(): number {
    return this.#written;
  }

  /** Encodes and buffers one record or several, in this writer's version and `ts_out` setting. */
  async write(records: DbnRecord | readonly DbnRecord[]): Promise<void> {
    this.#checkOpen();
    const list = Array.isArray(records) ? records : [records as DbnRecord];
    const context = { version: this.version, tsOut: this.tsOut, source: this.source };
    for (const record of list) {
      const size = encodedRecordSize(record, context);
      if (this.#buffer.length - this.#used < size) await this.#flush(size);
      this.#used += encodeRecord(record, context, { bytes: this.#buffer, offset: this.#used });
      this.#written += size;
    }
  }

  /** Buffers already-encoded records after checking that they are whole and valid. */
  async writeBytes(recordBytes: Uint8Array): Promise<void> {
    this.#checkOpen();
    checkRecordBytes(recordBytes, {
      version: this.version,
      tsOut: this.tsOut,
      source: this.source,
    });
    const bytes = recordBytes;
    if (bytes.length >= this.#bufferBytes) {
      await this.#flush(0);
      await this.#emit(bytes.slice());
    } else {
      if (this.#buffer.length - this.#used < bytes.length) await this.#flush(bytes.length);
      this.#buffer.set(bytes, this.#used);
      this.#used += bytes.length;
    }
    this.#written += bytes.length;
  }

  /** Flushes, finishes the zstd frame and closes what the writer opened; the target is released even on error. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#flush(0);
      if (this.#compressor !== undefined) {
        for (const chunk of await this.#compressor.end()) await this.#sink.write(chunk);
      }
    } catch (e) {
      this.#compressor?.destroy();
      await this.#sink.abort(e);
      throw e;
    }
    await this.#sink.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new TypeError(`Cannot write to "${this.source}": the writer is closed`);
  }

  /** Hands the buffered bytes on and starts a fresh buffer with room for `need` bytes. */
  async #flush(need: number): Promise<void> {
    if (this.#used > 0) {
      const full = this.#buffer.subarray(0, this.#used);
      this.#buffer = new Uint8Array(Math.max(this.#bufferBytes, need));
      this.#used = 0;
      await this.#emit(full);
    } else if (this.#buffer.length < need) {
      this.#buffer = new Uint8Array(need);
    }
  }

  async #emit(bytes: Uint8Array): Promise<void> {
    if (this.#compressor === undefined) return this.#sink.write(bytes);
    for (const chunk of await this.#compressor.write(bytes)) await this.#sink.write(chunk);
  }
}
