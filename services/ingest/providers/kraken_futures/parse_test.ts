import assert from "node:assert/strict";
import {
  krakenFuturesQuoteEvent,
  krakenFuturesTradeEvent,
  parseKrakenFuturesFrame,
  parseLossless,
  plainDecimal,
} from "./parse.ts";
import { isTrade } from "./parse.ts";
import { testdata } from "../testing.ts";

const RECV = 1_700_000_000_000_001_000n;

Deno.test("parseLossless() keeps every number's source text (Deno's reviver context.source)", () => {
  assert.deepEqual(parseLossless(`{"a":1.10,"b":[3.891007752e-9,-2],"c":"x","d":true}`), {
    a: "1.10",
    b: ["3.891007752e-9", "-2"],
    c: "x",
    d: true,
  });
});

Deno.test("plainDecimal() writes exponent notation out exactly and rejects signs", () => {
  assert.equal(plainDecimal("440"), "440");
  assert.equal(plainDecimal("0.10"), "0.10");
  assert.equal(plainDecimal("1.5e-3"), "0.0015");
  assert.equal(plainDecimal("5.494e-6"), "0.000005494");
  assert.equal(plainDecimal("1e3"), "1000");
  assert.equal(plainDecimal("1.25E+1"), "12.5");
  assert.equal(plainDecimal("12.5e1"), "125");
  assert.equal(plainDecimal("0e0"), "0");
  assert.throws(() => plainDecimal("-1"), SyntaxError);
  assert.throws(() => plainDecimal("abc"), SyntaxError);
  assert.throws(() => plainDecimal("1e999"), RangeError);
});

Deno.test("the documented trade_snapshot lists trades newest first with exact fields", async () => {
  const frame = parseKrakenFuturesFrame(await testdata("kraken_futures", "trade_snapshot.json"));
  assert.equal(frame.type, "trade_snapshot");
  if (frame.type !== "trade_snapshot") return;
  assert.equal(frame.productId, "PF_XBTUSD");
  const [newest, older] = frame.trades;
  assert.ok(isTrade(newest) && isTrade(older));
  assert.deepEqual(krakenFuturesTradeEvent(older, "BTCUSD", RECV), {
    kind: "trade",
    symbol: "BTCUSD",
    tsEvent: 1_612_269_656_839_000_000n,
    tsRecv: RECV,
    price: 34_891_000_000_000n,
    quantity: "9643",
    side: "A",
    tradeId: "45ee9737-1877-4682-bc68-e4ef818ef88a",
    sequence: 655507,
  });
  assert.equal(krakenFuturesTradeEvent(newest, "BTCUSD", RECV).sequence, 655508);
});

Deno.test("the documented ticker becomes a QuoteEvent at the venue's time", async () => {
  const frame = parseKrakenFuturesFrame(await testdata("kraken_futures", "ticker.json"));
  assert.equal(frame.type, "ticker");
  if (frame.type !== "ticker") return;
  assert.deepEqual(krakenFuturesQuoteEvent(frame.ticker, "BTCUSD", RECV), {
    kind: "bbo",
    symbol: "BTCUSD",
    tsEvent: 1_612_270_825_253_000_000n,
    tsRecv: RECV,
    bidPrice: 34_832_500_000_000n,
    bidQuantity: "42864",
    askPrice: 34_847_500_000_000n,
    askQuantity: "2300",
    sequence: 0,
  });
  const snapshot = (await testdata("kraken_futures", "ticker.json")).replace(
    `"ticker"`,
    `"ticker_snapshot"`,
  );
  assert.equal(parseKrakenFuturesFrame(snapshot).type, "ticker");
});

