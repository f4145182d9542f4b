/**
 * Rewrites a batch's records in the DBN v3 layout. Only the five record types whose layout
 * changed are re-encoded (DBN.md section 8.3); a batch without them is returned as is.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import { RType } from "../enums.ts";
import { decodeRecord, encodeRecord } from "../record_codec.ts";
import { upgradeRecord } from "../upgrade.ts";
import { DBN_STREAM_ERROR } from "./errors.ts";
import type { RecordBatch } from "./record_batch.ts";

const VERSIONED: ReadonlySet<number> = new Set([
  RType.InstrumentDef,
  RType.Statistics,
  RType.SymbolMapping,
  RType.Error,
  RType.System,
]);

/** An upgraded batch, cut short before a record that could not be upgraded (`error`). */
export interface UpgradedBatch {
  batch: RecordBatch | undefined;
  error: DataError | undefined;
}

/**
 * Returns `batch` with every record in the v3 layout. A record that cannot be re-encoded (e.g. a
 * string that is not UTF-8 and no longer fits) ends the batch there, with a DataError.
 */
export function upgradeBatch(batch: RecordBatch, source: string): UpgradedBatch {
  if (batch.version === 3) return { batch, error: undefined };
  const { bytes, offsets } = batch;
  let changed = false;
  for (let i = 0; i < batch.count && !changed; i++) {
    changed = VERSIONED.has(bytes[offsets[i]! + 1]!);
  }
  if (!changed) return { batch: { ...batch, version: 3 }, error: undefined };
  const context = { version: batch.version, tsOut: batch.tsOut, source };
  const target = { version: 3 as const, tsOut: batch.tsOut, source };
  const parts: Uint8Array[] = [];
  let count = batch.count;
  let error: DataError | undefined;
  const newOffsets = new Uint32Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const start = offsets[i]!;
    const end = i + 1 < count ? offsets[i + 1]! : bytes.length;
    let part = bytes.subarray(start, end);
    if (VERSIONED.has(bytes[start + 1]!)) {
      try {
        part = encodeRecord(
          upgradeRecord(decodeRecord(bytes, start, context), batch.version),
          target,
        );
      } catch (e) {
        error = new DataError(
          DBN_STREAM_ERROR.upgradeFailed,
          `Cannot upgrade the record to DBN v3: ${(e as Error).message}`,
          { source, offset: batch.streamOffset + start, cause: e },
        );
        count = i;
        break;
      }
    }
    newOffsets[i] = total;
    parts.push(part);
    total += part.length;
  }
  if (count === 0) return { batch: undefined, error };
  const out = new Uint8Array(total);
  for (let i = 0; i < count; i++) out.set(parts[i]!, newOffsets[i]!);
  const upgraded = { ...batch, bytes: out, offsets: newOffsets.subarray(0, count), count };
  return { batch: { ...upgraded, version: 3 }, error };
}
