/**
 * Columns straight from a plain (uncompressed) DBN file: large reads land directly in the WASM
 * core's memory and are decoded there in one kernel call per block, with no record framing in
 * JavaScript. The fast path of backtests over .dbn files; other inputs use readColumns.
 * @module
 */
import {
  ColumnBatch,
  CoreBuffer,
  DbnRecordError,
  type DbnRecordKind,
  dbnRecordSize,
} from "@core/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import type { DbnReader } from "./dbn_reader.ts";
import { DBN_STREAM_ERROR } from "./errors.ts";

/** Default block: 8 MiB of records per read and decode. */
export const DEFAULT_BLOCK_BYTES = 8 << 20;

/** Whether `reader` (just opened, not yet read) can be read by {@linkcode readFileColumns}. */
export function canReadFileColumns(reader: DbnReader, path: string): boolean {
  return reader.compression === "none" && reader.inputVersion === reader.version && path !== "-";
}

/**
 * Yields the records of the plain DBN file `path` (whose metadata `reader` has read) as columns
 * of `kind`, reusing one ColumnBatch: read its columns before asking for the next one. Closes
 * `reader`. A record of another kind or a truncated tail becomes a DataError with its offset.
 */
export async function* readFileColumns<K extends DbnRecordKind>(
  reader: DbnReader,
  path: string,
  kind: K,
  blockBytes = DEFAULT_BLOCK_BYTES,
): AsyncGenerator<ColumnBatch<K>> {
  const recordBytes = dbnRecordSize(kind) + (reader.tsOut ? 8 : 0);
  const capacity = Math.max(1, Math.floor(blockBytes / recordBytes)) * recordBytes;
  const start = reader.recordsOffset;
  await reader.close();
  using file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  using block = new CoreBuffer(capacity);
  using columns = new ColumnBatch(kind, { tsOut: reader.tsOut });
  let filled = 0;
  let offset = start;
  for (;;) {
    let eof = false;
    while (filled < capacity) {
      const n = await file.read(block.bytes().subarray(filled));
      if (n === null) {
        eof = true;
        break;
      }
      filled += n;
    }
    const whole = filled - (filled % recordBytes);
    if (whole > 0) {
      try {
        columns.decode(block.bytes().subarray(0, whole));
      } catch (e) {
        if (!(e instanceof DbnRecordError)) throw e;
        throw new DataError(e.code, e.message, {
          source: path,
          offset: offset + e.byteOffset,
          cause: e,
        });
      }
      yield columns;
      block.bytes().copyWithin(0, whole, filled);
      offset += whole;
      filled -= whole;
    }
    if (eof) {
      if (filled > 0) {
        throw new DataError(
          DBN_STREAM_ERROR.truncatedRecord,
          `The last record is cut short: ${filled} of ${recordBytes} bytes`,
          { source: path, offset },
        );
      }
      return;
    }
  }
}
