/**
 * Columns straight from a DBN stream: the reader's record batches decoded by the WASM core into
 * one reused ColumnBatch, so millions of records pass without a JS object per record.
 * @module
 */
import { ColumnBatch, DbnRecordError, type DbnRecordKind } from "@core/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import { Schema } from "../enums.ts";
import type { DbnReader } from "./dbn_reader.ts";

const KIND_BY_SCHEMA: ReadonlyMap<number, DbnRecordKind> = new Map([
  [Schema.Trades, "trades"],
  [Schema.Mbp1, "mbp1"],
  [Schema.Tbbo, "mbp1"],
  [Schema.Bbo1S, "bbo"],
  [Schema.Bbo1M, "bbo"],
  [Schema.Ohlcv1S, "ohlcv"],
  [Schema.Ohlcv1M, "ohlcv"],
  [Schema.Ohlcv1H, "ohlcv"],
  [Schema.Ohlcv1D, "ohlcv"],
  [Schema.OhlcvEod, "ohlcv"],
]);

/** The column kind for a metadata schema, or undefined when the WASM core has no columns for it. */
export function columnKindForSchema(schema: number | null | undefined): DbnRecordKind | undefined {
  return schema === null || schema === undefined ? undefined : KIND_BY_SCHEMA.get(schema);
}

/**
 * Yields the reader's records as columns of `kind` (default: from the metadata's schema). The same
 * ColumnBatch is refilled for every batch: read its columns before asking for the next one.
 * A record the kernel rejects becomes a DataError naming the source and its stream offset.
 */
export async function* readColumns<K extends DbnRecordKind>(
  reader: DbnReader,
  kind?: K,
): AsyncGenerator<ColumnBatch<K>> {
  const chosen = kind ?? columnKindForSchema(reader.metadata?.schema) as K | undefined;
  if (chosen === undefined) {
    throw new DataError(
      "dbn.no_columns",
      `Cannot decode schema ${reader.metadata?.schema ?? "unknown"} to columns: ` +
        "only trades, mbp-1, tbbo, bbo and ohlcv have column kernels",
      { source: reader.source },
    );
  }
  using columns = new ColumnBatch(chosen, { tsOut: reader.tsOut });
  for await (const batch of reader.batches()) {
    try {
      columns.decode(batch.bytes, { count: batch.count });
    } catch (e) {
      if (!(e instanceof DbnRecordError)) throw e;
      await reader.close();
      throw new DataError(e.code, e.message, {
        source: reader.source,
        offset: batch.streamOffset + e.byteOffset,
        cause: e,
      });
    }
    yield columns;
  }
}
