/**
 * Legacy DBZ (DBN.md section 11): a skippable zstd frame whose payload is "DBZ" + version 1, a
 * fixed header and a zstd frame holding the DBN-v1 variable part; then zstd-compressed records in
 * the DBN v1 layout. The header is rewritten as the equivalent DBN v1 metadata so the one
 * metadata decoder reads both.
 * @module
 */
import { zstdDecompressSync } from "node:zlib";
import { DataError } from "@shared/domain/mod.ts";
import {
  FrameScanError,
  readU32,
  SKIPPABLE_MAGIC_MIN,
  ZstdFrameScanner,
} from "./_zstd_frame_scanner.ts";
import { DBN_STREAM_ERROR } from "./errors.ts";

/** Size of the DBZ fixed header inside the skippable frame (before the compressed variable part). */
const DBZ_FIXED_LEN = 96;
/** DBN v1 fixed part: dataset..reserved, the 100 bytes after the prelude. */
const DBN_FIXED_LEN = 100;
/** The variable part of a metadata header is small; a larger one is corrupt. */
const MAX_VARIABLE_LEN = 64 * 1024 * 1024;

/** True when a skippable frame's first payload bytes are the DBZ signature. */
export function isDbzPayload(payload: Uint8Array): boolean {
  return payload.length >= 4 && payload[0] === 0x44 && payload[1] === 0x42 && payload[2] === 0x5A;
}

/** True when `head` (at least 12 bytes) is the DBZ skippable frame at the start of a file. */
export function isDbzStart(head: Uint8Array): boolean {
  return head.length >= 12 && readU32(head, 0) === SKIPPABLE_MAGIC_MIN &&
    isDbzPayload(head.subarray(8));
}

/**
 * Converts the payload of a DBZ skippable frame into DBN v1 metadata bytes (prelude included);
 * throws a DataError (offsets in the file) when it is malformed.
 */
export function dbzToDbnMetadata(payload: Uint8Array, source: string): Uint8Array {
  // The payload starts after the 8-byte skippable-frame header.
  const fail = (message: string, at: number, cause?: unknown): never => {
    throw new DataError(DBN_STREAM_ERROR.badDbz, message, { source, offset: 8 + at, cause });
  };
  if (payload.length < DBZ_FIXED_LEN) fail(`DBZ header of ${payload.length} bytes is too short`, 0);
  if (payload[3] !== 1) fail(`DBZ version ${payload[3]} is not supported (expected 1)`, 3);
  const compressed = payload.subarray(DBZ_FIXED_LEN);
  const scanner = new ZstdFrameScanner();
  try {
    scanner.push(compressed);
    scanner.finish();
  } catch (e) {
    const at = e instanceof FrameScanError ? e.offset : 0;
    fail(`Bad zstd frame in the DBZ header: ${(e as Error).message}`, DBZ_FIXED_LEN + at, e);
  }
  if (scanner.frames !== 1) {
    fail(`DBZ header holds ${scanner.frames} zstd frames, expected 1`, DBZ_FIXED_LEN);
  }
  let variable: Uint8Array = new Uint8Array(0);
  try {
    variable = zstdDecompressSync(compressed, { maxOutputLength: MAX_VARIABLE_LEN });
  } catch (e) {
    fail(`Corrupt zstd frame in the DBZ header: ${(e as Error).message}`, DBZ_FIXED_LEN, e);
  }
  const length = DBN_FIXED_LEN + variable.length;
  const out = new Uint8Array(8 + length);
  const view = new DataView(out.buffer);
  out.set([0x44, 0x42, 0x4E, 1]);
  view.setUint32(4, length, true);
  // DBZ: dataset 4..20, schema 20, start 22, end 30, limit 38, record_count 46,
  // compression 54, stype_in 55, stype_out 56. DBN v1: the same fields from 8 up to
  // record_count (8..58), then stype_in 58, stype_out 59, ts_out 60 (DBZ has none).
  out.set(payload.subarray(4, 54), 8);
  out[58] = payload[55]!;
  out[59] = payload[56]!;
  out[60] = 0;
  out.set(variable, 8 + DBN_FIXED_LEN);
  return out;
}
