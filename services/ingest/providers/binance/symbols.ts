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
import type { Instrument, InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import {
  registerVenueSymbols,
  splitPair,
  type SymbolNormalizer,
  VenueError,
} from "@shared/venue/mod.ts";
import { validateSymbol } from "@shared/domain/mod.ts";

/** The venue's name in errors, logs and config. */
export const BINANCE_VENUE = "binance";
/** Exchange stored with every Binance tick. */
export const BINANCE_EXCHANGE = "BINANCE";
/** Size scale used when discovery has not seen a symbol's lot step. */
export const BINANCE_DEFAULT_SIZE_SCALE = 8;

const VENUE_SYMBOL = /^[A-Z0-9]{2,20}$/;

/** Canonical <-> Binance symbols, with the size scales learnt from discovery. */
export class BinanceSymbols implements SymbolNormalizer {
  readonly venue = BINANCE_VENUE;
  readonly #sizeScales = new Map<string, number>();

  /** `BINANCE`. */
  exchangeName(): string {
    return BINANCE_EXCHANGE;
  }

  /** `BTCUSDT` -> `BTCUSD`, `ETHBTC` -> `ETHBTC`; unknown_symbol when no known quote fits. */
  toCanonical(venueSymbol: string): string {
    const symbol = venueSymbol.toUpperCase();
    if (!VENUE_SYMBOL.test(symbol)) throw unknown(venueSymbol, "not a Binance spot symbol");
    const { base, quote } = splitPair(symbol, BINANCE_VENUE);
    if (quote === "USD") throw unknown(venueSymbol, "Binance spot lists no USD quote");
    const canonical = quote === "USDT" ? `${base}USD` : symbol;
    return checked(canonical);
  }

  /** `BTCUSD` -> `BTCUSDT`, `ETHBTC` -> `ETHBTC`; unknown_symbol for `...USDT` and unsplittable. */
  toVenue(canonical: string): string {
    checked(canonical);
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

  /** Remembers a discovered lot step's scale for `canonical`. */
  setSizeScale(canonical: string, sizeScale: number): void {
    this.#sizeScales.set(canonical, sizeScale);
  }

  /** The size scale of `canonical` (see the module doc for the rule). */
  sizeScale(canonical: string): number {
    return this.#sizeScales.get(canonical) ?? BINANCE_DEFAULT_SIZE_SCALE;
  }

  /** Registers each symbol on `BINANCE` with its venue symbol and size scale. */
  registerSymbols(
    symbols: readonly string[],
    registry: InstrumentRegistry,
  ): Promise<Map<string, Instrument>> {
    return registerVenueSymbols(this, symbols, registry, (symbol) => this.sizeScale(symbol));
  }
}

function checked(canonical: string): string {
  try {
    return validateSymbol(canonical);
  } catch (error) {
    throw new VenueError("unknown_symbol", (error as Error).message, {
      venue: BINANCE_VENUE,
      cause: error,
    });
  }
}

function unknown(symbol: string, why: string): VenueError {
  return new VenueError(
    "unknown_symbol",
    `no Binance symbol for ${JSON.stringify(symbol)}: ${why}`,
    {
      venue: BINANCE_VENUE,
    },
  );
}
