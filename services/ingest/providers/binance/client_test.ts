import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import type { QuoteEvent, TradeEvent } from "../events.ts";
import { BinanceProvider, type BinanceProviderOptions } from "./client.ts";
import { type FakeBinance, type FakeBinanceOptions, startFakeBinance } from "./fake_server.ts";
import { bookTickerFrame, FAKE_BINANCE_SYMBOLS, tradeFrame } from "./fake_frames.ts";
import { type FakeVenuePair, fakeVenuePair, type RecordingSink, testdata } from "../testing.ts";

const WITH_BNB = [
  ...FAKE_BINANCE_SYMBOLS,
  { symbol: "BNBBTC", baseAsset: "BNB", quoteAsset: "BTC" },
  { symbol: "BNBUSDT", baseAsset: "BNB", quoteAsset: "USDT" },
];

function setup(
  fakeOptions: FakeBinanceOptions = {},
  providerOptions: Partial<BinanceProviderOptions> = {},
): Promise<FakeVenuePair<FakeBinance, BinanceProvider>> {
  return fakeVenuePair(
    startFakeBinance({ symbols: WITH_BNB, ...fakeOptions }),
    (base) => new BinanceProvider({ ...base, ...providerOptions }),
  );
}

function trade(tradeId: number, symbol = "BTCUSDT"): string {
  return tradeFrame({
    symbol,
    tradeId,
    price: "64000.10000000",
    quantity: "0.00150000",
    tradeTime: 1_700_000_000_000 + tradeId,
    buyerMaker: tradeId % 2 === 0,
  });
}

function tradeIds(sink: RecordingSink): string[] {
  return sink.events.filter((e): e is TradeEvent => e.kind === "trade").map((e) => e.tradeId);
}

Deno.test("documented trade and bookTicker payloads arrive as exact events over /stream", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BNBBTC"]);
  await provider.subscribe(["BNBUSD"], ["bbo"]);
  const before = Date.now();
  await provider.connect();
  assert.deepEqual(fake.connectionPaths(), ["/stream?streams=bnbbtc@trade/bnbusdt@bookTicker"]);
  assert.deepEqual(provider.subscriptionStatus(), {
    requested: { BNBBTC: ["trades"], BNBUSD: ["bbo"] },
    active: ["BNBBTC", "BNBUSD"],
    failed: {},
  });
  fake.publish("bnbbtc@trade", await testdata("binance", "trade.json"));
  fake.publish("bnbusdt@bookTicker", await testdata("binance", "book_ticker.json"));
  await fake.waitFor(() => sink.events.length === 2);
  const after = Date.now();
  const [trade, quote] = sink.events as [TradeEvent, QuoteEvent];
  // The receive clock is the performance clock anchored to the epoch: allow it 1 s of drift.
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  assert.ok(trade.tsRecv >= ns(before - 1000) && trade.tsRecv <= ns(after + 1000));
  assert.deepEqual(trade, {
    kind: "trade",
    symbol: "BNBBTC",
    tsEvent: 1_672_515_782_136_000_000n,
    tsRecv: trade.tsRecv,
    price: 1_000_000n,
    quantity: "100",
    side: "A",
    tradeId: "12345",
    sequence: 12345,
  });
  assert.deepEqual(quote, {
    kind: "bbo",
    symbol: "BNBUSD",
    tsEvent: quote.tsRecv,
    tsRecv: quote.tsRecv,
    bidPrice: 25_351_900_000n,
    bidQuantity: "31.21000000",
    askPrice: 25_365_200_000n,
    askQuantity: "40.66000000",
    sequence: 400900217,
  });
  assert.deepEqual(sink.drops, []);
  assert.equal(provider.stats().messages, 2);
});

Deno.test("subscribe and unsubscribe while connected send acked control messages", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.connect();
  assert.deepEqual(fake.connectionPaths(), ["/stream"]);
  await provider.subscribe(["BTCUSD", "ETHBTC"], ["trades", "bbo"]);
  await fake.waitFor(() => provider.subscriptionStatus().active.length === 2);
  assert.deepEqual(JSON.parse(fake.received[0]!), {
    method: "SUBSCRIBE",
    params: ["btcusdt@trade", "btcusdt@bookTicker", "ethbtc@trade", "ethbtc@bookTicker"],
    id: 1,
  });
  await provider.unsubscribe(["ETHBTC"]);
  await fake.waitFor(() => fake.subscribed().size === 2);
  assert.deepEqual(JSON.parse(fake.received[1]!), {
    method: "UNSUBSCRIBE",
    params: ["ethbtc@trade", "ethbtc@bookTicker"],
    id: 2,
  });
  assert.deepEqual([...fake.subscribed()], ["btcusdt@trade", "btcusdt@bookTicker"]);
  fake.publish("btcusdt@trade", trade(1));
  await fake.waitFor(() => sink.events.length === 1);
  assert.deepEqual(sink.drops, []);
});

