import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { RecordingSink, testdata } from "../testing.ts";
import { KrakenProvider } from "./client.ts";
import { fetchAssetPairs, parseAssetPairs } from "./discovery.ts";
import { startFakeKraken } from "./fake_server.ts";

const FAST = { initialMs: 5, maxMs: 20 };

Deno.test("documented AssetPairs reply -> BTCUSD from wsname XBT/USD with lot_decimals 8", () => {
  assert.deepEqual(parseAssetPairs(JSON.parse(testdata("kraken", "asset_pairs.json"))), [{
    symbol: "BTCUSD",
    venueSymbol: "BTC/USD",
    base: "BTC",
    quote: "USD",
    status: "online",
    tickSize: "0.1",
    sizeScale: 8,
  }]);
});

Deno.test("AssetPairs maps XBT and XDG in either position and skips pairs without wsname", () => {
  const body = {
    error: [],
    result: {
      XETHXXBT: { wsname: "ETH/XBT", status: "online", lot_decimals: 8, tick_size: "0.00001" },
      XXDGXXBT: { wsname: "XDG/XBT", status: "cancel_only", lot_decimals: 0 },
      "XXBTZUSD.d": { altname: "XBTUSD.d", status: "online" },
      BAD: { wsname: "NO-SLASH" },
    },
  };
  const found = parseAssetPairs(body);
  assert.deepEqual(found.map((s) => [s.symbol, s.venueSymbol, s.status, s.sizeScale]), [
    ["DOGEBTC", "DOGE/BTC", "cancel_only", 0],
    ["ETHBTC", "ETH/BTC", "online", 8],
  ]);
});

Deno.test("a non-empty AssetPairs error array is a VenueError", () => {
  assert.throws(
    () => parseAssetPairs({ error: ["EQuery:Unknown asset pair"] }),
    (e) => e instanceof VenueError && e.code === "rejected" && /Unknown asset pair/.test(e.message),
  );
  assert.throws(
    () => parseAssetPairs({ error: ["EService:Unavailable"] }),
    (e) => e instanceof VenueError && e.code === "server",
  );
  assert.throws(() => parseAssetPairs([]), (e) => e instanceof VenueError);
});

Deno.test("discoverSymbols() lists the fake's pairs and teaches the normalizer", async () => {
  const fake = await startFakeKraken();
  try {
    const sink = new RecordingSink();
    const provider = new KrakenProvider({ wsUrl: fake.wsUrl, restUrl: fake.restUrl, sink });
    const symbols = await provider.discoverSymbols();
    assert.deepEqual(symbols.map((s) => [s.symbol, s.venueSymbol, s.tickSize, s.sizeScale]), [
      ["BTCUSD", "BTC/USD", "0.1", 8],
      ["DOGEUSD", "DOGE/USD", "0.0000001", 8],
      ["ETHUSD", "ETH/USD", "0.01", 8],
      ["SOLUSD", "SOL/USD", "0.01", 8],
    ]);
    assert.equal(provider.normalizer.toVenue("DOGEUSD"), "DOGE/USD");
  } finally {
    await fake.close();
  }
});

Deno.test("discovery retries a 503 and surfaces errors and HTTP failures", async () => {
  const fake = await startFakeKraken();
  const broken = await startFakeKraken({
    assetPairsBody: `{"error":["EGeneral:Invalid arguments"]}`,
  });
  try {
    fake.restFailures = 1;
    const found = await fetchAssetPairs({ restUrl: fake.restUrl, backoff: FAST });
    assert.equal(found.length, 4);
    assert.equal(fake.restFailures, 0);
    fake.restFailures = 5;
    await assert.rejects(
      fetchAssetPairs({ restUrl: fake.restUrl, backoff: FAST, maxAttempts: 2 }),
      (e) => e instanceof VenueError && e.code === "server" && /503/.test(e.message),
    );
    fake.restFailures = 0;
    await assert.rejects(
      fetchAssetPairs({ restUrl: broken.restUrl, backoff: FAST }),
      (e) =>
        e instanceof VenueError && e.code === "rejected" && /Invalid arguments/.test(e.message),
    );
    await assert.rejects(
      fetchAssetPairs({ restUrl: `${fake.restUrl}/nowhere`, backoff: FAST }),
      (e) => e instanceof VenueError && e.code === "rejected" && /404/.test(e.message),
    );
  } finally {
    await fake.close();
    await broken.close();
  }
});
