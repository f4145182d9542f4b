import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { RecordingSink, testdata } from "../testing.ts";
import { KrakenProvider, type KrakenProviderOptions } from "./client.ts";
import {
  type FakeKraken,
  type FakeKrakenOptions,
  startFakeKraken,
  tradeFrame,
} from "./fake_server.ts";

interface Harness {
  fake: FakeKraken;
  sink: RecordingSink;
  provider: KrakenProvider;
  close(): Promise<void>;
}

async function harness(
  options: Partial<KrakenProviderOptions> = {},
  fakeOptions: FakeKrakenOptions = {},
): Promise<Harness> {
  const fake = await startFakeKraken({ symbols: ["MATIC/USD", "ALGO/USD"], ...fakeOptions });
  const sink = new RecordingSink();
  const provider = new KrakenProvider({
    wsUrl: fake.wsUrl,
    restUrl: fake.restUrl,
    sink,
    backoff: { initialMs: 10, maxMs: 50 },
    ...options,
  });
  await provider.connect();
  return {
    fake,
    sink,
    provider,
    close: async () => {
      await provider.disconnect();
      await fake.close();
    },
  };
}

function sentRequests(fake: FakeKraken): Record<string, unknown>[] {
  return fake.received.map((text) => JSON.parse(text));
}

function requestsFor(fake: FakeKraken, method: string, channel: string): Record<string, unknown>[] {
  return sentRequests(fake).filter((r) =>
    r.method === method && (r.params as Record<string, unknown>).channel === channel
  );
}

Deno.test("trades: subscribe sends snapshot:false, documented snapshot replayed -> exact trades", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["MATICUSD"]);
    await h.fake.waitFor(() => h.provider.subscriptionStatus().active.includes("MATICUSD"));
    const [request] = sentRequests(h.fake);
    assert.deepEqual(request?.params, { channel: "trade", symbol: ["MATIC/USD"], snapshot: false });
    assert.equal(typeof request?.req_id, "number");
    const documented = JSON.parse(testdata("kraken", "trade_subscribe.json"));
    assert.deepEqual(Object.keys(request!.params as object), Object.keys(documented.params));
    assert.equal(request!.method, documented.method);
    h.fake.broadcast(testdata("kraken", "trade_snapshot.json"));
    await h.fake.waitFor(() => h.sink.trades.length === 2);
    const [first, second] = h.sink.trades;
    assert.equal(first!.symbol, "MATICUSD");
    assert.equal(first!.price, 514_700_000n);
    assert.equal(first!.quantity, "6423.46326");
    assert.equal(first!.side, "B");
    assert.equal(first!.tradeId, "4665846");
    assert.equal(first!.tsEvent, 1695628116_925533000n);
    assert.ok(first!.tsRecv > 1_700_000_000_000_000_000n);
    assert.equal(second!.quantity, "1136.19677815");
    assert.deepEqual(h.sink.drops, []);
    assert.deepEqual(h.provider.subscriptionStatus().requested, { MATICUSD: ["trades"] });
    assert.equal(h.provider.systemStatus, "online");
  } finally {
    await h.close();
  }
});

Deno.test("tradeSnapshot option asks for and emits the venue's recent trades", async () => {
  const history = { "BTC/USD": [{ symbol: "BTC/USD", price: "65000.0", qty: "0.10000000" }] };
  const h = await harness({ tradeSnapshot: true }, { tradeHistory: history });
  try {
    await h.provider.subscribe(["BTCUSD"], ["trades"]);
    await h.fake.waitFor(() => h.sink.trades.length === 1);
    assert.equal(
      (requestsFor(h.fake, "subscribe", "trade")[0]!.params as { snapshot: boolean }).snapshot,
      true,
    );
    assert.equal(h.sink.trades[0]!.quantity, "0.10000000");
    assert.equal(h.sink.trades[0]!.price, 65000_000_000_000n);
  } finally {
    await h.close();
  }
});

