/**
 * Kraken Futures symbol discovery: `GET {restUrl}/derivatives/api/v3/instruments`, keeping the
 * tradeable perpetuals of the provider's contract family that map to canonical symbols. Numbers
 * are read losslessly so tick sizes keep their exact text.
 * @module
 */
import { retry, type RetryOptions, VenueError, venueErrorFromStatus } from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { parseLossless } from "./parse.ts";
import { KRAKEN_FUTURES_VENUE, type KrakenFuturesSymbols } from "./symbols.ts";

/** Retry knobs for discovery requests (defaults: 3 attempts, 500 ms doubling to 10 s). */
export type DiscoveryRetryOptions = Omit<RetryOptions, "venue">;

/** The instruments JSON, numbers as text (through retry(); HTTP errors classified). */
export function fetchInstruments(
  restUrl: string,
  retryOptions?: DiscoveryRetryOptions,
): Promise<unknown> {
  const url = `${restUrl.replace(/\/+$/, "")}/derivatives/api/v3/instruments`;
  return retry(async () => {
    const response = await fetch(url);
    const text = await response.text();
    if (!response.ok) {
      throw venueErrorFromStatus(
        KRAKEN_FUTURES_VENUE,
        response.status,
        text === "" ? "empty body" : text,
        response.headers.get("Retry-After"),
      );
    }
    try {
      return parseLossless(text);
    } catch (error) {
      throw new VenueError("protocol", "instruments reply is not JSON", {
        venue: KRAKEN_FUTURES_VENUE,
        cause: error,
      });
    }
  }, { maxAttempts: 3, maxMs: 10_000, ...retryOptions, venue: KRAKEN_FUTURES_VENUE });
}

/**
 * The tradeable instruments of an instruments reply that `symbols` maps (its contract family);
 * records `contractValueTradePrecision` as the size scale when the venue gives one.
 */
export function parseInstruments(json: unknown, symbols: KrakenFuturesSymbols): DiscoveredSymbol[] {
  if (!isObject(json) || json.result !== "success" || !Array.isArray(json.instruments)) {
    const why = isObject(json) && typeof json.error === "string" ? json.error : "no instruments";
    throw new VenueError("protocol", `instruments reply: ${why}`, { venue: KRAKEN_FUTURES_VENUE });
  }
  const found: DiscoveredSymbol[] = [];
  for (const entry of json.instruments) {
    if (!isObject(entry) || entry.tradeable !== true || typeof entry.symbol !== "string") continue;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
