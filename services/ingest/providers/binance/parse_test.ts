import assert from "node:assert/strict";
import { binanceQuoteEvent, binanceTradeEvent, parseBinanceFrame } from "./parse.ts";
import { testdata } from "../testing.ts";
import { ControlQueue } from "./control.ts";

const RECV = 1_700_000_000_123_456_000n;

Deno.test("the documented trade becomes a TradeEvent with exact price, taker side A (m true)", async () => {
  const frame = parseBinanceFrame(await testdata("binance", "trade.json"));
  assert.equal(frame.type, "trade");
  if (frame.type !== "trade") return;
  assert.equal(frame.stream, undefined);
  assert.deepEqual(binanceTradeEvent(frame.trade, "BNBBTC", RECV), {
    kind: "trade",
    symbol: "BNBBTC",
    tsEvent: 1_672_515_782_136_000_000n,
    tsRecv: RECV,
    price: 1_000_000n,
    quantity: "100",
    side: "A",
    tradeId: "12345",
    sequence: 12345,
  });
});

Deno.test("a combined-wrapped trade parses like the raw one and keeps its stream", async () => {
  const frame = parseBinanceFrame(await testdata("binance", "combined_trade.json"));
  assert.equal(frame.type, "trade");
  if (frame.type !== "trade") return;
  assert.equal(frame.stream, "btcusdt@trade");
  assert.equal(frame.trade.s, "BTCUSDT");
  const event = binanceTradeEvent({ ...frame.trade, m: false }, "BTCUSD", RECV);
  assert.equal(event.side, "B");
});

Deno.test("the documented bookTicker becomes a QuoteEvent timed at receipt, u as sequence", async () => {
  const frame = parseBinanceFrame(await testdata("binance", "book_ticker.json"));
  assert.equal(frame.type, "bookTicker");
  if (frame.type !== "bookTicker") return;
  assert.deepEqual(binanceQuoteEvent(frame.ticker, "BNBUSD", RECV), {
    kind: "bbo",
    symbol: "BNBUSD",
    tsEvent: RECV,
    tsRecv: RECV,
    bidPrice: 25_351_900_000n,
    bidQuantity: "31.21000000",
    askPrice: 25_365_200_000n,
    askQuantity: "40.66000000",
    sequence: 400900217,
  });
  const wrapped = binanceQuoteEvent({ ...frame.ticker, u: 2 ** 32 + 5 }, "BNBUSD", RECV);
  assert.equal(wrapped.sequence, 5);
});

Deno.test("serverShutdown is recognised raw and combined", async () => {
  for (const name of ["server_shutdown.json", "server_shutdown_combined.json"]) {
    assert.deepEqual(parseBinanceFrame(await testdata("binance", name)), {
      type: "serverShutdown",
      eventMs: 1770123456789,
    });
  }
});

Deno.test("control replies are classified: results and both error shapes", async () => {
  assert.deepEqual(parseBinanceFrame(await testdata("binance", "subscribe_result.json")), {
    type: "result",
    id: 1,
    result: null,
  });
  assert.deepEqual(parseBinanceFrame(await testdata("binance", "list_subscriptions_result.json")), {
    type: "result",
    id: 3,
    result: ["btcusdt@aggTrade"],
  });
  assert.deepEqual(parseBinanceFrame(await testdata("binance", "error_unknown_property.json")), {
    type: "error",
    id: 5,
    code: 0,
    msg: "Unknown property",
  });
  assert.deepEqual(parseBinanceFrame(await testdata("binance", "error_invalid_value_type.json")), {
    type: "error",
    id: undefined,
    code: 1,
    msg: "Invalid value type: expected Boolean",
  });
  assert.deepEqual(
    parseBinanceFrame(`{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":7}`),
    { type: "error", id: 7, code: 2, msg: "Invalid request: invalid stream" },
  );
});

Deno.test("events the adapter does not stream are unexpected, not malformed", async () => {
  for (const name of ["agg_trade.json", "partial_depth.json"]) {
    const frame = parseBinanceFrame(await testdata("binance", name));
    assert.equal(frame.type, "drop");
    if (frame.type === "drop") assert.equal(frame.reason, "unexpected_message");
  }
});

Deno.test("malformed frames are classified without throwing", () => {
  const cases = [
    "not json",
    "[1,2]",
    "null",
    `{"stream":"btcusdt@trade","data":7}`,
    `{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":0.001,"q":"1","T":1,"m":true}`,
    `{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":2,"A":"1"}`,
  ];
  for (const text of cases) {
    const frame = parseBinanceFrame(text);
    assert.equal(frame.type, "drop", text);
    if (frame.type === "drop") assert.equal(frame.reason, "malformed_json", text);
  }
});

Deno.test("binanceTradeEvent() rejects inexact, non-positive and exponent values", () => {
  const trade = {
    e: "trade" as const,
    E: 1,
    s: "BTCUSDT",
    t: 1,
    p: "1",
    q: "1",
    T: 1,
    m: false,
  };
  assert.throws(() => binanceTradeEvent({ ...trade, p: "1.2.3" }, "BTCUSD", RECV), SyntaxError);
  assert.throws(
    () => binanceTradeEvent({ ...trade, p: "0.0000000001" }, "BTCUSD", RECV),
    RangeError,
  );
  assert.throws(() => binanceTradeEvent({ ...trade, p: "-5" }, "BTCUSD", RECV), RangeError);
  assert.throws(() => binanceTradeEvent({ ...trade, q: "1e-3" }, "BTCUSD", RECV), SyntaxError);
  assert.throws(() => binanceTradeEvent({ ...trade, q: "0.000" }, "BTCUSD", RECV), RangeError);
  assert.throws(() => binanceTradeEvent({ ...trade, T: 1.5 }, "BTCUSD", RECV), RangeError);
  assert.throws(() => binanceTradeEvent({ ...trade, t: -1 }, "BTCUSD", RECV), RangeError);
});

Deno.test("ControlQueue sends at most `limit` per window and queues the rest in order", async () => {
  const sent: string[] = [];
  const queue = new ControlQueue({ send: (text) => sent.push(text) > 0, limit: 3, windowMs: 30 });
  for (let i = 0; i < 7; i++) queue.enqueue(String(i));
  assert.deepEqual(sent, ["0", "1", "2"]);
  assert.equal(queue.pending, 4);
  const start = Date.now();
  while (sent.length < 7 && Date.now() - start < 2000) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.deepEqual(sent, ["0", "1", "2", "3", "4", "5", "6"]);
  queue.close();
});
