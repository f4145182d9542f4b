import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { openDbn } from "./dbn_reader.ts";
import { canReadFileColumns, readFileColumns } from "./file_columns.ts";
import { collect, DBN_FIXTURES } from "./testing.ts";

const TRADES = new URL("test_data.trades.dbn", DBN_FIXTURES).pathname;

/** A copy of the trades fixture with `extra` records appended (and `cut` bytes removed). */
async function copyWith(extra: number, cut = 0): Promise<string> {
  const bytes = await Deno.readFile(TRADES);
  const reader = await openDbn(TRADES);
  const start = reader.recordsOffset;
  await reader.close();
  const records = bytes.subarray(start);
  const out = new Uint8Array(bytes.length + extra * records.length);
  out.set(bytes);
  for (let k = 1; k <= extra; k++) out.set(records, bytes.length + (k - 1) * records.length);
  const path = await Deno.makeTempFile({ suffix: ".dbn" });
  await Deno.writeFile(path, out.subarray(0, out.length - cut));
  return path;
}

Deno.test("readFileColumns() yields the records the reader decodes, across tiny blocks", async () => {
  const path = await copyWith(40);
  try {
    const records = await collect(await openDbn(path)) as unknown as {
      tsEvent: bigint;
      price: bigint;
      size: number;
    }[];
    const reader = await openDbn(path);
    assert.ok(canReadFileColumns(reader, path));
    let row = 0;
    let batches = 0;
    for await (const batch of readFileColumns(reader, path, "trades", 48 * 7)) {
      const c = batch.columns();
      batches++;
      for (let i = 0; i < batch.length; i++, row++) {
        assert.equal(c.tsEvent[i], records[row]!.tsEvent);
        assert.equal(c.price[i], records[row]!.price);
        assert.equal(c.size[i], records[row]!.size);
      }
    }
    assert.equal(row, records.length);
    assert.ok(batches > 5);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readFileColumns() turns a cut-off last record into a DataError with its offset", async () => {
  const path = await copyWith(3, 5);
  try {
    const reader = await openDbn(path);
    await assert.rejects(async () => {
      for await (const _ of readFileColumns(reader, path, "trades", 48 * 2));
    }, (e: unknown) => e instanceof DataError && /cut short: 43 of 48 bytes/.test(e.message));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readFileColumns() is only offered for plain files", async () => {
  const zst = new URL("test_data.tbbo.v3.dbn.zst", DBN_FIXTURES).pathname;
  const reader = await openDbn(zst);
  assert.equal(canReadFileColumns(reader, zst), false);
  await reader.close();
});
