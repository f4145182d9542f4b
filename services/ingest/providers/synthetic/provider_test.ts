import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import { VenueError } from "@shared/venue/mod.ts";
import type { Feed, QuoteEvent, TradeEvent } from "../events.ts";
import { collectingSink } from "../replay/_testing.ts";
import { SyntheticProvider, type SyntheticProviderOptions } from "./provider.ts";

const SANITIZE = { sanitizeOps: true, sanitizeResources: true };

/** A clock that ticks 1 us per call, for comparable timestamps. */
function counterClock(): () => bigint {
  let ts = 1_700_000_000_000_000_000n;
  return () => (ts += 1_000n);
}

async function run(
  options: Partial<SyntheticProviderOptions>,
  symbols: string[],
  feeds: Feed[] = ["trades"],
) {
  const sink = collectingSink();
  const provider = new SyntheticProvider({ rate: 0, clock: counterClock(), ...options, sink });
  await provider.connect();
  await provider.subscribe(symbols, feeds);
  await provider.done;
  return { sink, provider };
}

function turns(count: number): Promise<void> {
  let left = count;
  return new Promise((resolve) => {
    const next = () => (--left <= 0 ? resolve() : setImmediate(next));
    setImmediate(next);
  });
}

Deno.test(
  "the same seed and symbols give the same events; another seed does not",
  SANITIZE,
  async () => {
    const symbols = ["BTCUSD", "ETHUSD", "ADAUSD"];
    const options = { seed: 99, maxEvents: 3_000, quotes: true };
    const a = await run(options, symbols, ["trades", "bbo"]);
    const b = await run(options, symbols, ["trades", "bbo"]);
    const c = await run({ ...options, seed: 100 }, symbols, ["trades", "bbo"]);
    assert.equal(a.sink.events.length, 3_000);
    assert.deepEqual(a.sink.events, b.sink.events);
    assert.notDeepEqual(a.sink.events, c.sink.events);
    assert.equal(a.provider.stats().messages, 3_000);
    assert.equal(a.provider.connectionStatus(), "disconnected");
  },
);

Deno.test(
  "trades carry symbol-n ids and increasing sequences; a quote follows each trade",
  SANITIZE,
  async () => {
    const { sink } = await run({ maxEvents: 1_000, quotes: true }, ["BTCUSD", "ETHUSD"], [
      "trades",
      "bbo",
    ]);
    const events = sink.events as (TradeEvent | QuoteEvent)[];
    const counts = new Map<string, number>();
    const lastSequence = new Map<string, number>();
    for (let i = 0; i < events.length; i += 2) {
      const trade = events[i] as TradeEvent;
      const quote = events[i + 1] as QuoteEvent;
      assert.equal(trade.kind, "trade");
      assert.equal(quote.kind, "bbo");
      assert.equal(quote.symbol, trade.symbol);
      assert.equal(quote.sequence, trade.sequence + 1);
      assert.ok(trade.price === quote.bidPrice || trade.price === quote.askPrice);
      const n = (counts.get(trade.symbol) ?? 0) + 1;
      counts.set(trade.symbol, n);
      assert.equal(trade.tradeId, `${trade.symbol}-${n}`);
      assert.ok(trade.sequence > (lastSequence.get(trade.symbol) ?? 0));
      lastSequence.set(trade.symbol, quote.sequence);
      assert.equal(trade.price % 10_000_000n, 0n);
      assert.match(trade.quantity, /^[0-9]+(\.[0-9]{1,8})?$/);
      assert.equal(trade.tsRecv, trade.tsEvent);
    }
    assert.equal(counts.size, 2);
  },
);

Deno.test(
  "rate mode emits exactly maxEvents, then resolves done and stops its timer",
  SANITIZE,
  async () => {
    const sink = collectingSink();
    const provider = new SyntheticProvider({ rate: 5_000, maxEvents: 250, sink });
    await provider.connect();
    await provider.subscribe(["BTCUSD", "ETHUSD"]);
    assert.equal(provider.isConnected(), true);
    await provider.done;
    assert.equal(sink.events.length, 250);
    assert.equal(provider.stats().messages, 250);
    assert.equal(provider.isConnected(), false);
    await turns(5);
    assert.equal(sink.events.length, 250);
  },
);

Deno.test(
  "rate mode keeps going until disconnect() and emits nothing after it",
  SANITIZE,
  async () => {
    const three = Promise.withResolvers<void>();
    const sink = collectingSink(() => {
      if (sink.events.length === 3) three.resolve();
    });
    const provider = new SyntheticProvider({ rate: 200, sink });
    await provider.connect();
    await provider.subscribe(["SOLUSD"]);
    await three.promise;
    await provider.disconnect();
    await provider.done;
    const emitted = sink.events.length;
    assert.ok(emitted >= 3);
    await turns(5);
    assert.equal(sink.events.length, emitted);
    assert.equal(provider.connectionStatus(), "disconnected");
  },
);

Deno.test(
  "only subscribed symbols and feeds are generated; nothing while unsubscribed",
  SANITIZE,
  async () => {
    const sink = collectingSink();
    const provider = new SyntheticProvider({ rate: 0, maxEvents: 400, quotes: true, sink });
    await provider.connect();
    await turns(5);
    assert.equal(sink.events.length, 0, "no subscription, no events");
    await provider.subscribe(["BTCUSD"], ["trades"]);
    await provider.subscribe(["ETHUSD"], ["bbo"]);
    await provider.done;
    assert.equal(sink.events.length, 400);
    const kinds = new Set(sink.events.map((e) => `${e.symbol}:${e.kind}`));
    assert.deepEqual([...kinds].sort(), ["BTCUSD:trade", "ETHUSD:bbo"]);
    assert.deepEqual(provider.subscriptionStatus(), {
      requested: { BTCUSD: ["trades"], ETHUSD: ["bbo"] },
      active: ["BTCUSD", "ETHUSD"],
      failed: {},
    });
  },
);

Deno.test("* subscribes the start-price symbols; discovery lists them", SANITIZE, async () => {
  const startPrices = { AAAUSD: "10", BBBUSD: "20.5" };
  const { sink, provider } = await run({ maxEvents: 200, startPrices }, ["*"]);
  assert.deepEqual(new Set(sink.events.map((e) => e.symbol)), new Set(["AAAUSD", "BBBUSD"]));
  assert.deepEqual(
    (await provider.discoverSymbols()).map((s) => [s.symbol, s.base, s.quote, s.sizeScale]),
    [
      ["AAAUSD", "AAA", "USD", 8],
      ["BBBUSD", "BBB", "USD", 8],
    ],
  );
});

Deno.test("subscribe() rejects unsupported feeds and non-canonical symbols", SANITIZE, async () => {
  const provider = new SyntheticProvider({ sink: collectingSink() });
  const code = (c: string) => (e: unknown) => e instanceof VenueError && e.code === c;
  await assert.rejects(() => provider.subscribe(["BTCUSD"], ["bbo"]), code("rejected"));
  await assert.rejects(() => provider.subscribe(["BTCUSD"], ["book"]), code("rejected"));
  await assert.rejects(() => provider.subscribe(["btc-usd"]), code("unknown_symbol"));
  assert.deepEqual(provider.info.feeds, ["trades"]);
  assert.equal(provider.info.exchange, "SYNTHETIC");
  assert.equal(provider.normalizer.toVenue("BTCUSD"), "BTCUSD");
  assert.throws(() => new SyntheticProvider({ rate: -1, sink: collectingSink() }), RangeError);
  assert.throws(
    () => new SyntheticProvider({ rate: Number.NaN, sink: collectingSink() }),
    RangeError,
  );
});
