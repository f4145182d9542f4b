/**
 * Decodes and encodes one DBN record by walking its layout table (DBN.md sections 3, 6 and 7).
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import {
  type DbnVersion,
  RECORD_HEADER_LEN,
  RECORD_LENGTH_MULTIPLIER,
  TS_OUT_LEN,
} from "./constants.ts";
import { recordLayout } from "./layouts.ts";
import type { RecordLayout } from "./layout.ts";
import type { DbnRecord } from "./records.ts";
import { readFields, viewOf, writeFields } from "./_field_codec.ts";

/** What a record's bytes mean: the stream's DBN version and whether records carry `ts_out`. */
export interface RecordContext {
  version: DbnVersion;
  tsOut: boolean;
  /** Names the input in error messages (a file name, "live", ...). */
  source?: string;
}

/** Where {@linkcode encodeRecord} writes when it is not to allocate. */
export interface RecordTarget {
  bytes: Uint8Array;
  offset: number;
}

/** Returns a record's byte length from its header (length byte x 4); undefined past the end. */
export function recordLengthAt(bytes: Uint8Array, offset: number): number | undefined {
  const words = bytes[offset];
  return words === undefined ? undefined : words * RECORD_LENGTH_MULTIPLIER;
}

/** Returns the layout a record at `offset` will be decoded with, validating its length. */
export function checkRecordAt(
  bytes: Uint8Array,
  offset: number,
  context: RecordContext,
): RecordLayout {
  const where = { source: context.source, offset };
  const left = bytes.length - offset;
  if (left < RECORD_HEADER_LEN) {
    throw new DataError(
      "dbn.truncated_record",
      `Record header needs ${RECORD_HEADER_LEN} bytes, only ${Math.max(left, 0)} left`,
      where,
    );
  }
  const length = bytes[offset]! * RECORD_LENGTH_MULTIPLIER;
  if (length < RECORD_HEADER_LEN) {
    throw new DataError(
      "dbn.bad_record_length",
      `Record length ${length} is shorter than the ${RECORD_HEADER_LEN}-byte header`,
      where,
    );
  }
  if (length > left) {
    throw new DataError(
      "dbn.truncated_record",
      `Record of ${length} bytes runs past the end of the input (${left} bytes left)`,
      where,
    );
  }
  const rtype = bytes[offset + 1]!;
  const layout = recordLayout(rtype, context.version);
  if (layout === undefined) {
    throw new DataError("dbn.unknown_rtype", `Unknown rtype ${hex(rtype)}`, where);
  }
  const needed = layout.size + (context.tsOut ? TS_OUT_LEN : 0);
  if (length < needed) {
    throw new DataError(
      "dbn.short_record",
      `Record length ${length} is shorter than the ${needed} bytes of a DBN v${context.version} ` +
        `${layout.name} (rtype ${hex(rtype)}${context.tsOut ? " with ts_out" : ""})`,
      where,
    );
  }
  return layout;
}

/**
 * Decodes the record at `offset`. A declared length longer than the layout is accepted (the extra
 * bytes are skipped; `ts_out` is then the last 8 bytes); anything malformed throws a DataError.
 */
export function decodeRecord(
  bytes: Uint8Array,
  offset: number,
  context: RecordContext,
): DbnRecord {
  const layout = checkRecordAt(bytes, offset, context);
  const view = viewOf(bytes);
  const out: Record<string, unknown> = {
    rtype: bytes[offset + 1],
    publisherId: view.getUint16(offset + 2, true),
    instrumentId: view.getUint32(offset + 4, true),
    tsEvent: view.getBigUint64(offset + 8, true),
  };
  readFields(view, bytes, offset, layout.fields, out);
  if (context.tsOut) {
    const length = bytes[offset]! * RECORD_LENGTH_MULTIPLIER;
    out.tsOut = view.getBigUint64(offset + length - TS_OUT_LEN, true);
  }
  return out as DbnRecord;
}

/** Returns the encoded size of a record: its layout in `context.version`, plus 8 with `ts_out`. */
export function encodedRecordSize(record: DbnRecord, context: RecordContext): number {
  return layoutOf(record, context).size + (context.tsOut ? TS_OUT_LEN : 0);
}

/**
 * Encodes a record in the layout of `context.version`: into a new array, or into `target`
 * (returning the bytes written). Reserved bytes are zeros, strings NUL-padded; a value that does
 * not fit throws a RangeError, a missing one a TypeError. With `context.tsOut` the record must
 * carry `tsOut`; without it `tsOut` is ignored.
 */
export function encodeRecord(record: DbnRecord, context: RecordContext): Uint8Array;
export function encodeRecord(
  record: DbnRecord,
  context: RecordContext,
  target: RecordTarget,
): number;
export function encodeRecord(
  record: DbnRecord,
  context: RecordContext,
  target?: RecordTarget,
): Uint8Array | number {
  const layout = layoutOf(record, context);
  const size = layout.size + (context.tsOut ? TS_OUT_LEN : 0);
  const bytes = target?.bytes ?? new Uint8Array(size);
  const offset = target?.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset + size > bytes.length) {
    throw new RangeError(
      `Target has no room for a ${size}-byte ${layout.name} at offset ${offset} ` +
        `(${bytes.length} bytes)`,
    );
  }
  const view = viewOf(bytes);
  const source = record as unknown as Record<string, unknown>;
  const owner = `${layout.name} (DBN v${context.version})`;
  bytes[offset] = size / RECORD_LENGTH_MULTIPLIER;
  bytes[offset + 1] = record.rtype;
  writeFields(view, bytes, offset, HEADER_FIELDS, source, owner);
  writeFields(view, bytes, offset, layout.fields, source, owner);
  if (context.tsOut) {
    if (typeof record.tsOut !== "bigint") {
      throw new TypeError(`Expected a bigint for field "tsOut" of ${owner}: the stream has ts_out`);
    }
    view.setBigUint64(offset + layout.size, record.tsOut, true);
  }
  return target === undefined ? bytes : size;
}

const HEADER_FIELDS = [
  { name: "publisher_id", key: "publisherId", kind: "u16", offset: 2, size: 2, width: 1 },
  { name: "instrument_id", key: "instrumentId", kind: "u32", offset: 4, size: 4, width: 1 },
  { name: "ts_event", key: "tsEvent", kind: "u64", offset: 8, size: 8, width: 1 },
] as const;

function layoutOf(record: DbnRecord, context: RecordContext): RecordLayout {
  const layout = recordLayout(record.rtype, context.version);
  if (layout === undefined) {
    throw new RangeError(`Cannot encode rtype ${hex(record.rtype)}: unknown record type`);
  }
  return layout;
}

function hex(rtype: number): string {
  return `0x${rtype.toString(16).padStart(2, "0")}`;
}