Deno.test("bbo: ticker subscribed with event_trigger bbo; documented ticker -> exact quote", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["ALGOUSD"], ["bbo"]);
    await h.fake.waitFor(() => h.sink.quotes.length === 1); // the fake's own snapshot
    assert.deepEqual(requestsFor(h.fake, "subscribe", "ticker")[0]!.params, {
      channel: "ticker",
      symbol: ["ALGO/USD"],
      event_trigger: "bbo",
      snapshot: true,
    });
    h.fake.broadcast(testdata("kraken", "ticker_snapshot.json"));
    await h.fake.waitFor(() => h.sink.quotes.length === 2);
    const quote = h.sink.quotes[1]!;
    assert.equal(quote.symbol, "ALGOUSD");
    assert.equal(quote.bidPrice, 100_250_000n);
    assert.equal(quote.bidQuantity, "740.0");
    assert.equal(quote.askPrice, 100_360_000n);
    assert.equal(quote.askQuantity, "1361.44813783");
    assert.equal(quote.tsEvent, 1695632671_742648000n);
    assert.deepEqual(h.sink.drops, []);
  } finally {
    await h.close();
  }
});

Deno.test("book: T5 snapshot verifies with its trailing zeros, updates keep the top 10", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["BTCUSD"], ["book"]);
    await h.fake.waitFor(() => h.sink.books.length === 1);
    assert.deepEqual(requestsFor(h.fake, "subscribe", "book")[0]!.params, {
      channel: "book",
      symbol: ["BTC/USD"],
      depth: 10,
      snapshot: true,
    });
    const snapshot = h.sink.books[0]!;
    assert.equal(snapshot.snapshot, true);
    assert.deepEqual(snapshot.bids[0], { price: 45283_500_000_000n, quantity: "0.10000000" });
    assert.deepEqual(snapshot.asks[0], { price: 45285_200_000_000n, quantity: "0.00100000" });
    assert.equal(snapshot.bids.length, 10);
    const book = h.fake.book("BTC/USD");
    h.fake.broadcast(book.update({ bids: [["45283.6", "0.50000000"]] }));
    h.fake.broadcast(book.update({ asks: [["45285.2", "0"]], bids: [["45281.0", "0.20000000"]] }));
    await h.fake.waitFor(() => h.sink.books.length === 3);
    const [, first, second] = h.sink.books;
    assert.equal(first!.snapshot, false);
    assert.deepEqual(first!.bids[0], { price: 45283_600_000_000n, quantity: "0.50000000" });
    assert.equal(first!.bids.length, 10);
    assert.equal(first!.bids.at(-1)!.price, 45277_300_000_000n);
    assert.equal(second!.asks.length, 9);
    assert.equal(second!.asks[0]!.price, 45286_400_000_000n);
    assert.equal(second!.bids.find((l) => l.price === 45281_000_000_000n)?.quantity, "0.20000000");
    assert.deepEqual(h.sink.drops, []);
    assert.equal(h.provider.stats().bookResyncs, 0);
  } finally {
    await h.close();
  }
});

Deno.test("book checksum mismatch -> drop, resubscribe, no events until a fresh snapshot", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["BTCUSD"], ["book"]);
    await h.fake.waitFor(() => h.sink.books.length === 1);
    const book = h.fake.book("BTC/USD");
    // Both arrive before the provider's resubscribe reaches the fake: the good one is ignored
    h.fake.broadcast(book.update({ bids: [["45283.6", "1.00000000"]] }, { corruptChecksum: true }));
    h.fake.broadcast(book.update({ asks: [["45285.1", "2.00000000"]] }));
    await h.fake.waitFor(() => h.sink.books.length === 2);
    assert.deepEqual(h.sink.reasons, ["checksum_mismatch"]);
    const detail = h.sink.drops[0]!.detail;
    assert.equal(detail.symbol, "BTCUSD");
    assert.notEqual(detail.expected, detail.got);
    assert.equal(detail.got, (detail.expected as number) - 1);
    assert.equal(h.provider.stats().bookResyncs, 1);
    assert.equal(requestsFor(h.fake, "unsubscribe", "book").length, 1);
    assert.equal(requestsFor(h.fake, "subscribe", "book").length, 2);
    const fresh = h.sink.books[1]!;
    assert.equal(fresh.snapshot, true);
    assert.deepEqual(fresh.bids[0], { price: 45283_600_000_000n, quantity: "1.00000000" });
    assert.deepEqual(fresh.asks[0], { price: 45285_100_000_000n, quantity: "2.00000000" });
    h.fake.broadcast(book.update({ bids: [["45283.6", "0"]] }));
    await h.fake.waitFor(() => h.sink.books.length === 3);
    assert.equal(h.sink.books[2]!.bids[0]!.price, 45283_500_000_000n);
    await h.fake.waitFor(() => h.provider.subscriptionStatus().active.includes("BTCUSD"));
  } finally {
    await h.close();
  }
});

