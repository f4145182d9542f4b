import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import { openFreshPglite } from "@shared/storage/testing.ts";
import { KrakenFuturesSymbols } from "./symbols.ts";

function isUnknownSymbol(error: unknown): boolean {
  return error instanceof VenueError && error.code === "unknown_symbol";
}

Deno.test("KrakenFuturesSymbols maps BTCUSD to the inverse perpetual PI_XBTUSD by default", () => {
  const symbols = new KrakenFuturesSymbols();
  assert.equal(symbols.exchangeName(), "KRAKEN_FUTURES");
  assert.equal(symbols.toVenue("BTCUSD"), "PI_XBTUSD");
  assert.equal(symbols.toVenue("ETHUSD"), "PI_ETHUSD");
  assert.equal(symbols.toCanonical("PI_XBTUSD"), "BTCUSD");
  assert.equal(symbols.toCanonical("pi_xbtusd"), "BTCUSD");
  assert.equal(symbols.sizeScale("BTCUSD"), 0);
  assert.throws(() => symbols.toCanonical("PF_XBTUSD"), isUnknownSymbol);
  assert.throws(() => symbols.toCanonical("FI_XBTUSD_180615"), isUnknownSymbol);
  assert.throws(() => symbols.toVenue("ETHBTC"), isUnknownSymbol);
  assert.throws(() => symbols.toVenue("XBTUSD"), isUnknownSymbol);
  assert.throws(() => symbols.toVenue("FOOBAR"), isUnknownSymbol);
});

Deno.test("KrakenFuturesSymbols with contract PF maps to linear PF_ products, size scale 4", () => {
  const symbols = new KrakenFuturesSymbols("PF");
  assert.equal(symbols.toVenue("BTCUSD"), "PF_XBTUSD");
  assert.equal(symbols.toCanonical("PF_XBTUSD"), "BTCUSD");
  assert.throws(() => symbols.toCanonical("PI_XBTUSD"), isUnknownSymbol);
  assert.equal(symbols.sizeScale("BTCUSD"), 4);
  symbols.setSizeScale("ETHUSD", 3);
  assert.equal(symbols.sizeScale("ETHUSD"), 3);
});

Deno.test("KrakenFuturesSymbols registers instruments with product id and size scale", async () => {
  const store = await openFreshPglite(undefined);
  try {
    const registry = new InstrumentRegistry(store);
    const instruments = await new KrakenFuturesSymbols("PF").registerSymbols(["BTCUSD"], registry);
    const btc = instruments.get("BTCUSD");
    assert.equal(btc?.exchange, "KRAKEN_FUTURES");
    assert.equal(btc?.venueSymbol, "PF_XBTUSD");
    assert.equal(btc?.sizeScale, 4);
  } finally {
    await store.close();
  }
});
