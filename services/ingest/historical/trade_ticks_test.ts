import assert from "node:assert/strict";
import { readFixture } from "@shared/dbn/_fixtures.ts";
import {
  type DbnRecord,
  decodeDbn,
  encodeDbn,
  type Mbp1Msg,
  type TradeMsg,
} from "@shared/dbn/mod.ts";
import { openDbn, type RecordBatch } from "@shared/dbn/stream/mod.ts";
import {
  batchView,
  indexTimeOf,
  isTradeRecord,
  readTrade,
  SymbolDirectory,
  TradeIds,
  tradeTick,
} from "./trade_ticks.ts";

async function batchesOf(bytes: Uint8Array): Promise<RecordBatch[]> {
  const reader = await openDbn(bytes);
  const out: RecordBatch[] = [];
  for await (const batch of reader.batches()) out.push(batch);
  return out;
}

Deno.test("readTrade() and indexTimeOf() read a TradeMsg's fields like the decoder", async () => {
  const fixture = readFixture("test_data.trades.v3.dbn.zst");
  const decoded = decodeDbn(fixture.bytes).records as TradeMsg[];
  const [batch] = await batchesOf(fixture.bytes);
  const view = batchView(batch!);
  assert.equal(batch!.count, decoded.length);
  decoded.forEach((record, i) => {
    assert.ok(isTradeRecord(batch!, i));
    assert.equal(indexTimeOf(batch!, view, i), record.tsRecv);
    assert.deepEqual(readTrade(batch!, view, i), {
      instrumentId: record.instrumentId,
      tsEvent: record.tsEvent,
      tsRecv: record.tsRecv,
      price: record.price,
      size: record.size,
      side: record.side,
      flags: record.flags,
      sequence: record.sequence,
    });
  });
});

Deno.test("isTradeRecord() takes tbbo records and the action-T records of mbp-1 only", async () => {
  const tbbo = readFixture("test_data.tbbo.v3.dbn.zst");
  const [tbboBatch] = await batchesOf(tbbo.bytes);
  assert.ok(tbboBatch!.count > 0);
  for (let i = 0; i < tbboBatch!.count; i++) assert.ok(isTradeRecord(tbboBatch!, i));
  const mbp = decodeDbn(readFixture("test_data.mbp-1.v3.dbn.zst").bytes);
  const records = mbp.records as Mbp1Msg[];
  const mixed = [records[0]!, { ...records[1]!, action: "T" }, { ...records[0]!, action: "C" }];
  const [batch] = await batchesOf(
    encodeDbn({ metadata: mbp.metadata, records: mixed as DbnRecord[] }),
  );
  assert.deepEqual([0, 1, 2].map((i) => isTradeRecord(batch!, i)), [false, true, false]);
  assert.equal(readTrade(batch!, batchView(batch!), 1).price, records[1]!.price);
});

Deno.test("indexTimeOf() falls back to ts_event for schemas without ts_recv", async () => {
  const fixture = readFixture("test_data.ohlcv-1m.v3.dbn.zst");
  const decoded = decodeDbn(fixture.bytes).records;
  const [batch] = await batchesOf(fixture.bytes);
  const view = batchView(batch!);
  decoded.forEach((record, i) => {
    assert.equal(indexTimeOf(batch!, view, i), record.tsEvent);
    assert.ok(!isTradeRecord(batch!, i));
  });
});

Deno.test("SymbolDirectory maps instrument ids to the requested raw symbols by date", () => {
  const fixture = readFixture("test_data.trades.v3.dbn.zst");
  const directory = new SymbolDirectory();
  directory.addMetadata(decodeDbn(fixture.bytes).metadata);
  directory.addMetadata(decodeDbn(fixture.bytes).metadata);
  assert.equal(directory.size, 1);
  assert.equal(directory.symbolOf(5482, 1_609_160_400_099_150_057n), "ESH1");
  assert.equal(directory.symbolOf(5483, 1_609_160_400_099_150_057n), undefined);
  const reused = new SymbolDirectory();
  const base = decodeDbn(fixture.bytes).metadata;
  reused.addMetadata({
    ...base,
    mappings: [
      { rawSymbol: "AAPL", intervals: [{ startDate: 20240101, endDate: 20240102, symbol: "7" }] },
      { rawSymbol: "MSFT", intervals: [{ startDate: 20240102, endDate: 20240103, symbol: "7" }] },
    ],
  });
  assert.equal(reused.symbolOf(7, 1_704_067_200_000_000_000n + 5n), "AAPL");
  assert.equal(reused.symbolOf(7, 1_704_153_600_000_000_000n + 5n), "MSFT");
});

Deno.test("TradeIds count repeats of (ts_recv, sequence) per instrument and match on a resumed stream", () => {
  const trades: [bigint, number][] = [[10n, 1], [10n, 1], [10n, 2], [10n, 1], [11n, 1], [11n, 1]];
  const ids = new TradeIds();
  const all = trades.map(([ts, seq]) => ids.next(ts, seq, 7));
  assert.deepEqual(all, ["10-1-0", "10-1-1", "10-2-0", "10-1-2", "11-1-0", "11-1-1"]);
  // A download resumed at ts 11 (inclusive) gives the same ids to the same trades.
  const resumed = new TradeIds();
  assert.deepEqual(trades.slice(4).map(([ts, seq]) => resumed.next(ts, seq, 7)), all.slice(4));
  // One packet with trades of two instruments: each keeps the id it has when fetched alone.
  const both = new TradeIds();
  assert.deepEqual(
    [[7, 10n], [8, 10n], [8, 10n]].map(([id, ts]) => both.next(ts as bigint, 1, id as number)),
    ["10-1-0", "10-1-0", "10-1-1"],
  );
});

Deno.test("tradeTick() keeps price, size, side and flags; no tick without a price", () => {
  const trade = {
    instrumentId: 9,
    tsEvent: 5n,
    tsRecv: 6n,
    price: 4_512_250_000_000n,
    size: 3,
    side: "B" as const,
    flags: 0x81,
    sequence: 77,
  };
  const where = { symbol: "ESH5", exchange: "CME", instrumentId: 42, tradeId: "6-77-0" };
  assert.deepEqual(tradeTick(trade, where), {
    tsEvent: 5n,
    tsRecv: 6n,
    instrumentId: 42,
    symbol: "ESH5",
    exchange: "CME",
    price: 4_512_250_000_000n,
    size: 3,
    quantity: "3",
    side: "B",
    tradeId: "6-77-0",
    flags: 0x81,
    sequence: 77,
  });
  assert.equal(tradeTick({ ...trade, price: 0x7FFF_FFFF_FFFF_FFFFn }, where), undefined);
});
