/**
 * Whole-buffer helpers: decode or encode a complete uncompressed DBN stream (metadata + records)
 * or a fragment (records only) held in memory. Streaming lives in `stream/`.
 * @module
 */
import { RECORD_LENGTH_MULTIPLIER } from "./constants.ts";
import { decodeMetadata, encodeMetadata } from "./metadata_codec.ts";
import {
  decodeRecord,
  encodedRecordSize,
  encodeRecord,
  type RecordContext,
} from "./record_codec.ts";
import type { DbnRecord } from "./records.ts";
import { type DbnData, upgradeDbn } from "./upgrade.ts";

/** Options of {@linkcode decodeDbn}. */
export interface DecodeDbnOptions {
  /** Names the input in error messages. */
  source?: string;
  /** Upgrade metadata and records to DBN v3 (the reference decoder's default policy). */
  upgrade?: boolean;
}

/** Options of {@linkcode decodeRecords}. */
export interface DecodeRecordsOptions {
  /** First byte of the first record (default 0). */
  offset?: number;
  /** End of the records (default: the end of `bytes`). */
  end?: number;
}

/** Decodes consecutive records up to `end`; a record cut short at the end throws a DataError. */
export function decodeRecords(
  bytes: Uint8Array,
  context: RecordContext,
  options: DecodeRecordsOptions = {},
): DbnRecord[] {
  const end = options.end ?? bytes.length;
  const window = end === bytes.length ? bytes : bytes.subarray(0, end);
  const records: DbnRecord[] = [];
  let offset = options.offset ?? 0;
  while (offset < end) {
    records.push(decodeRecord(window, offset, context));
    offset += window[offset]! * RECORD_LENGTH_MULTIPLIER;
  }
  return records;
}

/** Decodes a complete uncompressed DBN stream held in memory. */
export function decodeDbn(bytes: Uint8Array, options: DecodeDbnOptions = {}): DbnData {
  const { metadata, byteLength } = decodeMetadata(bytes, { source: options.source });
  const context = { version: metadata.version, tsOut: metadata.tsOut, source: options.source };
  const records = decodeRecords(bytes, context, { offset: byteLength });
  const data = { metadata, records };
  return options.upgrade ? upgradeDbn(data) : data;
}

/** Encodes records back to back in the layout of `context.version`. */
export function encodeRecords(records: readonly DbnRecord[], context: RecordContext): Uint8Array {
  let size = 0;
  for (const record of records) size += encodedRecordSize(record, context);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const record of records) offset += encodeRecord(record, context, { bytes, offset });
  return bytes;
}

/** Encodes metadata and records as one uncompressed DBN stream in `metadata.version`'s layout. */
export function encodeDbn(data: DbnData): Uint8Array {
  const head = encodeMetadata(data.metadata);
  const context = { version: data.metadata.version, tsOut: data.metadata.tsOut };
  const body = encodeRecords(data.records, context);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}
