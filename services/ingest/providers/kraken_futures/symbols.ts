/**
 * Kraken Futures symbology. A canonical USD pair maps to the configured perpetual: the inverse
 * `PI_` contract by default (`BTCUSD` <-> `PI_XBTUSD`), or the linear multi-collateral `PF_`
 * contract (`PF_XBTUSD`) with `contract: "PF"`. Bitcoin is `XBT` on the venue, `BTC` canonically.
 * Fixed maturities (`FI_...`) and the other contract family are not mapped.
 *
 * Size scale rule: `PI_` sizes are whole contracts (scale 0); `PF_` sizes are base-currency amounts
 * with up to 4 decimals (scale 4). Discovery's `contractValueTradePrecision`, when present,
 * overrides the rule for that symbol.
 * @module
 */
import { checkCanonical, splitPair, VenueError, VenueSymbols } from "@shared/venue/mod.ts";

/** The venue's name in errors, logs and config. */
export const KRAKEN_FUTURES_VENUE = "kraken_futures";
/** Exchange stored with every Kraken Futures tick. */
export const KRAKEN_FUTURES_EXCHANGE = "KRAKEN_FUTURES";

/** The perpetual family a provider streams: inverse (`PI_`) or linear multi-collateral (`PF_`). */
export type KrakenFuturesContract = "PI" | "PF";

/** Default size scale per contract family (see the module doc). */
export const KRAKEN_FUTURES_SIZE_SCALE: Readonly<Record<KrakenFuturesContract, number>> = {
  PI: 0,
  PF: 4,
};

const PRODUCT = /^(PI|PF|FI|FF)_([A-Z0-9]+)USD(?:_\d+)?$/;

/** Canonical <-> Kraken Futures product ids for one contract family. */
export class KrakenFuturesSymbols extends VenueSymbols {
  readonly contract: KrakenFuturesContract;

  constructor(contract: KrakenFuturesContract = "PI") {
    super(KRAKEN_FUTURES_VENUE, KRAKEN_FUTURES_EXCHANGE, KRAKEN_FUTURES_SIZE_SCALE[contract]);
    this.contract = contract;
  }

  /** `PI_XBTUSD` (or `pi_xbtusd`) -> `BTCUSD`; unknown_symbol for other families. */
  toCanonical(venueSymbol: string): string {
    const match = PRODUCT.exec(venueSymbol.toUpperCase());
    if (match === null || match[0] !== `${match[1]}_${match[2]}USD`) {
      throw unknown(venueSymbol, "not a perpetual USD product id");
    }
    if (match[1] !== this.contract) {
      throw unknown(venueSymbol, `this provider streams ${this.contract}_ contracts`);
    }
    const base = match[2] === "XBT" ? "BTC" : match[2]!;
    return checkCanonical(`${base}USD`, KRAKEN_FUTURES_VENUE);
  }

  /** `BTCUSD` -> `PI_XBTUSD` (or `PF_XBTUSD`); unknown_symbol unless quoted in USD. */
  toVenue(canonical: string): string {
    checkCanonical(canonical, KRAKEN_FUTURES_VENUE);
    const { base, quote } = splitPair(canonical, KRAKEN_FUTURES_VENUE);
    if (quote !== "USD") throw unknown(canonical, "Kraken Futures perpetuals are quoted in USD");
    if (base === "XBT") throw unknown(canonical, "canonical symbols use BTC for XBT");
    return `${this.contract}_${base === "BTC" ? "XBT" : base}USD`;
  }
}

function unknown(symbol: string, why: string): VenueError {
  const message = `no Kraken Futures product for ${JSON.stringify(symbol)}: ${why}`;
  return new VenueError("unknown_symbol", message, { venue: KRAKEN_FUTURES_VENUE });
}
