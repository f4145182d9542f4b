/**
 * Kraken Spot symbology: canonical `BTCUSD` <-> WS v2 `BTC/USD`. REST AssetPairs and WS v1 write
 * legacy codes (`XBT/USD`, `XDG/USD`); those are mapped to the v2 codes (`BTC`, `DOGE`) in both
 * the base and the quote position when read.
 *
 * Size scale rule: a symbol's quantity scale is the `lot_decimals` that discovery reported for it;
 * without discovery it is 8, Kraken's `qty_precision` for crypto pairs (BTC/USD: 8).
 * @module
 */
import {
  checkCanonical,
  type Pair,
  splitPair,
  VenueError,
  VenueSymbols,
} from "@shared/venue/mod.ts";

/** The venue name Kraken Spot uses in logs, errors and configs. */
export const KRAKEN_VENUE = "kraken";
/** The exchange stored with Kraken Spot ticks. */
export const KRAKEN_EXCHANGE = "KRAKEN";
/** Quantity scale when discovery gave none (Kraken's qty_precision for crypto pairs). */
export const DEFAULT_SIZE_SCALE = 8;

/** Legacy (REST / WS v1) asset codes and their WS v2 names. */
export const LEGACY_ASSETS: Readonly<Record<string, string>> = { XBT: "BTC", XDG: "DOGE" };

const CODE_REGEXP = /^[A-Z0-9]{1,16}$/;

/** What discovery taught the normalizer about one pair. */
export interface KrakenPairInfo {
  /** Canonical (`BTCUSD`). */
  symbol: string;
  /** WS v2 name (`BTC/USD`). */
  venueSymbol: string;
  /** Decimal places of the quantity (`lot_decimals`). */
  sizeScale?: number;
}

/** A legacy or v2 asset code in its v2 form (`XBT` -> `BTC`). */
export function v2Asset(code: string): string {
  return LEGACY_ASSETS[code] ?? code;
}

/** Converts between canonical symbols and Kraken WS v2 pair names. */
export class KrakenSymbols extends VenueSymbols {
  readonly #toVenue = new Map<string, string>();

  /** Starts empty (split by quote currency) or with pairs learned from discovery. */
  constructor(pairs: readonly KrakenPairInfo[] = []) {
    super(KRAKEN_VENUE, KRAKEN_EXCHANGE, DEFAULT_SIZE_SCALE);
    this.learn(pairs);
  }

  /** Remembers discovered pairs: their v2 names (for quotes splitPair does not know) and scales. */
  learn(pairs: readonly KrakenPairInfo[]): void {
    for (const pair of pairs) {
      this.#toVenue.set(pair.symbol, pair.venueSymbol);
      if (pair.sizeScale !== undefined) this.setSizeScale(pair.symbol, pair.sizeScale);
    }
  }

  /** `BTC/USD` (or v1 `XBT/USD`) -> `BTCUSD`; throws VenueError `unknown_symbol`. */
  toCanonical(venueSymbol: string): string {
    const pair = this.parseVenue(venueSymbol);
    return pair.base + pair.quote;
  }

  /** Base and quote of a v2 or v1 pair name, in v2 codes; throws VenueError `unknown_symbol`. */
  parseVenue(venueSymbol: string): Pair {
    const parts = venueSymbol.split("/");
    if (parts.length !== 2 || !parts.every((part) => CODE_REGEXP.test(part))) {
      throw new VenueError(
        "unknown_symbol",
        `cannot map ${JSON.stringify(venueSymbol)}: expected BASE/QUOTE (e.g. BTC/USD)`,
        { venue: KRAKEN_VENUE },
      );
    }
    return { base: v2Asset(parts[0]!), quote: v2Asset(parts[1]!) };
  }

  /** `BTCUSD` -> `BTC/USD`; throws VenueError `unknown_symbol`. */
  toVenue(canonical: string): string {
    const known = this.#toVenue.get(canonical);
    if (known !== undefined) return known;
    checkCanonical(canonical, KRAKEN_VENUE);
    const { base, quote } = splitPair(canonical, KRAKEN_VENUE);
    return `${base}/${quote}`;
  }
}
