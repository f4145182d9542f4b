import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "./types.ts";
import { type FeedKey, WsVenueProvider } from "./_ws_venue_provider.ts";
import { discovered, IdentityNormalizer } from "./identity_symbols.ts";
import { RecordingSink } from "./testing.ts";

/** A venue with no wire format: it records what it would send and confirms what a test says. */
class ToyProvider extends WsVenueProvider<IdentityNormalizer> {
  readonly confirmed = new Set<string>();
  readonly checked: FeedKey[][] = [];

  constructor(sink: RecordingSink) {
    super({
      venue: "toy",
      exchange: "TOY",
      label: "Toy",
      normalizer: new IdentityNormalizer("toy", "TOY", 2),
      venueFeeds: { trades: "t", bbo: "q" },
      sink,
      client: {},
    });
  }
  discoverSymbols(): Promise<DiscoveredSymbol[]> {
    const found = discovered(["BTCUSD", "ETHUSD"]);
    this.setListed(found);
    return Promise.resolve(found);
  }
  protected url(): string {
    return "ws://127.0.0.1:9/never";
  }
  protected onOpen(): void {}
  protected onFrame(): void {}
  protected isConfirmed(key: FeedKey): boolean {
    return this.confirmed.has(`${key.feed} ${key.venueSymbol}`);
  }
  protected sendChange(): void {}
  protected override checkSubscribe(added: readonly FeedKey[]): void {
    this.checked.push([...added]);
  }
  keys(): FeedKey[] {
    return this.requestedKeys();
  }
  lookup(venueSymbol: string, feed: "trades" | "bbo"): string | undefined {
    return this.symbolFor(venueSymbol, feed, { id: venueSymbol });
  }
  refused(venueSymbol: string, venueFeed: string, reason: string): void {
    this.refuse(venueSymbol, this.feedOf(venueFeed), reason);
  }
}

Deno.test("WsVenueProvider remembers feeds per symbol and reports only new ones as added", async () => {
  const provider = new ToyProvider(new RecordingSink());
  assert.deepEqual(provider.info.feeds, ["trades", "bbo"]);
  await provider.subscribe(["BTCUSD", "ETHUSD", "BTCUSD"]);
  await provider.subscribe(["BTCUSD"], ["trades", "bbo"]);
  assert.deepEqual(provider.checked.map((keys) => keys.map((k) => `${k.feed} ${k.symbol}`)), [
    ["trades BTCUSD", "trades ETHUSD"],
    ["bbo BTCUSD"],
  ]);
  assert.deepEqual(provider.keys().map((k) => `${k.feed} ${k.venueSymbol}`), [
    "trades BTCUSD",
    "bbo BTCUSD",
    "trades ETHUSD",
  ]);
  provider.confirmed.add("trades ETHUSD");
  assert.deepEqual(provider.subscriptionStatus(), {
    requested: { BTCUSD: ["trades", "bbo"], ETHUSD: ["trades"] },
    active: ["ETHUSD"],
    failed: {},
  });
  await provider.unsubscribe(["ETHUSD", "SOLUSD"]);
  assert.deepEqual(Object.keys(provider.subscriptionStatus().requested), ["BTCUSD"]);
});

Deno.test("WsVenueProvider refuses unsupported feeds, bad symbols and unlisted ones", async () => {
  const provider = new ToyProvider(new RecordingSink());
  const code = (expected: string, message?: RegExp) => (error: unknown) =>
    error instanceof VenueError && error.code === expected &&
    (message === undefined || message.test(error.message));
  await assert.rejects(
    provider.subscribe(["BTCUSD"], ["book"]),
    code("rejected", /feed "book" is not supported \(trades, bbo\)/),
  );
  await assert.rejects(provider.subscribe(["btc-usd"]), code("unknown_symbol"));
  await provider.discoverSymbols();
  await assert.rejects(provider.subscribe(["SOLUSD"]), code("unknown_symbol", /SOLUSD/));
  assert.deepEqual(provider.subscriptionStatus().requested, {});
});

Deno.test("WsVenueProvider drops frames nobody asked for and forgets refused feeds", async () => {
  const sink = new RecordingSink();
  const provider = new ToyProvider(sink);
  await provider.subscribe(["BTCUSD"], ["trades", "bbo"]);
  assert.equal(provider.lookup("BTCUSD", "trades"), "BTCUSD");
  assert.equal(provider.lookup("ETHUSD", "trades"), undefined);
  provider.refused("BTCUSD", "q", "no quotes today");
  assert.equal(provider.lookup("BTCUSD", "bbo"), undefined);
  assert.deepEqual(sink.drops, [
    { reason: "unknown_symbol", detail: { venue: "toy", id: "ETHUSD" } },
    { reason: "unexpected_message", detail: { venue: "toy", id: "BTCUSD", feed: "bbo" } },
  ]);
  assert.deepEqual(provider.subscriptionStatus().failed, { BTCUSD: "no quotes today" });
  provider.refused("BTCUSD", "t", "no trades either");
  assert.deepEqual(provider.subscriptionStatus(), {
    requested: {},
    active: [],
    failed: { BTCUSD: "no trades either" },
  });
  await provider.subscribe(["BTCUSD"]);
  assert.deepEqual(provider.subscriptionStatus().failed, {});
});