Deno.test("after a drop mid-stream the provider reconnects with every stream in the URL", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD"], ["trades", "bbo"]);
  await provider.connect();
  await provider.subscribe(["ETHUSD"]);
  await fake.waitFor(() => fake.subscribed().has("ethusdt@trade"));
  fake.publish("btcusdt@trade", trade(1));
  await fake.waitFor(() => sink.events.length === 1);
  fake.dropAll();
  await fake.waitFor(() => fake.connectionsOpened() === 2 && provider.isConnected());
  const streams = "btcusdt@trade/btcusdt@bookTicker/ethusdt@trade";
  assert.deepEqual(fake.connectionPaths(), [
    "/stream?streams=btcusdt@trade/btcusdt@bookTicker",
    `/stream?streams=${streams}`,
  ]);
  // The URL resubscribes: no SUBSCRIBE frame after the reconnect.
  assert.equal(fake.received.filter((text) => text.includes("SUBSCRIBE")).length, 1);
  fake.publish("btcusdt@trade", trade(2));
  fake.publish("ethusdt@trade", trade(3, "ETHUSDT"));
  fake.publish(
    "btcusdt@bookTicker",
    bookTickerFrame({
      updateId: 9,
      symbol: "BTCUSDT",
      bidPrice: "63999.99000000",
      bidQuantity: "1.00000000",
      askPrice: "64000.00000000",
      askQuantity: "0.50000000",
    }),
  );
  await fake.waitFor(() => sink.events.length === 4);
  assert.deepEqual(tradeIds(sink), ["1", "2", "3"]);
  assert.equal(sink.events[2]?.symbol, "ETHUSD");
  assert.equal(sink.events[3]?.kind, "bbo");
  assert.equal(provider.stats().reconnections, 1);
});

Deno.test("with useRaw the provider connects to /ws and resubscribes with SUBSCRIBE frames", async () => {
  await using t = await setup({}, { useRaw: true });
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD", "SOLUSD"]);
  await provider.connect();
  await fake.waitFor(() =>
    fake.subscribed().size === 2 && provider.subscriptionStatus().active.length === 2
  );
  fake.publish("solusdt@trade", trade(1, "SOLUSDT"));
  await fake.waitFor(() => sink.events.length === 1);
  fake.dropAll();
  await fake.waitFor(() => fake.connectionsOpened() === 2 && fake.subscribed().size === 2);
  assert.deepEqual(fake.connectionPaths(), ["/ws", "/ws"]);
  const subscribes = fake.received.map((text) => JSON.parse(text)).filter((m) =>
    m.method === "SUBSCRIBE"
  );
  assert.equal(subscribes.length, 2);
  assert.deepEqual(subscribes[1].params, ["btcusdt@trade", "solusdt@trade"]);
  fake.publish("btcusdt@trade", trade(2));
  await fake.waitFor(() => sink.events.length === 2);
  assert.deepEqual(tradeIds(sink), ["1", "2"]);
  assert.deepEqual(sink.drops, []);
});

Deno.test("malformed frames are counted as drops and later good frames still parse", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD"]);
  await provider.connect();
  fake.broadcast("not json");
  fake.broadcast("[]");
  fake.broadcast(`{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","p":1}}`);
  fake.broadcast(trade(1).replace('"64000.10000000"', '"64000.1.0"'));
  fake.broadcast(trade(2).replace('"64000.10000000"', '"-1"'));
  fake.broadcast(trade(3).replace('"0.00150000"', '"1e-3"'));
  fake.broadcast(trade(4, "SOLUSDT"));
  fake.broadcast(`{"e":"kline","E":1,"s":"BTCUSDT"}`);
  fake.broadcast(trade(5));
  await fake.waitFor(() => sink.events.length === 1);
  assert.deepEqual(sink.reasons, [
    "malformed_json",
    "malformed_json",
    "malformed_json",
    "bad_value",
    "bad_value",
    "bad_value",
    "unknown_symbol",
    "unexpected_message",
  ]);
  assert.deepEqual(tradeIds(sink), ["5"]);
  assert.equal(provider.isConnected(), true);
});

