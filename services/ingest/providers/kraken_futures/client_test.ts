import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import type { QuoteEvent, TradeEvent } from "../events.ts";
import { KrakenFuturesProvider, type KrakenFuturesProviderOptions } from "./client.ts";
import {
  type FakeKrakenFutures,
  type FakeKrakenFuturesOptions,
  startFakeKrakenFutures,
} from "./fake_server.ts";
import { tickerFrame, tradeFrame } from "./fake_frames.ts";
import { type FakeVenuePair, fakeVenuePair, type RecordingSink, testdata } from "../testing.ts";

function setup(
  fakeOptions: FakeKrakenFuturesOptions = {},
  providerOptions: Partial<KrakenFuturesProviderOptions> = {},
): Promise<FakeVenuePair<FakeKrakenFutures, KrakenFuturesProvider>> {
  return fakeVenuePair(
    startFakeKrakenFutures(fakeOptions),
    (base) => new KrakenFuturesProvider({ ...base, ...providerOptions }),
  );
}

function trade(seq: number, productId = "PI_XBTUSD"): string {
  return tradeFrame({
    productId,
    uid: `uid-${seq}`,
    side: seq % 2 === 0 ? "sell" : "buy",
    seq,
    time: 1_612_269_650_000 + seq,
    qty: "1.5e3",
    price: "34893.5",
  });
}

function seqs(sink: RecordingSink): number[] {
  return sink.events.filter((e): e is TradeEvent => e.kind === "trade").map((e) => e.sequence);
}

Deno.test("documented trade, snapshot and ticker payloads arrive as exact events", async () => {
  await using t = await setup({}, { contract: "PF", emitSnapshot: true });
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD"], ["trades", "bbo"]);
  await provider.connect();
  await fake.waitFor(() => provider.subscriptionStatus().active.length === 1);
  assert.deepEqual(fake.received.map((text) => JSON.parse(text)), [
    { event: "subscribe", feed: "heartbeat" },
    { event: "subscribe", feed: "trade", product_ids: ["PF_XBTUSD"] },
    { event: "subscribe", feed: "ticker", product_ids: ["PF_XBTUSD"] },
  ]);
  fake.broadcast(await testdata("kraken_futures", "trade_snapshot.json"));
  fake.broadcast(
    (await testdata("kraken_futures", "ticker.json")).replace("PI_XBTUSD", "PF_XBTUSD"),
  );
  await fake.waitFor(() => sink.events.length === 3);
  const [first, second, quote] = sink.events as [TradeEvent, TradeEvent, QuoteEvent];
  assert.deepEqual(first, {
    kind: "trade",
    symbol: "BTCUSD",
    tsEvent: 1_612_269_656_839_000_000n,
    tsRecv: first.tsRecv,
    price: 34_891_000_000_000n,
    quantity: "9643",
    side: "A",
    tradeId: "45ee9737-1877-4682-bc68-e4ef818ef88a",
    sequence: 655507,
  });
  assert.equal(second.sequence, 655508);
  assert.equal(second.tradeId, "caa9c653-420b-4c24-a9f1-462a054d86f1");
  assert.equal(second.quantity, "440");
  assert.deepEqual(quote, {
    kind: "bbo",
    symbol: "BTCUSD",
    tsEvent: 1_612_270_825_253_000_000n,
    tsRecv: quote.tsRecv,
    bidPrice: 34_832_500_000_000n,
    bidQuantity: "42864",
    askPrice: 34_847_500_000_000n,
    askQuantity: "2300",
    sequence: 0,
  });
  fake.publish("trade", "PF_XBTUSD", trade(655509, "PF_XBTUSD"));
  await fake.waitFor(() => sink.events.length === 4);
  const delta = sink.events[3] as TradeEvent;
  assert.equal(delta.quantity, "1500");
  assert.equal(delta.price, 34_893_500_000_000n);
  assert.equal(delta.side, "B");
  assert.deepEqual(sink.drops, []);
});

Deno.test("after a drop mid-stream it resubscribes; the snapshot is not replayed by default", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD", "ETHUSD"]);
  await provider.subscribe(["BTCUSD"], ["bbo"]);
  await provider.connect();
  await fake.waitFor(() => fake.subscriptions().size === 3);
  fake.publish("trade", "PI_XBTUSD", trade(1));
  fake.publish("trade", "PI_ETHUSD", trade(2, "PI_ETHUSD"));
  await fake.waitFor(() => sink.events.length === 2);
  fake.dropAll();
  await fake.waitFor(() => fake.connectionsOpened() === 2 && fake.subscriptions().size === 3);
  const subscribes = fake.received.map((text) => JSON.parse(text));
  assert.equal(subscribes.filter((m) => m.feed === "trade").length, 2);
  assert.equal(subscribes.filter((m) => m.feed === "ticker").length, 2);
  assert.deepEqual(subscribes.at(-2), {
    event: "subscribe",
    feed: "trade",
    product_ids: ["PI_XBTUSD", "PI_ETHUSD"],
  });
  fake.publish("trade", "PI_XBTUSD", trade(3));
  fake.publish(
    "ticker",
    "PI_XBTUSD",
    tickerFrame({
      productId: "PI_XBTUSD",
      time: 1_612_270_826_000,
      bid: "34832.5",
      ask: "34847.0",
      bidSize: "100",
      askSize: "2e2",
    }),
  );
  await fake.waitFor(() => sink.events.length === 4);
  assert.deepEqual(seqs(sink), [1, 2, 3]);
  const quote = sink.events[3] as QuoteEvent;
  assert.equal(quote.askQuantity, "200");
  assert.equal(provider.stats().reconnections, 1);
  assert.deepEqual(sink.drops, []);
});

