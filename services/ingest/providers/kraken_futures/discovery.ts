/**
 * Kraken Futures symbol discovery: `GET {restUrl}/derivatives/api/v3/instruments`, keeping the
 * tradeable perpetuals of the provider's contract family that map to canonical symbols. Numbers
 * are read losslessly so tick sizes keep their exact text.
 * @module
 */
import { VenueError } from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { isRecord } from "../_json.ts";
import { type DiscoveryRetryOptions, fetchDiscoveryJson } from "../_discovery_fetch.ts";
import { parseLossless } from "./parse.ts";
import { KRAKEN_FUTURES_VENUE, type KrakenFuturesSymbols } from "./symbols.ts";

export type { DiscoveryRetryOptions };

/** The instruments JSON, numbers as text (through retry(); HTTP errors classified). */
export function fetchInstruments(
  restUrl: string,
  retryOptions?: DiscoveryRetryOptions,
): Promise<unknown> {
  return fetchDiscoveryJson(`${restUrl.replace(/\/+$/, "")}/derivatives/api/v3/instruments`, {
    venue: KRAKEN_FUTURES_VENUE,
    what: "instruments reply",
    parse: parseLossless,
    retry: retryOptions,
  });
}

/**
 * The tradeable instruments of an instruments reply that `symbols` maps (its contract family);
 * records `contractValueTradePrecision` as the size scale when the venue gives one.
 */
export function parseInstruments(json: unknown, symbols: KrakenFuturesSymbols): DiscoveredSymbol[] {
  if (!isRecord(json) || json.result !== "success" || !Array.isArray(json.instruments)) {
    const why = isRecord(json) && typeof json.error === "string" ? json.error : "no instruments";
    throw new VenueError("protocol", `instruments reply: ${why}`, { venue: KRAKEN_FUTURES_VENUE });
  }
  const found: DiscoveredSymbol[] = [];
  for (const entry of json.instruments) {
    if (!isRecord(entry) || entry.tradeable !== true || typeof entry.symbol !== "string") continue;
    const venueSymbol = entry.symbol.toUpperCase();
    let canonical: string;
    try {
      canonical = symbols.toCanonical(venueSymbol);
    } catch {
      continue; // another contract family, a fixed maturity, or an unmapped base
    }
    const discovered: DiscoveredSymbol = {
      symbol: canonical,
      venueSymbol,
      base: canonical.slice(0, -3),
      quote: "USD",
      status: "tradeable",
    };
    if (typeof entry.tickSize === "string") discovered.tickSize = entry.tickSize;
    const precision = entry.contractValueTradePrecision;
    const scale = typeof precision === "string" && /^\d$/.test(precision)
      ? Number(precision)
      : symbols.sizeScale(canonical);
    discovered.sizeScale = scale;
    discovered.lotStep = scale === 0 ? "1" : `0.${"0".repeat(scale - 1)}1`;
    symbols.setSizeScale(canonical, scale);
    found.push(discovered);
  }
  return found;
}
