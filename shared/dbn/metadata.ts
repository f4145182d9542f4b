/**
 * The DBN metadata header as a plain object (DBN.md section 2), and its version upgrade.
 * @module
 */
import { DBN_VERSION, type DbnVersion, SYMBOL_CSTR_LEN_V3 } from "./constants.ts";
import type { Schema, SType } from "./enums.ts";

/** One interval of a symbol mapping: dates stored as yyyymmdd numbers, end exclusive. */
export interface MappingInterval {
  startDate: number;
  endDate: number;
  symbol: string;
}

/** How one requested symbol resolved over time. */
export interface SymbolMapping {
  rawSymbol: string;
  intervals: MappingInterval[];
}

/** The metadata that starts every DBN stream. */
export interface Metadata {
  version: DbnVersion;
  dataset: string;
  /** null when the stream mixes schemas (stored as 0xFFFF). */
  schema: Schema | null;
  /** Query start, UNIX ns. */
  start: bigint;
  /** Query end, UNIX ns; null when there is none (stored as u64 max). */
  end: bigint | null;
  /** Record limit; null when there is none (stored as 0). */
  limit: bigint | null;
  /** null when the stream mixes symbology types (stored as 0xFF). */
  stypeIn: SType | null;
  stypeOut: SType;
  /** Every record carries a trailing 8-byte send timestamp. */
  tsOut: boolean;
  /** Width of every symbol string: 22 in v1, stored (71) in v2 and v3. */
  symbolCstrLen: number;
  symbols: string[];
  partial: string[];
  notFound: string[];
  mappings: SymbolMapping[];
  /** v1 only, deprecated: null when stored as u64 max (what encoders write). */
  recordCount?: bigint | null;
}

/** Returns the metadata in the layout of a later DBN version (DBN.md section 8.2). */
export function upgradeMetadata(metadata: Metadata, toVersion: DbnVersion = DBN_VERSION): Metadata {
  if (toVersion < metadata.version) {
    throw new RangeError(`Cannot upgrade DBN v${metadata.version} metadata to v${toVersion}`);
  }
  if (toVersion === metadata.version) return metadata;
  const { recordCount: _, ...rest } = metadata;
  return {
    ...rest,
    version: toVersion,
    symbolCstrLen: metadata.version === 1 ? SYMBOL_CSTR_LEN_V3 : metadata.symbolCstrLen,
  };
}

/** Returns true when `value` is a calendar date packed as yyyymmdd (e.g. 20201228). */
export function isYmdDate(value: number): boolean {
  if (!Number.isInteger(value) || value < 101 || value > 99991231) return false;
  const year = Math.floor(value / 10000);
  const month = Math.floor(value / 100) % 100;
  const day = value % 100;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
