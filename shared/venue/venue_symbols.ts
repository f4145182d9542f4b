/**
 * What the crypto venues' SymbolNormalizers share: the canonical-symbol check that turns a bad
 * symbol into a VenueError `unknown_symbol`, and a base class holding the venue and exchange names
 * and the size scales discovery teaches, over a default.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";
import type { Instrument, InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import { registerVenueSymbols, type SymbolNormalizer } from "./symbology.ts";
import { VenueError } from "./venue_error.ts";

/** `canonical` when it is a valid canonical symbol; throws a VenueError `unknown_symbol` else. */
export function checkCanonical(canonical: string, venue: string): string {
  try {
    return validateSymbol(canonical);
  } catch (error) {
    throw new VenueError("unknown_symbol", (error as Error).message, { venue, cause: error });
  }
}

/** A SymbolNormalizer base: names, learnt size scales over a default, and registration. */
export abstract class VenueSymbols implements SymbolNormalizer {
  readonly venue: string;
  readonly #exchange: string;
  readonly #defaultSizeScale: number;
  readonly #sizeScales = new Map<string, number>();

  /** `defaultSizeScale` applies to symbols discovery has not taught a scale. */
  constructor(venue: string, exchange: string, defaultSizeScale: number) {
    this.venue = venue;
    this.#exchange = exchange;
    this.#defaultSizeScale = defaultSizeScale;
  }

  /** The exchange stored with every tick of the venue. */
  exchangeName(): string {
    return this.#exchange;
  }

  /** A venue symbol in canonical form; throws a VenueError `unknown_symbol`. */
  abstract toCanonical(venueSymbol: string): string;

  /** A canonical symbol in the venue's form; throws a VenueError `unknown_symbol`. */
  abstract toVenue(canonical: string): string;

  /** Remembers a discovered size scale for `canonical`. */
  setSizeScale(canonical: string, sizeScale: number): void {
    this.#sizeScales.set(canonical, sizeScale);
  }

  /** The discovered size scale of `canonical`, else the default. */
  sizeScale(canonical: string): number {
    return this.#sizeScales.get(canonical) ?? this.#defaultSizeScale;
  }

  /** Registers each symbol on the exchange with its venue symbol and size scale. */
  registerSymbols(
    symbols: readonly string[],
    registry: InstrumentRegistry,
  ): Promise<Map<string, Instrument>> {
    return registerVenueSymbols(this, symbols, registry, (symbol) => this.sizeScale(symbol));
  }
}
