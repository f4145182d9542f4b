/**
 * Instrument id -> symbol resolution for `--map-symbols`: from the metadata's symbol mappings
 * (per UTC date of the record's index timestamp, interval end exclusive), as Databento's
 * `TsSymbolMap`, plus the symbol-mapping records (rtype 0x16) of a live stream.
 * @module
 */
import { UNDEF_TIMESTAMP } from "../constants.ts";
import { RType, SType } from "../enums.ts";
import { dateOfNanos } from "./_dates.ts";
import { type MappingDate, mappingDate, type TextMetadata } from "./metadata_json.ts";

/** The metadata fields a symbol map is built from. */
export type SymbolMapMetadata = Pick<TextMetadata, "stypeIn" | "stypeOut" | "mappings">;

interface Interval {
  readonly start: number;
  readonly end: number;
  readonly symbol: string;
}

/** Resolves instrument ids to symbols by date. */
export class SymbolMap {
  readonly #intervals = new Map<number, Interval[]>();
  readonly #live = new Map<number, string>();

  /**
   * Builds the map from metadata: with `stype_out` instrument_id the interval symbols are ids and
   * the raw symbols are the names; with `stype_in` instrument_id it is the other way round.
   */
  static fromMetadata(metadata: SymbolMapMetadata): SymbolMap {
    const inverse = isInstrumentId(metadata.stypeOut)
      ? false
      : isInstrumentId(metadata.stypeIn)
      ? true
      : undefined;
    if (inverse === undefined) {
      throw new RangeError(
        "Cannot build a symbol map: neither stype_in nor stype_out is instrument_id",
      );
    }
    const map = new SymbolMap();
    for (const mapping of metadata.mappings) {
      for (const interval of mapping.intervals) {
        // Old symbology files have intervals without a symbol.
        if (interval.symbol === "") continue;
        const [id, symbol] = inverse
          ? [parseInstrumentId(mapping.rawSymbol), interval.symbol]
          : [parseInstrumentId(interval.symbol), mapping.rawSymbol];
        map.insert(id, interval.startDate, interval.endDate, symbol);
      }
    }
    return map;
  }

  /** Maps `instrumentId` to `symbol` from `startDate` up to, not including, `endDate`. */
  insert(instrumentId: number, startDate: MappingDate, endDate: MappingDate, symbol: string): void {
    const start = mappingDate(startDate);
    const end = mappingDate(endDate);
    if (start > end) throw new RangeError(`Cannot map "${symbol}": start ${start} is after ${end}`);
    if (start === end) return;
    const list = this.#intervals.get(instrumentId) ?? [];
    list.push({ start, end, symbol });
    this.#intervals.set(instrumentId, list);
  }

  /** Returns the symbol of an instrument on a date (a later mapping wins), else undefined. */
  get(instrumentId: number, date: MappingDate): string | undefined {
    const day = mappingDate(date);
    const list = this.#intervals.get(instrumentId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const interval = list[i]!;
      if (interval.start <= day && day < interval.end) return interval.symbol;
    }
    return undefined;
  }

  /**
   * Returns the symbol of a decoded record: by the UTC date of its index timestamp (`tsRecv`
   * when the record has one, else `tsEvent`), falling back to live symbol mappings.
   */
  getForRecord(
    record: { instrumentId: number; tsEvent: bigint; tsRecv?: bigint },
  ): string | undefined {
    const indexTs = record.tsRecv ?? record.tsEvent;
    const fromMetadata = indexTs === UNDEF_TIMESTAMP
      ? undefined
      : this.get(record.instrumentId, dateOfNanos(indexTs));
    return fromMetadata ?? this.#live.get(record.instrumentId);
  }

  /** Learns from a live symbol-mapping record (rtype 0x16); other records are ignored. */
  onRecord(record: { rtype: number; instrumentId: number; stypeOutSymbol?: string }): void {
    if (record.rtype === RType.SymbolMapping && record.stypeOutSymbol !== undefined) {
      this.#live.set(record.instrumentId, record.stypeOutSymbol);
    }
  }
}

function isInstrumentId(stype: number | string | null | undefined): boolean {
  return stype === SType.InstrumentId || stype === "instrument_id";
}

function parseInstrumentId(text: string): number {
  const id = /^\+?\d+$/.test(text) ? Number(text) : NaN;
  if (!(id <= 0xFFFF_FFFF)) throw new RangeError(`Cannot parse instrument id "${text}"`);
  return id;
}
