/**
 * Streaming DBN reader: plain, Zstandard-compressed (any number of frames) or legacy DBZ input,
 * from a path, stdin, bytes or a byte stream, read chunk by chunk. Records come out one by one
 * (`for await`) or as batches of raw records for the WASM column decoder.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import type { DbnVersion } from "../constants.ts";
import type { Metadata } from "../metadata.ts";
import { upgradeMetadata } from "../metadata.ts";
import { decodeRecord } from "../record_codec.ts";
import type { DbnRecord } from "../records.ts";
import { upgradeRecord } from "../upgrade.ts";
import { upgradeBatch } from "./_batch_upgrade.ts";
import {
  type ByteSource,
  type DbnInput,
  DEFAULT_CHUNK_BYTES,
  openByteSource,
} from "./_byte_source.ts";
import {
  type DbnCompression,
  DEFAULT_MAX_METADATA_BYTES,
  type FragmentOptions,
  type OpenedStream,
  openStream,
} from "./_open_stream.ts";
import { frameRecords } from "./_record_framer.ts";
import type { RecordBatch } from "./record_batch.ts";

export type { DbnInput } from "./_byte_source.ts";
export type { DbnCompression, FragmentOptions } from "./_open_stream.ts";

/** Options for {@linkcode openDbn}. */
export interface OpenDbnOptions {
  /**
   * The input is a fragment (records, no metadata). Inferred for a path whose name contains
   * ".frag", with the version from a ".v1." / ".v2." / ".v3." in the name, else the first record.
   */
  fragment?: FragmentOptions;
  /** Convert metadata and records to the DBN v3 layout (default false: as stored). */
  upgrade?: boolean;
  /** Label for error messages (default: the path, "stdin", "bytes" or "stream"). */
  source?: string;
  /** Hand out a batch once this many record bytes are buffered (default 64 KiB). */
  batchBytes?: number;
  /** Read size for files and cut size for other inputs (default 64 KiB). */
  chunkBytes?: number;
  /** Largest metadata header accepted (default 64 MiB). */
  maxMetadataBytes?: number;
}

/** Default batch size of {@linkcode DbnReader.batches}. */
export const DEFAULT_BATCH_BYTES = 64 * 1024;

/**
 * Opens a DBN input and reads its metadata; the records follow through `for await`,
 * `records()` or `batches()` (once). Bad input throws a DataError naming the source and offset.
 */
export async function openDbn(input: DbnInput, options: OpenDbnOptions = {}): Promise<DbnReader> {
  const chunkBytes = positive(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, "chunkBytes");
  const batchBytes = positive(options.batchBytes ?? DEFAULT_BATCH_BYTES, "batchBytes");
  const source = await openByteSource(input, { chunkBytes, label: options.source });
  try {
    const fragment = options.fragment ?? fragmentFromPath(source.path);
    const opened = await openStream(source, {
      label: source.label,
      fragment,
      maxMetadataBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES,
    });
    return new DbnReader(source, opened, { upgrade: options.upgrade ?? false, batchBytes });
  } catch (e) {
    await source.close();
    throw e;
  }
}

/** Reads the records of one opened DBN input; closes it when done, on error or on `break`. */
export class DbnReader implements AsyncIterable<DbnRecord>, AsyncDisposable {
  /** The label errors carry. */
  readonly source: string;
  /** The metadata header (upgraded when asked); undefined for a fragment. */
  readonly metadata: Metadata | undefined;
  /** DBN version of the records as handed out (3 when upgrading). */
  readonly version: DbnVersion;
  /** DBN version of the records as stored. */
  readonly inputVersion: DbnVersion;
  /** Records end with an 8-byte `ts_out`. */
  readonly tsOut: boolean;
  /** How the input was stored. */
  readonly compression: DbnCompression;
  /** Byte offset of the first record in the (decompressed) stream: the metadata's length. */
  readonly recordsOffset: number;
  #byteSource: ByteSource;
  #opened: OpenedStream;
  #upgrade: boolean;
  #batchBytes: number;
  #started = false;
  #closed = false;

  /** Use {@linkcode openDbn}. */
  constructor(
    byteSource: ByteSource,
    opened: OpenedStream,
    options: { upgrade: boolean; batchBytes: number },
  ) {
    this.#byteSource = byteSource;
    this.#opened = opened;
    this.#upgrade = options.upgrade && opened.version < 3;
    this.#batchBytes = options.batchBytes;
    this.source = byteSource.label;
    this.inputVersion = opened.version;
    this.version = this.#upgrade ? 3 : opened.version;
    this.tsOut = opened.tsOut;
    this.compression = opened.compression;
    this.recordsOffset = opened.recordsOffset;
    this.metadata = opened.metadata !== undefined && this.#upgrade
      ? upgradeMetadata(opened.metadata, 3)
      : opened.metadata;
  }

  /** Yields every record, decoded (and upgraded to v3 when asked). */
  async *records(): AsyncGenerator<DbnRecord> {
    const context = { version: this.inputVersion, tsOut: this.tsOut, source: this.source };
    for await (const batch of this.#rawBatches()) {
      for (let i = 0; i < batch.count; i++) {
        const offset = batch.offsets[i]!;
        let record: DbnRecord;
        try {
          record = decodeRecord(batch.bytes, offset, context);
        } catch (e) {
          throw rebase(e, batch.streamOffset, this.source);
        }
        yield this.#upgrade ? upgradeRecord(record, this.inputVersion) : record;
      }
    }
  }

  /** Yields batches of whole raw records (in the v3 layout when upgrading). */
  async *batches(): AsyncGenerator<RecordBatch> {
    for await (const raw of this.#rawBatches()) {
      if (!this.#upgrade) {
        yield raw;
        continue;
      }
      const { batch, error } = upgradeBatch(raw, this.source);
      if (batch !== undefined) yield batch;
      if (error !== undefined) throw error;
    }
  }

  /** Same as `records()`. */
  [Symbol.asyncIterator](): AsyncGenerator<DbnRecord> {
    return this.records();
  }

  /** Releases the input (file handle, stream); safe to call at any time and more than once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#byteSource.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async *#rawBatches(): AsyncGenerator<RecordBatch> {
    if (this.#started || this.#closed) {
      throw new TypeError(`Cannot read "${this.source}" twice: a DbnReader streams its input once`);
    }
    this.#started = true;
    try {
      yield* frameRecords(this.#opened.records, {
        version: this.inputVersion,
        tsOut: this.tsOut,
        source: this.source,
        startOffset: this.#opened.recordsOffset,
        batchBytes: this.#batchBytes,
      });
    } finally {
      await this.close();
    }
  }
}

/** A fragment setting from a file name such as "x.v1.dbn.frag.zst"; undefined for other names. */
export function fragmentFromPath(path: string | undefined): FragmentOptions | undefined {
  if (path === undefined) return undefined;
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  if (!/\.frag(\.|$)/.test(name)) return undefined;
  const version = /\.v([123])\./.exec(name)?.[1];
  return version === undefined ? {} : { version: Number(version) as DbnVersion };
}

/** Moves a codec DataError's offset (relative to a batch) into the stream. */
function rebase(e: unknown, streamOffset: number, source: string): unknown {
  if (!(e instanceof DataError) || e.offset === undefined) return e;
  const prefix = `${e.source === undefined ? "" : `${e.source} at `}byte ${e.offset}: `;
  const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return new DataError(e.code, message, { source, offset: streamOffset + e.offset, cause: e });
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
