import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { KrakenFuturesProvider, type KrakenFuturesProviderOptions } from "./client.ts";
import { parseInstruments, parseLossless } from "./mod.ts";
import { startFakeKrakenFutures } from "./fake_server.ts";
import { KrakenFuturesSymbols } from "./symbols.ts";
import { fakeVenuePair } from "../testing.ts";

function setup(options: Partial<KrakenFuturesProviderOptions> = {}) {
  return fakeVenuePair(
    startFakeKrakenFutures(),
    (base) => new KrakenFuturesProvider({ ...base, ...options }),
  );
}

Deno.test("discoverSymbols() lists the tradeable PI_ perpetuals with exact tick sizes", async () => {
  await using t = await setup();
  const { fake, provider } = t;
  assert.deepEqual(await provider.discoverSymbols(), [
    {
      symbol: "BTCUSD",
      venueSymbol: "PI_XBTUSD",
      base: "BTC",
      quote: "USD",
      status: "tradeable",
      tickSize: "0.5",
      sizeScale: 0,
      lotStep: "1",
    },
    {
      symbol: "ETHUSD",
      venueSymbol: "PI_ETHUSD",
      base: "ETH",
      quote: "USD",
      status: "tradeable",
      tickSize: "0.05",
      sizeScale: 0,
      lotStep: "1",
    },
  ]);
  assert.deepEqual(fake.restRequests, ["/derivatives/api/v3/instruments"]);
});

Deno.test("discoverSymbols() with contract PF takes the venue's trade precision as size scale", async () => {
  await using t = await setup({ contract: "PF" });
  const { provider } = t;
  const found = await provider.discoverSymbols();
  assert.deepEqual(
    found.map((s) => [s.symbol, s.venueSymbol, s.tickSize, s.sizeScale, s.lotStep]),
    [
      ["BTCUSD", "PF_XBTUSD", "1", 4, "0.0001"],
      ["ETHUSD", "PF_ETHUSD", "0.1", 3, "0.001"],
    ],
  );
  assert.equal(provider.normalizer.sizeScale("ETHUSD"), 3);
});

Deno.test("parseInstruments() reads the documented shape and rejects an error reply", () => {
  const json = parseLossless(
    `{"result":"success","instruments":[{"symbol":"pi_xbtusd","type":"futures_inverse",` +
      `"tradeable":true,"tickSize":0.50,"contractSize":1}]}`,
  );
  const found = parseInstruments(json, new KrakenFuturesSymbols());
  assert.equal(found[0]?.venueSymbol, "PI_XBTUSD");
  assert.equal(found[0]?.tickSize, "0.50");
  assert.throws(
    () =>
      parseInstruments({ result: "error", error: "apiLimitExceeded" }, new KrakenFuturesSymbols()),
    (error: unknown) => error instanceof VenueError && /apiLimitExceeded/.test(error.message),
  );
});

Deno.test("discoverSymbols() retries a 429 and classifies a 503 as a server error", async () => {
  await using t = await setup({ discoveryRetry: { maxAttempts: 2, initialMs: 1, maxMs: 20 } });
  const { fake, provider } = t;
  fake.failRest(429, { retryAfter: "0" });
  assert.equal((await provider.discoverSymbols()).length, 2);
  fake.failRest(503, { times: 2, body: "maintenance" });
  await assert.rejects(provider.discoverSymbols(), (error: unknown) => {
    assert.ok(error instanceof VenueError);
    assert.equal(error.code, "server");
    assert.match(error.message, /HTTP 503: maintenance/);
    return true;
  });
  assert.equal(fake.restRequests.length, 4);
});
