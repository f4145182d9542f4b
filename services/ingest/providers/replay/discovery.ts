/**
 * Symbol discovery for offline providers: a replay file's symbols (metadata mappings, else the
 * symbol-mapping and definition records), and DiscoveredSymbol rows for canonical symbols.
 * @module
 */
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { splitPair } from "@shared/venue/mod.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { InstrumentSymbols } from "./symbol_map.ts";
import { isCanonicalSymbol } from "./symbols.ts";

/**
 * The symbols one DBN file maps instrument ids to. Reads the records only when the metadata has
 * no mapping (fragments, live recordings).
 */
export async function discoverFileSymbols(path: string): Promise<string[]> {
  const reader = await openDbn(path);
  try {
    const map = InstrumentSymbols.fromMetadata(reader.metadata);
    if (map.symbols().length > 0) return map.symbols();
    for await (const record of reader) map.learn(record);
    return map.symbols();
  } finally {
    await reader.close();
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
