import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { DEFAULT_SIZE_SCALE, KrakenSymbols } from "./symbols.ts";

Deno.test("KrakenSymbols maps canonical BTCUSD to and from v2 BTC/USD", () => {
  const symbols = new KrakenSymbols();
  assert.equal(symbols.toVenue("BTCUSD"), "BTC/USD");
  assert.equal(symbols.toVenue("ETHBTC"), "ETH/BTC");
  assert.equal(symbols.toVenue("DOGEUSD"), "DOGE/USD");
  assert.equal(symbols.toCanonical("BTC/USD"), "BTCUSD");
  assert.equal(symbols.exchangeName(), "KRAKEN");
  assert.equal(symbols.venue, "kraken");
});

Deno.test("legacy XBT and XDG map to BTC and DOGE in base and quote", () => {
  const symbols = new KrakenSymbols();
  assert.equal(symbols.toCanonical("XBT/USD"), "BTCUSD");
  assert.equal(symbols.toCanonical("ETH/XBT"), "ETHBTC");
  assert.equal(symbols.toCanonical("XDG/USD"), "DOGEUSD");
  assert.equal(symbols.toCanonical("XDG/XBT"), "DOGEBTC");
});

Deno.test("unmappable symbols throw VenueError unknown_symbol both ways", () => {
  const symbols = new KrakenSymbols();
  for (const bad of ["BTCUSD", "BTC-USD", "BTC/USD/EUR", "/USD", "btc/usd"]) {
    assert.throws(
      () => symbols.toCanonical(bad),
      (e) => e instanceof VenueError && e.code === "unknown_symbol",
      bad,
    );
  }
  for (const bad of ["FOO", "USD", "btcusd", ""]) {
    assert.throws(
      () => symbols.toVenue(bad),
      (e) => e instanceof VenueError && e.code === "unknown_symbol",
      bad,
    );
  }
});

Deno.test("size scale is 8 unless discovery reported lot_decimals; learned names win", () => {
  const symbols = new KrakenSymbols();
  assert.equal(DEFAULT_SIZE_SCALE, 8);
  assert.equal(symbols.sizeScale("BTCUSD"), 8);
  symbols.learn([
    { symbol: "SOLUSD", venueSymbol: "SOL/USD", sizeScale: 6 },
    { symbol: "ETHPYUSD", venueSymbol: "ETH/PYUSD" },
  ]);
  assert.equal(symbols.sizeScale("SOLUSD"), 6);
  assert.equal(symbols.toVenue("ETHPYUSD"), "ETH/PYUSD");
  assert.equal(symbols.toCanonical("ETH/PYUSD"), "ETHPYUSD");
});

Deno.test("registerSymbols() registers on KRAKEN with the v2 name and the size scale", async () => {
  const calls: unknown[] = [];
  const registry = {
    getOrCreate: (symbol: string, exchange: string, extra: unknown) => {
      calls.push({ symbol, exchange, extra });
      return Promise.resolve({ symbol, exchange });
    },
  };
  const symbols = new KrakenSymbols([{ symbol: "SOLUSD", venueSymbol: "SOL/USD", sizeScale: 6 }]);
  // deno-lint-ignore no-explicit-any
  const result = await symbols.registerSymbols(["BTCUSD", "SOLUSD"], registry as any);
  assert.equal(result.size, 2);
  assert.deepEqual(calls, [
    { symbol: "BTCUSD", exchange: "KRAKEN", extra: { venueSymbol: "BTC/USD", sizeScale: 8 } },
    { symbol: "SOLUSD", exchange: "KRAKEN", extra: { venueSymbol: "SOL/USD", sizeScale: 6 } },
  ]);
});
