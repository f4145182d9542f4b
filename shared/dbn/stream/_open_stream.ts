/**
 * The start of a read: picks plain DBN, Zstandard or legacy DBZ from the first bytes, reads the
 * metadata header (unless the input is a fragment), and hands back the record bytes still to come.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import type { DbnVersion } from "../constants.ts";
import type { Metadata } from "../metadata.ts";
import { decodeMetadata } from "../metadata_codec.ts";
import type { ByteSource } from "./_byte_source.ts";
import { ChunkQueue } from "./_chunk_queue.ts";
import { dbzToDbnMetadata, isDbzStart } from "./_dbz.ts";
import { expectedLength } from "./_record_framer.ts";
import { readU32 } from "./_zstd_frame_scanner.ts";
import { DBN_STREAM_ERROR } from "./errors.ts";
import { decompressZstd, isZstd } from "./zstd.ts";

/** How the input was stored. */
export type DbnCompression = "none" | "zstd" | "dbz";

/** What the caller knows about a fragment (records without metadata). */
export interface FragmentOptions {
  /** DBN version of the records; inferred from the name or the first record when omitted. */
  version?: DbnVersion;
  /** Records carry an 8-byte `ts_out` (default false). */
  tsOut?: boolean;
}

/** An input positioned at its first record. */
export interface OpenedStream {
  metadata: Metadata | undefined;
  version: DbnVersion;
  tsOut: boolean;
  compression: DbnCompression;
  /** Decompressed offset of the first record (the metadata's size; 0 for a fragment). */
  recordsOffset: number;
  records: AsyncIterable<Uint8Array>;
}

/** Default cap on the metadata length: a corrupt length must not make the reader buffer gigabytes. */
export const DEFAULT_MAX_METADATA_BYTES = 64 * 1024 * 1024;

/** Reads the head of `source`; throws a DataError (the caller closes the source). */
export async function openStream(
  source: ByteSource,
  options: { label: string; fragment: FragmentOptions | undefined; maxMetadataBytes: number },
): Promise<OpenedStream> {
  const { label, fragment } = options;
  const raw = new ChunkQueue(source.chunks);
  await raw.fill(12);
  const head = raw.peek(12);
  let compression: DbnCompression = "none";
  let dbzMetadata: Uint8Array | undefined;
  if (isDbzStart(head)) {
    compression = "dbz";
    const size = readU32(head, 4);
    if (size > options.maxMetadataBytes || !(await raw.fill(8 + size))) {
      throw new DataError(
        DBN_STREAM_ERROR.badDbz,
        `DBZ header frame of ${size} bytes runs past the end of the input or the size limit`,
        { source: label, offset: 4 },
      );
    }
    dbzMetadata = dbzToDbnMetadata(raw.take(8 + size).subarray(8), label);
  } else if (isZstd(head)) {
    compression = "zstd";
  }
  const decompressed = compression === "none"
    ? raw.rest()
    : decompressZstd(raw.rest(), { source: label });
  const queue = new ChunkQueue(decompressed);

  if (fragment !== undefined && dbzMetadata === undefined) {
    const tsOut = fragment.tsOut ?? false;
    const version = fragment.version ?? await inferFragmentVersion(queue, tsOut);
    return {
      metadata: undefined,
      version,
      tsOut,
      compression,
      recordsOffset: 0,
      records: queue.rest(),
    };
  }

  let metadataBytes: Uint8Array;
  if (dbzMetadata !== undefined) {
    metadataBytes = dbzMetadata;
  } else {
    metadataBytes = await readMetadataBytes(queue, label, options.maxMetadataBytes);
  }
  const { metadata, byteLength } = decodeMetadata(metadataBytes, { source: label });
  return {
    metadata,
    version: metadata.version,
    tsOut: metadata.tsOut,
    compression,
    recordsOffset: byteLength,
    records: queue.rest(),
  };
}

/** Reads the prelude and the `length` bytes it announces, checking magic, version and length. */
async function readMetadataBytes(
  queue: ChunkQueue,
  label: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const fail = (code: string, message: string, offset: number): never => {
    throw new DataError(code, message, { source: label, offset });
  };
  const complete = await queue.fill(8);
  const prelude = queue.peek(8);
  const magicBytes = Math.min(3, prelude.length);
  if (prelude.subarray(0, magicBytes).some((b, i) => b !== "DBN".charCodeAt(i))) {
    const found = Array.from(prelude.subarray(0, 4), (b) => b.toString(16).padStart(2, "0"));
    fail(
      DBN_STREAM_ERROR.badMagic,
      `Expected "DBN", a zstd frame or DBZ at the start, found bytes ${found.join(" ")}`,
      0,
    );
  }
  if (!complete) {
    fail(
      DBN_STREAM_ERROR.truncatedMetadata,
      `Input ends after ${prelude.length} bytes, inside the 8-byte metadata prelude`,
      prelude.length,
    );
  }
  const version = prelude[3]!;
  if (version < 1 || version > 3) {
    fail(
      DBN_STREAM_ERROR.unsupportedVersion,
      version === 0
        ? "DBN version 0 (legacy DBZ) is only read from a DBZ file"
        : `DBN version ${version} is not supported (expected 1, 2 or 3)`,
      3,
    );
  }
  const length = readU32(prelude, 4);
  if (length < 100 || length > maxBytes) {
    fail(
      DBN_STREAM_ERROR.badMetadataLength,
      `Metadata length ${length} is outside 100..${maxBytes}`,
      4,
    );
  }
  if (!(await queue.fill(8 + length))) {
    fail(
      DBN_STREAM_ERROR.truncatedMetadata,
      `Input ends after ${queue.buffered} bytes, inside the ${8 + length}-byte metadata`,
      queue.buffered,
    );
  }
  return queue.take(8 + length);
}

/**
 * A fragment's version from its first record: the five record types that changed size between
 * versions tell it (DBN.md section 8.3); any other record reads the same in every version, so 3.
 */
async function inferFragmentVersion(queue: ChunkQueue, tsOut: boolean): Promise<DbnVersion> {
  if (!(await queue.fill(2))) return 3;
  const [words, rtype] = queue.peek(2);
  for (const version of [3, 2, 1] as const) {
    if (expectedLength(rtype!, version, tsOut) === words! * 4) return version;
  }
  return 3;
}
