import assert from "node:assert/strict";
import { testdata } from "../testing.ts";
import { plainDecimal } from "./lossless_json.ts";
import {
  decodeFrame,
  parseAck,
  parseBook,
  type ParseContext,
  parseTicker,
  parseTrade,
} from "./parse.ts";
import { KrakenSymbols } from "./symbols.ts";

const ctx: ParseContext = { normalizer: new KrakenSymbols(), tsRecv: 42n };

function frame(name: string): Record<string, unknown> {
  const decoded = decodeFrame(testdata("kraken", name));
  assert.ok(decoded.ok);
  return decoded.value;
}

function data(name: string): unknown[] {
  return frame(name).data as unknown[];
}

Deno.test("documented trade snapshot -> exact trades (taker buy = B, trade_id as sequence)", () => {
  const trades = data("trade_snapshot.json").map((entry) => parseTrade(entry, ctx));
  assert.deepEqual(trades, [
    {
      ok: true,
      value: {
        kind: "trade",
        symbol: "MATICUSD",
        tsEvent: 1695628116_925533000n,
        tsRecv: 42n,
        price: 514_700_000n,
        quantity: "6423.46326",
        side: "B",
        tradeId: "4665846",
        sequence: 4665846,
      },
    },
    {
      ok: true,
      value: {
        kind: "trade",
        symbol: "MATICUSD",
        tsEvent: 1695628176_925603000n,
        tsRecv: 42n,
        price: 514_700_000n,
        quantity: "1136.19677815",
        side: "B",
        tradeId: "4665847",
        sequence: 4665847,
      },
    },
  ]);
});

Deno.test("a sell trade is side A; a trade id above 2^32 wraps for the sequence", () => {
  const parsed = parseTrade({
    symbol: "BTC/USD",
    side: "sell",
    price: "65000.10",
    qty: "0.10000000",
    ord_type: "market",
    trade_id: "4294967297",
    timestamp: "2024-01-01T00:00:00.000001Z",
  }, ctx);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.side, "A");
  assert.equal(parsed.value.quantity, "0.10000000");
  assert.equal(parsed.value.price, 65000_100_000_000n);
  assert.equal(parsed.value.tradeId, "4294967297");
  assert.equal(parsed.value.sequence, 1);
});

Deno.test("documented ticker snapshot -> BBO with exact text quantities and its timestamp", () => {
  const [entry] = data("ticker_snapshot.json");
  const parsed = parseTicker(entry, ctx);
  assert.deepEqual(parsed, {
    ok: true,
    value: {
      kind: "bbo",
      symbol: "ALGOUSD",
      tsEvent: 1695632671_742648000n,
      tsRecv: 42n,
      bidPrice: 100_250_000n,
      bidQuantity: "740.0",
      askPrice: 100_360_000n,
      askQuantity: "1361.44813783",
      sequence: 0,
    },
  });
  const { timestamp: _, ...old } = entry as Record<string, unknown>;
  const noTime = parseTicker(old, ctx);
  assert.ok(noTime.ok);
  assert.equal(noTime.value.tsEvent, 42n);
});

Deno.test("documented book update -> levels with exact text, checksum and time", () => {
  const [entry] = data("book_update.json");
  assert.deepEqual(parseBook(entry, ctx), {
    ok: true,
    value: {
      symbol: "MATICUSD",
      venueSymbol: "MATIC/USD",
      bids: [{ price: 565_700_000n, priceText: "0.5657", qty: "1098.3947558" }],
      asks: [],
      checksum: 2114181697,
      tsEvent: 1696613755_440295000n,
    },
  });
});

Deno.test("documented status keeps the 64-bit connection_id exactly", () => {
  const status = frame("status.json");
  assert.equal(status.channel, "status");
  assert.deepEqual(status.data, [{
    api_version: "v2",
    connection_id: "13834774380200032777",
    system: "online",
    version: "2.0.0",
  }]);
});

Deno.test("documented book ack -> a successful per-symbol subscribe ack", () => {
  assert.deepEqual(parseAck(frame("book_ack.json")), {
    ok: true,
    value: {
      method: "subscribe",
      success: true,
      channel: "book",
      venueSymbol: "ALGO/USD",
      error: undefined,
      reqId: undefined,
    },
  });
});

Deno.test("bad entries are rejected with a reason, never thrown", () => {
  const good = {
    symbol: "BTC/USD",
    side: "buy",
    price: "1.5",
    qty: "2",
    ord_type: "limit",
    trade_id: "7",
    timestamp: "2024-01-01T00:00:00Z",
  };
  const cases: [Record<string, unknown> | unknown, string][] = [
    [{ ...good, price: "-1.5" }, "bad_value"],
    [{ ...good, price: "0" }, "bad_value"],
    [{ ...good, price: "0.0000000001" }, "bad_value"],
    [{ ...good, qty: "-2" }, "bad_value"],
    [{ ...good, qty: "abc" }, "bad_value"],
    [{ ...good, side: "hold" }, "bad_value"],
    [{ ...good, timestamp: "yesterday" }, "bad_value"],
    [{ ...good, trade_id: "1.5" }, "bad_value"],
    [{ ...good, price: undefined }, "malformed_json"],
    [{ ...good, symbol: 5 }, "malformed_json"],
    [{ ...good, symbol: "NOSLASH" }, "unknown_symbol"],
    ["not an object", "malformed_json"],
  ];
  for (const [entry, reason] of cases) {
    const parsed = parseTrade(entry, ctx);
    assert.equal(parsed.ok, false, JSON.stringify(entry));
    if (!parsed.ok) assert.equal(parsed.reason, reason, JSON.stringify(entry));
  }
  const book = parseBook({ symbol: "BTC/USD", bids: [], asks: [], checksum: "4294967296" }, ctx);
  assert.equal(book.ok ? "ok" : book.reason, "bad_value");
  assert.equal(decodeFrame("[1]").ok, false);
  assert.equal(decodeFrame("{oops").ok, false);
});

Deno.test("documented instrument pair: qty_increment 1e-08 read exactly as 0.00000001", () => {
  const pair = frame("instrument_pair.json");
  assert.equal(pair.qty_increment, "1e-08");
  assert.equal(plainDecimal(pair.qty_increment as string), "0.00000001");
  assert.equal(pair.qty_precision, "8");
});
