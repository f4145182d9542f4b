/**
 * instrument_id -> symbol for a DBN replay: from the metadata's symbology mappings (dates
 * respected when an id maps to several symbols), then from the symbol-mapping and definition
 * records in the stream (those replace what the metadata said for their id).
 * @module
 */
import { type DbnRecord, type Metadata, RType, SType } from "@shared/dbn/mod.ts";
import { isCanonicalSymbol } from "../identity_symbols.ts";

/** A resolved symbol and whether it is canonical (invalid ones are dropped as unknown). */
export interface ResolvedSymbol {
  symbol: string;
  valid: boolean;
}

interface Interval extends ResolvedSymbol {
  /** yyyymmdd, inclusive. */
  start: number;
  /** yyyymmdd, exclusive. */
  end: number;
}

const ALWAYS = { start: 0, end: 99999999 };

/** The symbols of one DBN input by instrument id. */
export class InstrumentSymbols {
  readonly #byId = new Map<number, Interval[]>();

  /** The mappings of `metadata` (none for a fragment or an instrument_id -> instrument_id file). */
  static fromMetadata(metadata: Metadata | undefined): InstrumentSymbols {
    const map = new InstrumentSymbols();
    if (metadata === undefined) return map;
    const outIsId = metadata.stypeOut === SType.InstrumentId;
    const inIsId = metadata.stypeIn === SType.InstrumentId;
    if (outIsId === inIsId) return map;
    for (const mapping of metadata.mappings) {
      for (const interval of mapping.intervals) {
        const [idText, symbol] = outIsId
          ? [interval.symbol, mapping.rawSymbol]
          : [mapping.rawSymbol, interval.symbol];
        const id = Number(idText);
        if (idText === "" || symbol === "" || !Number.isInteger(id) || id < 0) continue;
        const { startDate: start, endDate: end } = interval;
        map.#add(id, { symbol, valid: isCanonicalSymbol(symbol), start, end });
      }
    }
    return map;
  }

  /**
   * Learns from a symbol-mapping or definition record (returns true); other records are ignored
   * (returns false).
   */
  learn(record: DbnRecord): boolean {
    let symbol: string;
    if (record.rtype === RType.SymbolMapping) {
      const outIsId = "stypeOut" in record && record.stypeOut === SType.InstrumentId;
      symbol = outIsId || record.stypeOutSymbol === ""
        ? record.stypeInSymbol
        : record.stypeOutSymbol;
    } else if (record.rtype === RType.InstrumentDef) {
      symbol = record.rawSymbol;
    } else {
      return false;
    }
    if (symbol !== "") {
      this.#byId.set(record.instrumentId, [{
        symbol,
        valid: isCanonicalSymbol(symbol),
        ...ALWAYS,
      }]);
    }
    return true;
  }

  /** The symbol of `instrumentId` at `tsEvent`; undefined when unmapped. */
  resolve(instrumentId: number, tsEvent: bigint): ResolvedSymbol | undefined {
    const intervals = this.#byId.get(instrumentId);
    if (intervals === undefined) return undefined;
    if (intervals.length === 1) return intervals[0];
    const day = ymdOf(tsEvent);
    return intervals.find((interval) => interval.start <= day && day < interval.end);
  }

  /** Every mapped symbol (valid or not), sorted, without repeats. */
  symbols(): string[] {
    const all = new Set<string>();
    for (const intervals of this.#byId.values()) {
      for (const interval of intervals) all.add(interval.symbol);
    }
    return [...all].sort();
  }

  #add(id: number, interval: Interval): void {
    const list = this.#byId.get(id);
    if (list === undefined) this.#byId.set(id, [interval]);
    else if (
      !list.some((known) => known.symbol === interval.symbol && known.start === interval.start)
    ) {
      list.push(interval);
    }
  }
}

/** The UTC date of a ns timestamp as yyyymmdd. */
export function ymdOf(tsNs: bigint): number {
  const date = new Date(Number(tsNs / 1_000_000n));
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}
