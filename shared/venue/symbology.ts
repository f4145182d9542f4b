/**
 * Canonical (DBN) symbols inside, venue symbols only at the edges: the SymbolNormalizer every venue
 * implements, and the base/quote split of a canonical crypto pair.
 * @module
 */
import type { Instrument, InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import { VenueError } from "./venue_error.ts";

/** Converts between canonical symbols (`BTCUSD`) and one venue's symbols (`BTC/USD`). */
export interface SymbolNormalizer {
  /** The venue (`binance`, `kraken`, `kraken_futures`, ...). */
  readonly venue: string;
  /** The exchange name stored with every tick (`BINANCE`, `KRAKEN`, `KRAKEN_FUTURES`). */
  exchangeName(): string;
  /** A venue symbol in canonical form; throws a VenueError `unknown_symbol`. */
  toCanonical(venueSymbol: string): string;
  /** A canonical symbol in the venue's form; throws a VenueError `unknown_symbol`. */
  toVenue(canonical: string): string;
  /**
   * Registers each canonical symbol in the InstrumentRegistry (with its venue symbol and size
   * scale) and returns the instruments by canonical symbol.
   */
  registerSymbols(
    symbols: readonly string[],
    registry: InstrumentRegistry,
  ): Promise<Map<string, Instrument>>;
}

/** Quote currencies a canonical crypto pair may end with, longest first. */
export const QUOTE_CURRENCIES = [
  "USDT",
  "USDC",
  "FDUSD",
  "USD",
  "EUR",
  "GBP",
  "JPY",
  "CAD",
  "AUD",
  "CHF",
  "BTC",
  "ETH",
] as const;

/** A canonical pair split into base and quote (`BTCUSD` -> BTC, USD). */
export interface Pair {
  base: string;
  quote: string;
}

/** Splits a canonical crypto pair at its quote currency; throws `unknown_symbol` when none fits. */
export function splitPair(canonical: string, venue?: string): Pair {
  for (const quote of QUOTE_CURRENCIES) {
    if (canonical.length > quote.length + 1 && canonical.endsWith(quote)) {
      return { base: canonical.slice(0, -quote.length), quote };
    }
  }
  throw new VenueError(
    "unknown_symbol",
    `cannot split ${JSON.stringify(canonical)} into base and quote (quotes: ${
      QUOTE_CURRENCIES.join(", ")
    })`,
    { venue },
  );
}

/** Size scale (decimal places of the quantity) from a lot step such as "0.00001000" -> 5. */
export function scaleOfStep(step: string): number {
  const [, fraction = ""] = step.split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return Math.min(9, trimmed.length);
}

/**
 * The symbols of `wanted` the venue does not list, each with up to three closest listed symbols,
 * as one line: `unknown symbols for kraken: FOOUSD (closest: FOXUSD, FXSUSD)`; undefined when all
 * are listed.
 */
export function unknownSymbolsLine(
  venue: string,
  wanted: readonly string[],
  listed: readonly string[],
): string | undefined {
  const known = new Set(listed);
  const missing = wanted.filter((symbol) => !known.has(symbol));
  if (missing.length === 0) return undefined;
  const parts = missing.map((symbol) => {
    const closest = closestSymbols(symbol, listed, 3);
    return closest.length === 0 ? symbol : `${symbol} (closest: ${closest.join(", ")})`;
  });
  return `Unknown symbols for ${venue}: ${parts.join("; ")}`;
}

/** The `count` listed symbols nearest to `symbol` by edit distance. */
export function closestSymbols(symbol: string, listed: readonly string[], count: number): string[] {
  return listed
    .map((candidate) => ({ candidate, distance: editDistance(symbol, candidate) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(symbol.length / 2)))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The usual {@linkcode SymbolNormalizer.registerSymbols}: each symbol registered on the
 * normalizer's exchange with its venue symbol and size scale (existing rows keep theirs).
 */
export async function registerVenueSymbols(
  normalizer: SymbolNormalizer,
  symbols: readonly string[],
  registry: InstrumentRegistry,
  sizeScale: (canonical: string) => number,
): Promise<Map<string, Instrument>> {
  const instruments = new Map<string, Instrument>();
  for (const symbol of symbols) {
    const instrument = await registry.getOrCreate(symbol, normalizer.exchangeName(), {
      venueSymbol: normalizer.toVenue(symbol),
      sizeScale: sizeScale(symbol),
    });
    instruments.set(symbol, instrument);
  }
  return instruments;
}
