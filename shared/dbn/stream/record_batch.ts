/**
 * The unit the batch API hands out: whole records back to back in one buffer, ready for the
 * WASM column decoder.
 * @module
 */
import type { DbnVersion } from "../constants.ts";

/** Whole records of one stream, back to back; a record cut by a chunk boundary waits for the next batch. */
export interface RecordBatch {
  /** The records' bytes (exactly `count` whole records, nothing else). */
  readonly bytes: Uint8Array;
  /** Start of each record within `bytes`. */
  readonly offsets: Uint32Array;
  /** Number of records. */
  readonly count: number;
  /** Offset of `bytes[0]` in the decompressed stream (metadata included). */
  readonly streamOffset: number;
  /** DBN version of the record layouts in `bytes`. */
  readonly version: DbnVersion;
  /** True when every record ends with an 8-byte `ts_out`. */
  readonly tsOut: boolean;
}

/** Returns the rtype (header byte 1) of record `index` of a batch. */
export function batchRType(batch: RecordBatch, index: number): number {
  const offset = batch.offsets[index];
  if (offset === undefined) throw new RangeError(`Record index ${index} is out of range`);
  return batch.bytes[offset + 1]!;
}