Deno.test("the illustrative trade delta parses; its elided uid is not a valid trade id", async () => {
  const frame = parseKrakenFuturesFrame(await testdata("kraken_futures", "trade_delta.json"));
  assert.equal(frame.type, "trade");
  if (frame.type !== "trade") return;
  assert.throws(() => krakenFuturesTradeEvent(frame.trade, "BTCUSD", RECV), RangeError);
  const event = krakenFuturesTradeEvent({ ...frame.trade, uid: "u-1" }, "BTCUSD", RECV);
  assert.equal(event.side, "B");
  assert.equal(event.price, 34_895_000_000_000n);
  assert.equal(event.quantity, "100");
  assert.equal(event.sequence, 655509);
});

Deno.test("control messages: info, acks (trimmed), errors", async () => {
  assert.deepEqual(parseKrakenFuturesFrame(await testdata("kraken_futures", "info.json")), {
    type: "info",
    version: "1",
  });
  assert.deepEqual(
    parseKrakenFuturesFrame(await testdata("kraken_futures", "subscribed_trade.json")),
    {
      type: "ack",
      event: "subscribed",
      feed: "trade",
      productIds: ["PI_XBTUSD"],
    },
  );
  assert.deepEqual(
    parseKrakenFuturesFrame(`{"event":"subscribed ","feed":"ticker","product_ids":["PI_XBTUSD"]}`),
    { type: "ack", event: "subscribed", feed: "ticker", productIds: ["PI_XBTUSD"] },
  );
  assert.deepEqual(
    parseKrakenFuturesFrame(await testdata("kraken_futures", "subscribed_heartbeat.json")),
    {
      type: "ack",
      event: "subscribed",
      feed: "heartbeat",
      productIds: [],
    },
  );
  assert.deepEqual(parseKrakenFuturesFrame(await testdata("kraken_futures", "error_json.json")), {
    type: "error",
    event: "error",
    message: "Json Error",
  });
  assert.deepEqual(parseKrakenFuturesFrame(`{"event":"alert","message":"Bad product"}`), {
    type: "error",
    event: "alert",
    message: "Bad product",
  });
  assert.deepEqual(parseKrakenFuturesFrame(await testdata("kraken_futures", "heartbeat.json")), {
    type: "heartbeat",
  });
});

Deno.test("malformed and unknown frames are classified without throwing", () => {
  const cases: [string, string][] = [
    ["not json", "malformed_json"],
    ["[]", "malformed_json"],
    [`{"feed":"trade","product_id":"PI_XBTUSD"}`, "malformed_json"],
    [`{"feed":"ticker","product_id":"PI_XBTUSD","time":1,"bid":"1","ask":2}`, "malformed_json"],
    [`{"feed":"book_snapshot","product_id":"PI_XBTUSD"}`, "unexpected_message"],
    [`{"event":"challenge","message":"x"}`, "unexpected_message"],
  ];
  for (const [text, reason] of cases) {
    const frame = parseKrakenFuturesFrame(text);
    assert.equal(frame.type, "drop", text);
    if (frame.type === "drop") assert.equal(frame.reason, reason, text);
  }
});

Deno.test("krakenFuturesTradeEvent() rejects bad sides, prices, sizes and times", () => {
  const trade = {
    feed: "trade",
    product_id: "PI_XBTUSD",
    uid: "u",
    side: "buy",
    seq: "1",
    time: "1",
    qty: "1",
    price: "1",
  };
  const bad = [
    { side: "BUY" },
    { price: "0" },
    { price: "1e-10" },
    { qty: "0" },
    { qty: "-1" },
    { time: "1.5" },
    { seq: "x" },
  ];
  for (const patch of bad) {
    assert.throws(() => krakenFuturesTradeEvent({ ...trade, ...patch }, "BTCUSD", RECV));
  }
  const wrapped = krakenFuturesTradeEvent({ ...trade, seq: String(2 ** 32 + 7) }, "BTCUSD", RECV);
  assert.equal(wrapped.sequence, 7);
  const tiny = krakenFuturesTradeEvent({ ...trade, price: "5.494e-6" }, "BTCUSD", RECV);
  assert.equal(tiny.price, 5494n);
});