Deno.test("malformed frames are counted as drops and later good frames still parse", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD"]);
  await provider.connect();
  await fake.waitFor(() => provider.subscriptionStatus().active.length === 1);
  fake.broadcast("{oops");
  fake.broadcast(`{"feed":"trade","product_id":"PI_XBTUSD","uid":"x"}`);
  fake.broadcast(trade(1).replace('"price":34893.5', '"price":-1'));
  fake.broadcast(trade(2).replace('"qty":1.5e3', '"qty":0'));
  fake.broadcast(trade(3).replace('"side":"buy"', '"side":"up"'));
  fake.broadcast(trade(4, "PI_ETHUSD"));
  fake.broadcast(
    tickerFrame({
      productId: "PI_XBTUSD",
      time: 1,
      bid: "1",
      ask: "2",
      bidSize: "1",
      askSize: "1",
    }),
  );
  fake.broadcast(`{"feed":"book","product_id":"PI_XBTUSD"}`);
  fake.broadcast(trade(5));
  await fake.waitFor(() => sink.events.length === 1);
  assert.deepEqual(sink.reasons, [
    "malformed_json",
    "malformed_json",
    "bad_value",
    "bad_value",
    "bad_value",
    "unknown_symbol",
    "unexpected_message",
    "unexpected_message",
  ]);
  assert.deepEqual(seqs(sink), [5]);
  assert.equal(provider.isConnected(), true);
});

Deno.test("unknown products: venue errors and failed acks drop as venue_error", async () => {
  const code = (expected: string) => (error: unknown) =>
    error instanceof VenueError && error.code === expected;
  {
    await using t = await setup();
    const { fake, sink, provider } = t;
    await assert.rejects(provider.subscribe(["ETHBTC"]), code("unknown_symbol"));
    await assert.rejects(provider.subscribe(["FOOBAR"]), code("unknown_symbol"));
    await assert.rejects(provider.subscribe(["BTCUSD"], ["book"]), code("rejected"));
    await provider.connect();
    await provider.subscribe(["DOGEUSD"]);
    await fake.waitFor(() => sink.drops.length === 1);
    assert.deepEqual(sink.drops[0], {
      reason: "venue_error",
      detail: { venue: "kraken_futures", event: "error", message: "Invalid product id" },
    });
    await provider.discoverSymbols();
    await assert.rejects(provider.subscribe(["SOLUSD"]), code("unknown_symbol"));
  }
  {
    await using t = await setup({ unknownProductReply: "subscribed_failed" });
    const { fake, sink, provider } = t;
    await provider.connect();
    await provider.subscribe(["DOGEUSD", "BTCUSD"]);
    await fake.waitFor(() => sink.drops.length === 1 && fake.subscribed().has("PI_XBTUSD"));
    assert.equal(sink.drops[0]?.reason, "venue_error");
    assert.deepEqual(sink.drops[0]?.detail.product_ids, ["PI_DOGEUSD"]);
    await fake.waitFor(() => provider.subscriptionStatus().active.length === 1);
    assert.deepEqual(provider.subscriptionStatus(), {
      requested: { BTCUSD: ["trades"] },
      active: ["BTCUSD"],
      failed: { DOGEUSD: "subscribed_failed (trade)" },
    });
  }
  {
    await using t = await setup({ unknownProductReply: "alert" });
    const { fake, sink, provider } = t;
    await provider.connect();
    await provider.subscribe(["DOGEUSD"]);
    await fake.waitFor(() => sink.drops.length === 1);
    assert.equal(sink.drops[0]?.detail.event, "alert");
  }
});

Deno.test("the heartbeat subscribe is re-sent as the keepalive and heartbeats are absorbed", async () => {
  await using t = await setup({ heartbeatMs: 10 }, { keepaliveMs: 20 });
  const { fake, sink, provider } = t;
  await provider.connect();
  const heartbeats = () => fake.received.filter((text) => text.includes(`"heartbeat"`)).length;
  await fake.waitFor(() => heartbeats() >= 3 && provider.stats().messages >= 6);
  assert.ok(fake.received.every((text) => text === `{"event":"subscribe","feed":"heartbeat"}`));
  assert.deepEqual(sink.drops, []);
});

Deno.test("unsubscribe sends one unsubscribe per feed and stops the events", async () => {
  await using t = await setup();
  const { fake, sink, provider } = t;
  await provider.subscribe(["BTCUSD", "ETHUSD"], ["trades", "bbo"]);
  await provider.connect();
  await fake.waitFor(() => fake.subscriptions().size === 4);
  await provider.unsubscribe(["ETHUSD"]);
  await fake.waitFor(() => fake.subscriptions().size === 2);
  assert.deepEqual(fake.received.slice(-2).map((text) => JSON.parse(text)), [
    { event: "unsubscribe", feed: "trade", product_ids: ["PI_ETHUSD"] },
    { event: "unsubscribe", feed: "ticker", product_ids: ["PI_ETHUSD"] },
  ]);
  assert.deepEqual(provider.subscriptionStatus().active, ["BTCUSD"]);
  fake.broadcast(trade(9, "PI_ETHUSD"));
  await fake.waitFor(() => sink.drops.length === 1);
  assert.equal(sink.drops[0]?.reason, "unknown_symbol");
});
