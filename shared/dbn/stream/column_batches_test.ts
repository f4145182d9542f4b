/**
 * The batch API feeds the WASM column decoder: every batch of a trades / mbp-1 / bbo / ohlcv
 * file decodes to columns equal to the records the reader decodes one by one.
 */
import assert from "node:assert/strict";
import { type DbnRecordKind, decodeColumns } from "@core/mod.ts";
import { openDbn } from "./dbn_reader.ts";
import { collect, DBN_FIXTURES, sanitizedTest } from "./testing.ts";

const FILES: [string, DbnRecordKind, string][] = [
  ["test_data.trades.dbn", "trades", "price"],
  ["test_data.tbbo.v3.dbn.zst", "mbp1", "price"],
  ["test_data.mbp-1.dbz", "mbp1", "price"],
  ["test_data.bbo-1m.v2.dbn.zst", "bbo", "price"],
  ["test_data.ohlcv-1h.v1.dbn.zst", "ohlcv", "open"],
];

sanitizedTest(
  "batches() feed decodeColumns(): columns equal the records read one by one",
  async () => {
    for (const [name, kind, field] of FILES) {
      const path = new URL(name, DBN_FIXTURES).pathname;
      const records = await collect(await openDbn(path)) as unknown as Record<string, unknown>[];
      const reader = await openDbn(path, { chunkBytes: 9, batchBytes: 90 });
      let row = 0;
      for await (const batch of reader.batches()) {
        using columns = decodeColumns(kind, batch.bytes, {
          tsOut: batch.tsOut,
          count: batch.count,
        });
        const view = columns.columns() as unknown as Record<string, ArrayLike<unknown>>;
        assert.equal(columns.length, batch.count, name);
        for (let i = 0; i < batch.count; i++, row++) {
          const record = records[row]!;
          assert.equal(view.tsEvent![i], record.tsEvent, `${name} row ${row} tsEvent`);
          assert.equal(view.instrumentId![i], record.instrumentId, `${name} row ${row}`);
          assert.equal(view[field]![i], record[field], `${name} row ${row} ${field}`);
        }
      }
      assert.equal(row, records.length, name);
    }
  },
);
