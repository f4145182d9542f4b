/**
 * The identity SymbolNormalizer of the offline providers (replay, synthetic): their symbols are
 * canonical already, so both directions only check the canonical form.
 * @module
 */
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import type { Instrument, InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import {
  checkCanonical,
  registerVenueSymbols,
  splitPair,
  type SymbolNormalizer,
} from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "./types.ts";

/** A normalizer whose venue symbols are the canonical symbols (checked with validateSymbol). */
export class IdentityNormalizer implements SymbolNormalizer {
  readonly venue: string;
  readonly #exchange: string;
  readonly #sizeScale: number;

  /**
   * `venue` names the provider (`replay`), `exchange` is stored with its ticks, `sizeScale` is the
   * decimal places of every quantity it emits (registered with each instrument).
   */
  constructor(venue: string, exchange: string, sizeScale: number) {
    if (!Number.isInteger(sizeScale) || sizeScale < 0 || sizeScale > 9) {
      throw new RangeError(`Invalid size scale ${sizeScale}: expected an integer in 0..9`);
    }
    this.venue = venue;
    this.#exchange = validateExchange(exchange);
    this.#sizeScale = sizeScale;
  }

  /** The exchange stored with every tick. */
  exchangeName(): string {
    return this.#exchange;
  }

  /** The symbol itself when canonical; throws a VenueError `unknown_symbol` otherwise. */
  toCanonical(venueSymbol: string): string {
    return this.#check(venueSymbol);
  }

  /** The symbol itself when canonical; throws a VenueError `unknown_symbol` otherwise. */
  toVenue(canonical: string): string {
    return this.#check(canonical);
  }

  /** Registers each symbol on the exchange, venue symbol = canonical, with the fixed size scale. */
  registerSymbols(
    symbols: readonly string[],
    registry: InstrumentRegistry,
  ): Promise<Map<string, Instrument>> {
    return registerVenueSymbols(this, symbols, registry, () => this.#sizeScale);
  }

  #check(symbol: string): string {
    return checkCanonical(symbol, this.venue);
  }
}

/** True when `symbol` is a valid canonical symbol (no throw). */
export function isCanonicalSymbol(symbol: string): boolean {
  try {
    validateSymbol(symbol);
    return true;
  } catch {
    return false;
  }
}

/**
 * DiscoveredSymbol rows for the canonical ones of `symbols`, sorted. Crypto pairs split into base
 * and quote; others (futures such as ESH5) have the symbol as base and an empty quote.
 */
export function discovered(
  symbols: readonly string[],
  options: { status?: string; sizeScale?: number } = {},
): DiscoveredSymbol[] {
  return [...new Set(symbols)].filter(isCanonicalSymbol).sort().map((symbol) => {
    let pair = { base: symbol, quote: "" };
    try {
      pair = splitPair(symbol);
    } catch {
      // Not a crypto pair: keep the whole symbol as the base.
    }
    return {
      symbol,
      venueSymbol: symbol,
      ...pair,
      status: options.status ?? "available",
      sizeScale: options.sizeScale ?? 0,
    };
  });
}
