import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import { openFreshPglite } from "@shared/storage/testing.ts";
import { BinanceSymbols } from "./symbols.ts";

function isUnknownSymbol(error: unknown): boolean {
  return error instanceof VenueError && error.code === "unknown_symbol";
}

Deno.test("BinanceSymbols maps USD to USDT and keeps other quotes", () => {
  const symbols = new BinanceSymbols();
  assert.equal(symbols.exchangeName(), "BINANCE");
  assert.equal(symbols.toVenue("BTCUSD"), "BTCUSDT");
  assert.equal(symbols.toVenue("ETHBTC"), "ETHBTC");
  assert.equal(symbols.toVenue("BTCUSDC"), "BTCUSDC");
  assert.equal(symbols.toCanonical("BTCUSDT"), "BTCUSD");
  assert.equal(symbols.toCanonical("btcusdt"), "BTCUSD");
  assert.equal(symbols.toCanonical("ETHBTC"), "ETHBTC");
  assert.equal(symbols.streamSymbol("BTCUSD"), "btcusdt");
});

Deno.test("BinanceSymbols refuses canonical USDT pairs and symbols without a known quote", () => {
  const symbols = new BinanceSymbols();
  assert.throws(() => symbols.toVenue("BTCUSDT"), isUnknownSymbol);
  assert.throws(() => symbols.toVenue("FOOBAR"), isUnknownSymbol);
  assert.throws(() => symbols.toVenue("btcusd"), isUnknownSymbol);
  assert.throws(() => symbols.toCanonical("BNBTRY"), isUnknownSymbol);
  assert.throws(() => symbols.toCanonical("BTC/USDT"), isUnknownSymbol);
});

Deno.test("BinanceSymbols size scale: discovered lot step decimals, else 8", async () => {
  const symbols = new BinanceSymbols();
  assert.equal(symbols.sizeScale("BTCUSD"), 8);
  symbols.setSizeScale("BTCUSD", 5);
  assert.equal(symbols.sizeScale("BTCUSD"), 5);
  const store = await openFreshPglite(undefined);
  try {
    const registry = new InstrumentRegistry(store);
    const instruments = await symbols.registerSymbols(["BTCUSD", "ETHBTC"], registry);
    assert.equal(instruments.get("BTCUSD")?.exchange, "BINANCE");
    assert.equal(instruments.get("BTCUSD")?.venueSymbol, "BTCUSDT");
    assert.equal(instruments.get("BTCUSD")?.sizeScale, 5);
    assert.equal(instruments.get("ETHBTC")?.sizeScale, 8);
  } finally {
    await store.close();
  }
});
