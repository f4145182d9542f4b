import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { decodeDbn } from "../mod.ts";
import { readColumns } from "./column_reader.ts";
import { openDbn } from "./dbn_reader.ts";
import { DBN_FIXTURES, sanitizedTest } from "./testing.ts";

sanitizedTest("readColumns() yields every record of a compressed file as columns", async () => {
  const path = new URL("test_data.mbp-1.v3.dbn.zst", DBN_FIXTURES).pathname;
  const reader = await openDbn(path, { batchBytes: 100 });
  const prices: bigint[] = [];
  for await (const batch of readColumns(reader, "mbp1")) {
    const { price } = batch.columns();
    prices.push(...price);
  }
  const plain = await Deno.readFile(new URL("test_data.mbp-1.dbn", DBN_FIXTURES));
  const expected = decodeDbn(plain).records.map((r) => (r as { price: bigint }).price);
  assert.deepEqual(prices, expected);
});

sanitizedTest("readColumns() rejects a schema without column kernels", async () => {
  const reader = await openDbn(new URL("test_data.mbo.dbn", DBN_FIXTURES).pathname);
  await assert.rejects(async () => {
    for await (const _ of readColumns(reader)) { /* nothing */ }
  }, DataError);
  await reader.close();
});

sanitizedTest(
  "readColumns() turns a kernel rejection into a DataError at the stream offset",
  async () => {
    const bytes = await Deno.readFile(new URL("test_data.trades.dbn", DBN_FIXTURES));
    const reader = await openDbn(bytes, { source: "trades.dbn" });
    await assert.rejects(
      async () => {
        for await (const _ of readColumns(reader, "ohlcv")) { /* nothing */ }
      },
      (e: unknown) =>
        e instanceof DataError && e.offset !== undefined && /trades\.dbn at byte/.test(e.message),
    );
  },
);

sanitizedTest("readColumns() picks the kind from the metadata's schema", async () => {
  const reader = await openDbn(new URL("test_data.ohlcv-1h.v1.dbn.zst", DBN_FIXTURES).pathname);
  let count = 0;
  for await (const batch of readColumns(reader)) {
    assert.equal(batch.kind, "ohlcv");
    count += batch.length;
  }
  assert.ok(count > 0);
});
