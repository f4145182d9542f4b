/**
 * Kraken Spot symbol discovery through REST `GET /0/public/AssetPairs` (VENUES.md 2.9): each pair's
 * `wsname` (v1 form, `XBT/USD`) becomes the v2 name (`BTC/USD`) and the canonical symbol (`BTCUSD`);
 * `lot_decimals` is the size scale.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";
import {
  type BackoffOptions,
  retry,
  VenueError,
  type VenueErrorCode,
  venueErrorFromStatus,
} from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { isRecord } from "./parse.ts";
import { KRAKEN_VENUE, KrakenSymbols } from "./symbols.ts";

/** The AssetPairs path under the REST base URL. */
export const ASSET_PAIRS_PATH = "/0/public/AssetPairs";

/** Options of {@linkcode fetchAssetPairs}. */
export interface DiscoveryOptions {
  /** REST base (`https://api.kraken.com`); a trailing `/0` is tolerated. */
  restUrl: string;
  /** Attempts for transient failures, the first included (default 3). */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  signal?: AbortSignal;
}

/** Fetches AssetPairs (retrying transient failures) and returns the pairs as canonical symbols. */
export function fetchAssetPairs(options: DiscoveryOptions): Promise<DiscoveredSymbol[]> {
  const base = options.restUrl.replace(/\/+$/, "").replace(/\/0$/, "");
  const url = `${base}${ASSET_PAIRS_PATH}`;
  return retry(async () => {
    const response = await fetch(url, { signal: options.signal });
    const body = await response.text();
    if (!response.ok) {
      throw venueErrorFromStatus(
        KRAKEN_VENUE,
        response.status,
        body,
        response.headers.get("retry-after"),
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new VenueError("protocol", `AssetPairs reply is not JSON: ${body.slice(0, 80)}`, {
        venue: KRAKEN_VENUE,
        cause: error,
      });
    }
    return parseAssetPairs(json);
  }, {
    venue: KRAKEN_VENUE,
    maxAttempts: options.maxAttempts ?? 3,
    signal: options.signal,
    ...options.backoff,
  });
}

/** A VenueError for Kraken's `error` array (`EService:Unavailable` -> server, ...). */
export function krakenRestError(errors: readonly string[]): VenueError {
  const first = errors[0] ?? "";
  const code: VenueErrorCode = /^EAPI:Rate limit|^EGeneral:Too many/i.test(first)
    ? "rate_limit"
    : /^EService:|^EGeneral:Temporary|^EGeneral:Internal/i.test(first)
    ? "server"
    : /^EAPI:Invalid (key|signature|nonce)/i.test(first)
    ? "authentication"
    : "rejected";
  return new VenueError(code, `AssetPairs error: ${errors.join("; ")}`, { venue: KRAKEN_VENUE });
}

/**
 * The `{"error": [], "result": {...}}` envelope as discovered symbols, sorted; pairs without a
 * `wsname` (dark pools) or whose name does not map are skipped. A non-empty `error` array throws.
 */
export function parseAssetPairs(body: unknown): DiscoveredSymbol[] {
  if (!isRecord(body) || !Array.isArray(body.error)) {
    throw new VenueError("protocol", "AssetPairs reply has no error array", {
      venue: KRAKEN_VENUE,
    });
  }
  if (body.error.length > 0) throw krakenRestError(body.error.map(String));
  if (!isRecord(body.result)) {
    throw new VenueError("protocol", "AssetPairs reply has no result", { venue: KRAKEN_VENUE });
  }
  const names = new KrakenSymbols();
  const found = new Map<string, DiscoveredSymbol>();
  for (const pair of Object.values(body.result)) {
    if (!isRecord(pair) || typeof pair.wsname !== "string") continue;
    let symbol: string;
    let base: string;
    let quote: string;
    try {
      ({ base, quote } = names.parseVenue(pair.wsname));
      symbol = validateSymbol(base + quote);
    } catch {
      continue;
    }
    const discovered: DiscoveredSymbol = {
      symbol,
      venueSymbol: `${base}/${quote}`,
      base,
      quote,
      status: typeof pair.status === "string" ? pair.status : "unknown",
    };
    if (typeof pair.tick_size === "string") discovered.tickSize = pair.tick_size;
    const decimals = pair.lot_decimals;
    if (typeof decimals === "number" && Number.isInteger(decimals) && decimals >= 0) {
      discovered.sizeScale = Math.min(9, decimals);
    }
    if (!found.has(symbol)) found.set(symbol, discovered);
  }
  return [...found.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
}
