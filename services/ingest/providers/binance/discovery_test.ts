import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { BinanceProvider, type BinanceProviderOptions } from "./client.ts";
import { parseExchangeInfo } from "./discovery.ts";
import { startFakeBinance } from "./fake_server.ts";
import { BinanceSymbols } from "./symbols.ts";
import { fakeVenuePair, testdata } from "../testing.ts";

function setup(options: Partial<BinanceProviderOptions> = {}) {
  return fakeVenuePair(startFakeBinance(), (base) => new BinanceProvider({ ...base, ...options }));
}

Deno.test("parseExchangeInfo() reads the documented exchangeInfo example", async () => {
  const symbols = new BinanceSymbols();
  const found = parseExchangeInfo(
    JSON.parse(await testdata("binance", "exchange_info.json")),
    symbols,
  );
  assert.deepEqual(found, [{
    symbol: "ETHBTC",
    venueSymbol: "ETHBTC",
    base: "ETH",
    quote: "BTC",
    status: "TRADING",
    tickSize: "0.00000100",
    lotStep: "0.00100000",
    sizeScale: 3,
  }]);
  assert.equal(symbols.sizeScale("ETHBTC"), 3);
});

Deno.test("parseExchangeInfo() skips symbols not TRADING and quotes it cannot map", () => {
  const json = {
    symbols: [
      { symbol: "BTCUSDT", status: "BREAK", baseAsset: "BTC", quoteAsset: "USDT" },
      { symbol: "BNBTRY", status: "TRADING", baseAsset: "BNB", quoteAsset: "TRY" },
      { symbol: "SOLUSDT", status: "TRADING", baseAsset: "SOL", quoteAsset: "USDT" },
    ],
  };
  const found = parseExchangeInfo(json, new BinanceSymbols());
  assert.deepEqual(found, [{
    symbol: "SOLUSD",
    venueSymbol: "SOLUSDT",
    base: "SOL",
    quote: "USD",
    status: "TRADING",
  }]);
  assert.throws(() => parseExchangeInfo({ nope: 1 }, new BinanceSymbols()), VenueError);
});

Deno.test("discoverSymbols() lists the fake's symbols with canonical names and lot scales", async () => {
  await using t = await setup();
  const { fake, provider } = t;
  const found = await provider.discoverSymbols();
  assert.deepEqual(found.map((s) => [s.symbol, s.venueSymbol, s.sizeScale, s.tickSize]), [
    ["BTCUSD", "BTCUSDT", 5, "0.01000000"],
    ["ETHUSD", "ETHUSDT", 4, "0.01000000"],
    ["SOLUSD", "SOLUSDT", 3, "0.01000000"],
    ["ETHBTC", "ETHBTC", 4, "0.00001000"],
  ]);
  assert.equal(provider.normalizer.sizeScale("SOLUSD"), 3);
  const one = await provider.discoverSymbols(["BTCUSDT"]);
  assert.deepEqual(one.map((s) => s.symbol), ["BTCUSD"]);
  assert.deepEqual(fake.restRequests, [
    "/api/v3/exchangeInfo",
    "/api/v3/exchangeInfo?symbols=%5B%22BTCUSDT%22%5D",
  ]);
  await assert.rejects(provider.discoverSymbols(["FOOUSDT"]), (error: unknown) => {
    assert.ok(error instanceof VenueError);
    assert.equal(error.code, "rejected");
    assert.match(error.message, /HTTP 400: code -1121: Invalid symbol\./);
    return true;
  });
});

Deno.test("discoverSymbols() retries a 429 and reports a 418 ban with its Retry-After", async () => {
  await using t = await setup({ discoveryRetry: { maxAttempts: 2, initialMs: 1, maxMs: 20 } });
  const { fake, provider } = t;
  fake.failRest(429, { retryAfter: "0" });
  assert.equal((await provider.discoverSymbols()).length, 4);
  assert.equal(fake.restRequests.length, 2);
  fake.failRest(418, { retryAfter: "7", times: 2, body: `{"code":-1003,"msg":"Way too many."}` });
  await assert.rejects(provider.discoverSymbols(), (error: unknown) => {
    assert.ok(error instanceof VenueError);
    assert.equal(error.code, "banned");
    assert.equal(error.retryAfterMs, 7000);
    return true;
  });
  assert.equal(fake.restRequests.length, 4);
});
