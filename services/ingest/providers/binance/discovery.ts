/**
 * Binance symbol discovery: `GET {restUrl}/api/v3/exchangeInfo`, keeping symbols with status
 * `TRADING` whose names map to canonical symbols; tick size from `PRICE_FILTER.tickSize`, lot step
 * from `LOT_SIZE.stepSize` (its decimals are the size scale).
 * @module
 */
import { scaleOfStep, VenueError } from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { isRecord } from "../_json.ts";
import {
  bodyOrEmpty,
  type DiscoveryRetryOptions,
  fetchDiscoveryJson,
} from "../_discovery_fetch.ts";
import { BINANCE_VENUE, type BinanceSymbols } from "./symbols.ts";

export type { DiscoveryRetryOptions };

/** Options of {@linkcode fetchExchangeInfo}. */
export interface FetchExchangeInfoOptions {
  /** Venue symbols to ask for (`symbols=[...]`); all when absent. */
  symbols?: readonly string[];
  retry?: DiscoveryRetryOptions;
}

/** The exchangeInfo JSON (through retry(); HTTP errors become classified VenueErrors). */
export function fetchExchangeInfo(
  restUrl: string,
  options: FetchExchangeInfoOptions = {},
): Promise<unknown> {
  const url = new URL(`${restUrl.replace(/\/+$/, "")}/api/v3/exchangeInfo`);
  if (options.symbols !== undefined && options.symbols.length > 0) {
    url.searchParams.set("symbols", JSON.stringify(options.symbols));
  }
  return fetchDiscoveryJson(url, {
    venue: BINANCE_VENUE,
    what: "exchangeInfo",
    errorDetail,
    retry: options.retry,
  });
}

/**
 * The TRADING symbols of an exchangeInfo reply that map to canonical symbols (`base`/`quote` are
 * canonical: USDT shows as USD). Records each lot step's scale on `symbols`.
 */
export function parseExchangeInfo(json: unknown, symbols: BinanceSymbols): DiscoveredSymbol[] {
  const list = isRecord(json) && Array.isArray(json.symbols) ? json.symbols : undefined;
  if (list === undefined) {
    throw new VenueError("protocol", "exchangeInfo has no symbols array", { venue: BINANCE_VENUE });
  }
  const found: DiscoveredSymbol[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || entry.status !== "TRADING") continue;
    const { symbol: venueSymbol, baseAsset, quoteAsset } = entry;
    if (typeof venueSymbol !== "string" || typeof baseAsset !== "string") continue;
    if (typeof quoteAsset !== "string") continue;
    let canonical: string;
    try {
      canonical = symbols.toCanonical(venueSymbol);
      if (symbols.toVenue(canonical) !== venueSymbol) continue;
    } catch {
      continue; // a quote we do not map (TRY, BNB, ...)
    }
    const quote = quoteAsset === "USDT" ? "USD" : quoteAsset;
    if (`${baseAsset}${quote}` !== canonical) continue;
    const filters = Array.isArray(entry.filters) ? entry.filters.filter(isRecord) : [];
    const tickSize = filters.find((f) => f.filterType === "PRICE_FILTER")?.tickSize;
    const lotStep = filters.find((f) => f.filterType === "LOT_SIZE")?.stepSize;
    const discovered: DiscoveredSymbol = {
      symbol: canonical,
      venueSymbol,
      base: baseAsset,
      quote,
      status: entry.status,
    };
    if (typeof tickSize === "string") discovered.tickSize = tickSize;
    if (typeof lotStep === "string" && /^\d+(\.\d+)?$/.test(lotStep)) {
      discovered.lotStep = lotStep;
      discovered.sizeScale = scaleOfStep(lotStep);
      symbols.setSizeScale(canonical, discovered.sizeScale);
    }
    found.push(discovered);
  }
  return found;
}

/** `code -1121: Invalid symbol.` from a Binance error body, else the body itself. */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (isRecord(body) && typeof body.msg === "string") return `code ${body.code}: ${body.msg}`;
  } catch {
    // not JSON: the raw text will do
  }
  return bodyOrEmpty(text);
}