Deno.test("a disconnect mid-stream reconnects, resubscribes every channel, events continue", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["BTCUSD"], ["trades", "book"]);
    await h.fake.waitFor(() => h.sink.books.length === 1);
    const trade = (id: number) =>
      tradeFrame("update", [{ symbol: "BTC/USD", price: "100.5", qty: "1.0", tradeId: id }]);
    h.fake.broadcast(trade(1));
    h.fake.broadcast(trade(2));
    await h.fake.waitFor(() => h.sink.trades.length === 2);
    h.fake.dropAll();
    await h.fake.waitFor(() =>
      h.fake.connectionsOpened() === 2 && h.fake.subscriptions("trade").has("BTC/USD") &&
      h.fake.subscriptions("book").has("BTC/USD") && h.sink.books.length === 2
    );
    assert.equal(requestsFor(h.fake, "subscribe", "trade").length, 2);
    assert.equal(requestsFor(h.fake, "subscribe", "book").length, 2);
    assert.equal(h.sink.books[1]!.snapshot, true);
    h.fake.broadcast(trade(3));
    await h.fake.waitFor(() => h.sink.trades.length === 3);
    assert.deepEqual(h.sink.trades.map((t) => t.tradeId), ["1", "2", "3"]);
    assert.ok(h.provider.stats().reconnections >= 1);
    assert.ok(h.provider.stats().messages > 0);
    assert.equal(h.provider.isConnected(), true);
    assert.deepEqual(h.sink.drops, []);
  } finally {
    await h.close();
  }
});

Deno.test("malformed frames and bad numbers are counted drops; later frames still parse", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["BTCUSD"]);
    await h.fake.waitFor(() => h.fake.subscribed().has("BTC/USD"));
    const bad = (fields: string) =>
      `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy",${fields},` +
      `"ord_type":"limit","trade_id":9,"timestamp":"2024-01-01T00:00:00Z"}]}`;
    for (
      const text of [
        "not json",
        "[1,2,3]",
        `{"channel":"trade","type":"update","data":"x"}`,
        `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","price":01}]}`,
        bad(`"price":-5,"qty":1`),
        bad(`"price":0.0000000001,"qty":1`),
        bad(`"price":1e400,"qty":1`),
        bad(`"price":5,"qty":"abc"`),
        bad(`"qty":1`),
        `{"channel":"ohlc","type":"update","data":[]}`,
        `{"method":"frobnicate","success":true}`,
        `{"error":"Exceeded msg rate"}`,
      ]
    ) h.fake.broadcast(text);
    h.fake.broadcast(tradeFrame("update", [{ symbol: "BTC/USD", price: "7.25", qty: "3.000" }]));
    await h.fake.waitFor(() => h.sink.trades.length === 1);
    assert.deepEqual(h.sink.reasons, [
      "malformed_json",
      "malformed_json",
      "malformed_json",
      "malformed_json",
      "bad_value",
      "bad_value",
      "bad_value",
      "bad_value",
      "malformed_json",
      "unexpected_message",
      "unexpected_message",
      "venue_error",
    ]);
    assert.equal(h.sink.trades[0]!.quantity, "3.000");
    assert.equal(h.provider.isConnected(), true);
  } finally {
    await h.close();
  }
});

