import assert from "node:assert/strict";
import { encodeRecord, RType, UNDEF_ORDER_SIZE, UNDEF_PRICE } from "@shared/dbn/mod.ts";
import { decodeQuote, decodeTrade, slotKind } from "./decode.ts";
import { bboRecord, mbp1Record, tradeRecord } from "./_test_helpers.ts";

const SOURCE = { symbol: "BTCUSD", exchange: "KRAKEN" };

function slot(record: Uint8Array, slotBytes: number): DataView {
  const bytes = new Uint8Array(slotBytes);
  bytes.set(record);
  return new DataView(bytes.buffer);
}

Deno.test("slotKind() tells trades from quotes by rtype and skips what does not fit the slot", () => {
  const level = { bidPx: 1n, askPx: 2n, bidSz: 3, askSz: 4 };
  assert.equal(slotKind(slot(tradeRecord(1n, 1n), 48), 0, 48), "trade");
  assert.equal(slotKind(slot(mbp1Record(1n, level), 80), 0, 80), "quote");
  assert.equal(slotKind(slot(bboRecord(1n, level), 80), 0, 80), "quote");
  assert.equal(slotKind(slot(mbp1Record(1n, level), 80), 0, 48), "unknown", "80 bytes in 48");
  const ohlcv = new Uint8Array(56);
  ohlcv[0] = 14;
  ohlcv[1] = RType.Ohlcv1S;
  assert.equal(slotKind(slot(ohlcv, 80), 0, 80), "unknown");
  const short = tradeRecord(1n, 1n);
  short[0] = 4; // a header-only length cannot hold a trade
  assert.equal(slotKind(slot(short, 48), 0, 48), "unknown");
});

Deno.test("an MBP-10 book record decodes as a quote of its best level", () => {
  const levels = Array.from({ length: 10 }, (_, i) => ({
    bidPx: 100_000_000_000n - BigInt(i),
    askPx: 100_000_000_001n + BigInt(i),
    bidSz: 10 + i,
    askSz: 20 + i,
    bidCt: 0,
    askCt: 0,
  }));
  const record = encodeRecord({
    rtype: RType.Mbp10,
    publisherId: 0,
    instrumentId: 3,
    tsEvent: 9n,
    price: UNDEF_PRICE,
    size: 0,
    action: "R",
    side: "N",
    flags: 0,
    depth: 0,
    tsRecv: 10n,
    tsInDelta: 0,
    sequence: 1,
    levels,
  }, { version: 3, tsOut: false });
  const view = slot(record, 368);
  assert.equal(slotKind(view, 0, 368), "quote");
  assert.deepEqual(decodeQuote(view, 0, SOURCE, 5), {
    ...SOURCE,
    instrumentId: 3,
    tsEvent: 9n,
    tsRecv: 10n,
    bidPx: 100_000_000_000n,
    askPx: 100_000_000_001n,
    bidSz: 10,
    askSz: 20,
    readNs: 5,
  });
});

Deno.test("decodeTrade() keeps the fixed-point price exact and refuses null prices and sizes", () => {
  const max = 9_223_372_036_854_775_806n;
  const trade = decodeTrade(slot(tradeRecord(1n, max, { side: "N" }), 48), 0, SOURCE, 0);
  assert.equal(trade?.price, max);
  assert.equal(trade?.side, "N");
  const negative = decodeTrade(slot(tradeRecord(1n, -5n), 48), 0, SOURCE, 0);
  assert.equal(negative?.price, -5n);
  assert.equal(decodeTrade(slot(tradeRecord(1n, UNDEF_PRICE), 48), 0, SOURCE, 0), undefined);
  const unsized = tradeRecord(1n, 1n, { size: UNDEF_ORDER_SIZE });
  assert.equal(decodeTrade(slot(unsized, 48), 0, SOURCE, 0), undefined);
});
