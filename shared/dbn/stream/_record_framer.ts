/**
 * Cuts a decompressed record stream into batches of whole records using only the header's
 * length byte (byte 0) and rtype (byte 1). Every record is checked before it is handed out:
 * a length of 0 or less than a header (which would never advance), a length that is not its
 * rtype's size, or an unknown rtype stops the stream with a DataError at that record's offset.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import { type DbnVersion, RECORD_HEADER_LEN, TS_OUT_LEN } from "../constants.ts";
import { recordLayout } from "../layouts.ts";
import { DBN_STREAM_ERROR } from "./errors.ts";
import type { RecordBatch } from "./record_batch.ts";

/** How to judge record headers: the stream's version, `ts_out` and label. */
export interface HeaderRules {
  version: DbnVersion;
  tsOut: boolean;
  source: string;
}

/** What the framer needs to know about the stream. */
export interface FramerOptions extends HeaderRules {
  /** Decompressed offset of the first record byte (the metadata length). */
  startOffset: number;
  /** Hand out a batch once this many bytes are buffered. */
  batchBytes: number;
}

/** Returns the record size (ts_out included) an rtype has, or undefined when it is unknown. */
export function expectedLength(rtype: number, version: DbnVersion, tsOut: boolean) {
  const layout = recordLayout(rtype, version);
  return layout === undefined ? undefined : layout.size + (tsOut ? TS_OUT_LEN : 0);
}

/** Checks the header at `pos` (needs bytes 0 and 1); returns the record length or throws. */
function checkHeader(buf: Uint8Array, pos: number, options: HeaderRules, at: number): number {
  const length = buf[pos]! * 4;
  if (length < RECORD_HEADER_LEN) {
    throw new DataError(
      DBN_STREAM_ERROR.badRecordLength,
      `Record length ${length} (length byte ${
        buf[pos]
      }) is shorter than the ${RECORD_HEADER_LEN}-byte header`,
      { source: options.source, offset: at },
    );
  }
  if (pos + 1 >= buf.length) return length;
  const rtype = buf[pos + 1]!;
  const expected = expectedLength(rtype, options.version, options.tsOut);
  if (expected === undefined) {
    throw new DataError(
      DBN_STREAM_ERROR.unknownRtype,
      `Unknown rtype 0x${rtype.toString(16).padStart(2, "0")} in DBN v${options.version}`,
      { source: options.source, offset: at },
    );
  }
  if (expected !== length) {
    throw new DataError(
      DBN_STREAM_ERROR.badRecordLength,
      `Record of rtype 0x${rtype.toString(16).padStart(2, "0")} has length ${length} bytes, ` +
        `expected ${expected} in DBN v${options.version}${options.tsOut ? " with ts_out" : ""}`,
      { source: options.source, offset: at },
    );
  }
  return length;
}

/** Checks that `bytes` holds whole, valid records back to back; returns their count. */
export function checkRecordBytes(
  bytes: Uint8Array,
  rules: HeaderRules & { startOffset?: number },
): number {
  const startOffset = rules.startOffset ?? 0;
  let pos = 0;
  let count = 0;
  while (pos < bytes.length) {
    const length = checkHeader(bytes, pos, rules, startOffset + pos);
    if (pos + 1 >= bytes.length || pos + length > bytes.length) {
      throw new DataError(
        DBN_STREAM_ERROR.truncatedRecord,
        `Record of ${length} bytes runs past the end of the ${bytes.length} bytes given`,
        { source: rules.source, offset: startOffset + pos },
      );
    }
    pos += length;
    count += 1;
  }
  return count;
}

/**
 * Yields batches of whole, header-checked records. At the end of input a partial record is a
 * DataError (truncated); any error comes after the batch of the records before it.
 */
export async function* frameRecords(
  chunks: AsyncIterable<Uint8Array>,
  options: FramerOptions,
): AsyncGenerator<RecordBatch> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let base = options.startOffset;

  /** Takes the whole records off the front of `pending`; returns the batch and any error. */
  const cut = (): { batch?: RecordBatch; error?: unknown } => {
    const buf = pending.length === 1 ? pending[0]! : concat(pending, pendingBytes);
    const offsets: number[] = [];
    let pos = 0;
    let error: unknown;
    try {
      while (pos < buf.length) {
        const length = checkHeader(buf, pos, options, base + pos);
        if (pos + 1 >= buf.length || pos + length > buf.length) break;
        offsets.push(pos);
        pos += length;
      }
    } catch (e) {
      error = e;
    }
    const rest = buf.subarray(pos);
    // Keep only a copy of the tail so a large chunk is not pinned by a few leftover bytes.
    pending = rest.length === 0 ? [] : [rest.length < 4096 ? rest.slice() : rest];
    pendingBytes = rest.length;
    const streamOffset = base;
    base += pos;
    if (offsets.length === 0) return { error };
    return {
      batch: {
        bytes: buf.subarray(0, pos),
        offsets: Uint32Array.from(offsets),
        count: offsets.length,
        streamOffset,
        version: options.version,
        tsOut: options.tsOut,
      },
      error,
    };
  };

  let failure: unknown;
  let upstream = false;
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < options.batchBytes) continue;
      const { batch, error } = cut();
      if (batch !== undefined) yield batch;
      if (error !== undefined) {
        failure = error;
        break;
      }
    }
  } catch (e) {
    failure = e;
    upstream = true;
  }
  if (failure !== undefined && !upstream) throw failure;
  // An upstream failure (e.g. corrupt zstd) still delivers the whole records before it.
  if (pendingBytes > 0) {
    const { batch, error } = cut();
    if (batch !== undefined) yield batch;
    if (error !== undefined) throw error;
  }
  if (failure !== undefined) throw failure;
  if (pendingBytes > 0) {
    throw new DataError(
      DBN_STREAM_ERROR.truncatedRecord,
      `Truncated record: the input ends ${pendingBytes} bytes into a record`,
      { source: options.source, offset: base },
    );
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
