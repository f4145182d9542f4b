import assert from "node:assert/strict";
import { checkCanonical, VenueSymbols } from "./venue_symbols.ts";
import { VenueError } from "./venue_error.ts";

class UpperSymbols extends VenueSymbols {
  toCanonical(venueSymbol: string): string {
    return checkCanonical(venueSymbol.toUpperCase(), "upper");
  }
  toVenue(canonical: string): string {
    return checkCanonical(canonical, "upper").toLowerCase();
  }
}

Deno.test("checkCanonical() returns a canonical symbol and refuses others as unknown_symbol", () => {
  assert.equal(checkCanonical("BTCUSD", "binance"), "BTCUSD");
  assert.throws(
    () => checkCanonical("btc-usd", "binance"),
    (error: unknown) =>
      error instanceof VenueError && error.code === "unknown_symbol" &&
      error.venue === "binance" && /invalid symbol "btc-usd"/.test(error.message),
  );
});

Deno.test("VenueSymbols keeps its names and prefers a learnt size scale over the default", () => {
  const symbols = new UpperSymbols("upper", "UPPER", 6);
  assert.equal(symbols.venue, "upper");
  assert.equal(symbols.exchangeName(), "UPPER");
  assert.equal(symbols.sizeScale("BTCUSD"), 6);
  symbols.setSizeScale("BTCUSD", 2);
  assert.equal(symbols.sizeScale("BTCUSD"), 2);
  assert.equal(symbols.sizeScale("ETHUSD"), 6);
});