Deno.test("unknown symbols: venue refusal recorded, unmappable and unsubscribed ones dropped", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["FOOUSD", "BTCUSD"]);
    await h.fake.waitFor(() => h.sink.drops.length === 1 && h.fake.subscribed().has("BTC/USD"));
    assert.deepEqual(h.sink.drops[0], {
      reason: "venue_error",
      detail: {
        symbol: "FOOUSD",
        channel: "trade",
        method: "subscribe",
        error: "Currency pair not supported FOO/USD",
      },
    });
    const status = h.provider.subscriptionStatus();
    assert.deepEqual(status.failed, { FOOUSD: "Currency pair not supported FOO/USD" });
    await h.fake.waitFor(() => h.provider.subscriptionStatus().active.includes("BTCUSD"));
    assert.equal(h.provider.subscriptionStatus().active.includes("FOOUSD"), false);
    await assert.rejects(
      h.provider.subscribe(["FOO"]),
      (e) => e instanceof VenueError && e.code === "unknown_symbol",
    );
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      h.provider.subscribe(["BTCUSD"], ["ohlc" as any]),
      (e) => e instanceof VenueError && e.code === "rejected",
    );
    h.fake.broadcast(tradeFrame("update", [{ symbol: "ETH/USD", price: "1.0", qty: "1" }]));
    h.fake.broadcast(tradeFrame("update", [{ symbol: "WHAT", price: "1.0", qty: "1" }]));
    h.fake.broadcast(tradeFrame("update", [{ symbol: "BTC/USD", price: "1.0", qty: "1" }]));
    await h.fake.waitFor(() => h.sink.trades.length === 1);
    assert.deepEqual(h.sink.reasons.slice(1), ["unknown_symbol", "unknown_symbol"]);
    assert.deepEqual(h.sink.drops[1]!.detail, { channel: "trade", symbol: "ETHUSD" });
  } finally {
    await h.close();
  }
});

Deno.test("unsubscribe removes the venue subscription; later trades are unknown symbols", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["BTCUSD", "ETHUSD"], ["trades", "bbo"]);
    await h.fake.waitFor(() => h.provider.subscriptionStatus().active.length === 2);
    await h.provider.unsubscribe(["BTCUSD"]);
    await h.fake.waitFor(() => !h.fake.subscribed().has("BTC/USD"));
    assert.deepEqual([...h.fake.subscribed()], ["ETH/USD"]);
    assert.deepEqual(Object.keys(h.provider.subscriptionStatus().requested), ["ETHUSD"]);
    h.fake.broadcast(tradeFrame("update", [{ symbol: "BTC/USD", price: "1.0", qty: "1" }]));
    h.fake.broadcast(tradeFrame("update", [{ symbol: "ETH/USD", price: "1.0", qty: "1" }]));
    await h.fake.waitFor(() => h.sink.trades.length === 1);
    assert.equal(h.sink.trades[0]!.symbol, "ETHUSD");
    assert.deepEqual(h.sink.reasons, ["unknown_symbol"]);
  } finally {
    await h.close();
  }
});

Deno.test("keepalive sends app-level pings; pongs and heartbeats are not drops", async () => {
  const h = await harness({ keepaliveMs: 20 }, { heartbeatMs: 10 });
  try {
    await h.provider.subscribe(["BTCUSD"]);
    await h.fake.waitFor(() => sentRequests(h.fake).filter((r) => r.method === "ping").length >= 2);
    const ping = sentRequests(h.fake).find((r) => r.method === "ping")!;
    assert.deepEqual(Object.keys(ping).sort(), ["method", "req_id"]);
    assert.deepEqual(h.sink.drops, []);
  } finally {
    await h.close();
  }
});

Deno.test("the lead's flow: wait for BTC/USD on the fake, broadcast N trades, get N events", async () => {
  const h = await harness();
  try {
    await h.provider.subscribe(["BTCUSD"]);
    await h.fake.waitFor(() => h.fake.subscribed().has("BTC/USD"));
    for (let i = 0; i < 50; i++) {
      h.fake.broadcast(
        tradeFrame("update", [{ symbol: "BTC/USD", price: `100.${i}`, qty: "0.5" }]),
      );
    }
    await h.fake.waitFor(() => h.sink.trades.length === 50);
    assert.equal(new Set(h.sink.trades.map((t) => t.tradeId)).size, 50);
  } finally {
    await h.close();
  }
});

Deno.test("a book depth Kraken does not offer is refused at construction", () => {
  const sink = new RecordingSink();
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new KrakenProvider({ wsUrl: "ws://x", restUrl: "http://x", sink, bookDepth: 15 as any }),
    RangeError,
  );
});

Deno.test("bookDepth 25 is sent in the subscribe; book events still carry the top 10", async () => {
  const h = await harness({ bookDepth: 25 });
  try {
    await h.provider.subscribe(["ETHUSD"], ["book"]);
    await h.fake.waitFor(() => h.sink.books.length === 1);
    const request = requestsFor(h.fake, "subscribe", "book")[0]!;
    assert.equal((request.params as { depth: number }).depth, 25);
    assert.equal(h.sink.books[0]!.bids.length, 10);
  } finally {
    await h.close();
  }
});