Deno.test("unknown symbols: unmappable ones throw, refused ones drop as venue_error", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  const code = (expected: string) => (error: unknown) =>
    error instanceof VenueError && error.code === expected;
  await assert.rejects(provider.subscribe(["FOOBAR"]), code("unknown_symbol"));
  await assert.rejects(provider.subscribe(["BTCUSDT"]), code("unknown_symbol"));
  await assert.rejects(provider.subscribe(["BTCUSD"], ["book"]), code("rejected"));
  await provider.connect();
  await provider.subscribe(["DOGEUSD"]);
  await fake.waitFor(() => sink.drops.length === 1);
  assert.equal(sink.drops[0]?.reason, "venue_error");
  assert.equal(sink.drops[0]?.detail.code, 2);
  assert.deepEqual(provider.subscriptionStatus(), {
    requested: {},
    active: [],
    failed: { DOGEUSD: "code 2: Invalid request: invalid stream dogeusdt@trade" },
  });
  fake.broadcast(`{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}`);
  await fake.waitFor(() => sink.drops.length === 2);
  assert.equal(sink.drops[1]?.reason, "venue_error");
  await provider.discoverSymbols();
  await assert.rejects(provider.subscribe(["DOGEUSD"]), code("unknown_symbol"));
});

Deno.test("a serverShutdown notice makes the provider reconnect at once", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD"]);
  await provider.connect();
  fake.shutdownNotice();
  await fake.waitFor(() => fake.connectionsOpened() === 2 && provider.isConnected());
  assert.equal(fake.connections(), 1);
  assert.equal(provider.stats().reconnections, 1);
  fake.publish("btcusdt@trade", trade(1));
  await fake.waitFor(() => sink.events.length === 1);
  assert.deepEqual(sink.drops, []);
});

Deno.test("the provider renews its connection after maxLifetimeMs", async () => {
  await using t = await setup({}, { maxLifetimeMs: 100 });
  const { fake, provider } = t;
  await provider.subscribe(["ETHBTC"]);
  await provider.connect();
  await fake.waitFor(() => fake.connectionsOpened() >= 3);
  assert.deepEqual(
    fake.connectionPaths().slice(0, 3),
    Array(3).fill("/stream?streams=ethbtc@trade"),
  );
});

Deno.test("when the server ends a connection at its lifetime the provider comes back", async () => {
  await using t = await setup({ maxLifetimeMs: 100 });
  const { fake, sink, provider } = t;
  await provider.subscribe(["ETHBTC"]);
  await provider.connect();
  await fake.waitFor(() => fake.connectionsOpened() >= 2 && provider.isConnected());
  fake.publish("ethbtc@trade", trade(1, "ETHBTC"));
  await fake.waitFor(() => sink.events.length === 1);
});

Deno.test("control messages are paced under the fake's 5 messages per second limit", async () => {
  await using t = await setup({ maxMessagesPerSecond: 5 });
  const { fake, provider } = t;
  await provider.connect();
  const symbols = ["BTCUSD", "ETHUSD", "SOLUSD", "ETHBTC", "BNBBTC", "BNBUSD", "BTCUSD"];
  for (const symbol of symbols) await provider.subscribe([symbol], ["trades", "bbo"]);
  await provider.unsubscribe(["SOLUSD"]);
  await fake.waitFor(() => fake.received.length === 7);
  await fake.waitFor(() => provider.subscriptionStatus().active.length === 5);
  assert.equal(fake.connectionsOpened(), 1);
  assert.equal(provider.stats().reconnections, 0);
});

Deno.test("LIST_SUBSCRIPTIONS keepalives are sent and their replies absorbed", async () => {
  await using t = await setup({}, { keepaliveMs: 20 });
  const { fake, sink, provider } = t;
  await provider.connect();
  await fake.waitFor(() => fake.received.length >= 2);
  assert.match(fake.received[0]!, /^\{"method":"LIST_SUBSCRIPTIONS","id":\d+\}$/);
  await fake.waitFor(() => provider.stats().messages >= 2);
  assert.deepEqual(sink.drops, []);
});
