/**
 * Binance symbology. Canonical pairs quoted in USD trade against USDT on Binance (`BTCUSD` <->
 * `BTCUSDT`); pairs with any other known quote keep their name (`ETHBTC`, `BTCUSDC`). A canonical
 * pair quoted in USDT is refused: it would come back as `...USD`. Stream names use the lowercase
 * venue symbol (`btcusdt@trade`).
 *
 * Size scale rule: the number of decimals of the symbol's `LOT_SIZE.stepSize` when discovery has
 * seen it (`"0.00001000"` -> 5), else 8 (Binance's usual base asset precision).
 * @module
 */
import { checkCanonical, splitPair, VenueError, VenueSymbols } from "@shared/venue/mod.ts";

/** The venue's name in errors, logs and config. */
export const BINANCE_VENUE = "binance";
/** Exchange stored with every Binance tick. */
export const BINANCE_EXCHANGE = "BINANCE";
/** Size scale used when discovery has not seen a symbol's lot step. */
export const BINANCE_DEFAULT_SIZE_SCALE = 8;

const VENUE_SYMBOL = /^[A-Z0-9]{2,20}$/;

/** Canonical <-> Binance symbols, with the size scales learnt from discovery. */
export class BinanceSymbols extends VenueSymbols {
  constructor() {
    super(BINANCE_VENUE, BINANCE_EXCHANGE, BINANCE_DEFAULT_SIZE_SCALE);
  }

  /** `BTCUSDT` -> `BTCUSD`, `ETHBTC` -> `ETHBTC`; unknown_symbol when no known quote fits. */
  toCanonical(venueSymbol: string): string {
    const symbol = venueSymbol.toUpperCase();
    if (!VENUE_SYMBOL.test(symbol)) throw unknown(venueSymbol, "not a Binance spot symbol");
    const { base, quote } = splitPair(symbol, BINANCE_VENUE);
    if (quote === "USD") throw unknown(venueSymbol, "Binance spot lists no USD quote");
    const canonical = quote === "USDT" ? `${base}USD` : symbol;
    return checkCanonical(canonical, BINANCE_VENUE);
  }

  /** `BTCUSD` -> `BTCUSDT`, `ETHBTC` -> `ETHBTC`; unknown_symbol for `...USDT` and unsplittable. */
  toVenue(canonical: string): string {
    checkCanonical(canonical, BINANCE_VENUE);
    const { base, quote } = splitPair(canonical, BINANCE_VENUE);
    if (quote === "USDT") {
      throw unknown(canonical, `canonical pairs use USD for USDT; use ${base}USD`);
    }
    return quote === "USD" ? `${base}USDT` : canonical;
  }

  /** The lowercase stream symbol (`btcusdt`). */
  streamSymbol(canonical: string): string {
    return this.toVenue(canonical).toLowerCase();
  }
}

function unknown(symbol: string, why: string): VenueError {
  const message = `no Binance symbol for ${JSON.stringify(symbol)}: ${why}`;
  return new VenueError("unknown_symbol", message, { venue: BINANCE_VENUE });
}
