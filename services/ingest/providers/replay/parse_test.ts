import assert from "node:assert/strict";
import { FLAG_SNAPSHOT, type Mbp10Msg, RType, UNDEF_PRICE } from "@shared/dbn/mod.ts";
import { bookEvent, feedOf, sideOf, tradeEvent, TradeIds } from "./parse.ts";
import { T0, tradeRecord } from "./_testing.ts";

Deno.test("TradeIds: the sequence, suffixed when repeated, ts-index when 0", () => {
  const ids = new TradeIds();
  const at = (sequence: number, i: number, symbol = "ESH1") =>
    ids.next(
      symbol,
      tradeRecord({ instrumentId: 1, tsEvent: T0, price: 1n, size: 1, sequence }),
      i,
    );
  assert.deepEqual(
    [at(5, 0), at(5, 1), at(5, 2), at(6, 3), at(5, 4, "NQH1"), at(0, 5), at(0, 6)],
    ["5", "5-1", "5-2", "6", "5", `${T0}-5`, `${T0}-6`],
  );
});

Deno.test("tradeEvent() refuses a record without a price; sides other than A/B become N", () => {
  const record = tradeRecord({ instrumentId: 1, tsEvent: T0, price: UNDEF_PRICE, size: 1 });
  assert.equal(tradeEvent(record, "ESH1", T0, "1"), undefined);
  const priced = tradeRecord({ instrumentId: 1, tsEvent: T0, price: 7n, size: 3, side: "" });
  assert.deepEqual(tradeEvent(priced, "ESH1", T0 + 5n, "x"), {
    kind: "trade",
    symbol: "ESH1",
    tsEvent: T0,
    tsRecv: T0 + 5n,
    price: 7n,
    quantity: "3",
    side: "N",
    tradeId: "x",
    sequence: 0,
  });
  assert.deepEqual(["A", "B", "N", "", "Z"].map(sideOf), ["A", "B", "N", "N", "N"]);
});

Deno.test("bookEvent() ends each side at its first empty level and reads the snapshot flag", () => {
  const level = (i: number) => ({
    bidPx: i < 3 ? 100n - BigInt(i) : UNDEF_PRICE,
    askPx: i < 1 ? 101n : UNDEF_PRICE,
    bidSz: i < 3 ? i + 1 : 0,
    askSz: i < 1 ? 9 : 0,
    bidCt: 1,
    askCt: 1,
  });
  const record = {
    ...tradeRecord({ instrumentId: 1, tsEvent: T0, price: 100n, size: 1, sequence: 4 }),
    rtype: RType.Mbp10,
    flags: FLAG_SNAPSHOT,
    levels: Array.from({ length: 10 }, (_, i) => level(i)),
  } as Mbp10Msg;
  const book = bookEvent(record, "ESH1", T0);
  assert.deepEqual(book.bids, [
    { price: 100n, quantity: "1" },
    { price: 99n, quantity: "2" },
    { price: 98n, quantity: "3" },
  ]);
  assert.deepEqual(book.asks, [{ price: 101n, quantity: "9" }]);
  assert.equal(book.snapshot, true);
  assert.equal(book.sequence, 4);
  assert.equal(feedOf(record), "book");
});
