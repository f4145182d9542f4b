/**
 * Symbol discovery for offline providers: a replay file's symbols (metadata mappings, else the
 * symbol-mapping and definition records), and DiscoveredSymbol rows for canonical symbols.
 * @module
 */
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { InstrumentSymbols } from "./symbol_map.ts";

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
