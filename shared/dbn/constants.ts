/**
 * DBN constants and sentinel ("null") values (DBN.md section 1).
 * @module
 */

/** The DBN version this code writes by default. */
export const DBN_VERSION = 3;

/** The DBN versions this code reads and writes. */
export type DbnVersion = 1 | 2 | 3;

/** Price denominator: a raw price of 3720250000000 is 3720.25. */
export const FIXED_PRICE_SCALE = 1_000_000_000n;

/** Null price (i64 max). */
export const UNDEF_PRICE = 0x7FFF_FFFF_FFFF_FFFFn;

/** Null order size (u32 max). */
export const UNDEF_ORDER_SIZE = 0xFFFF_FFFF;

/** Null timestamp (u64 max). */
export const UNDEF_TIMESTAMP = 0xFFFF_FFFF_FFFF_FFFFn;

/** Null `StatMsg.quantity` in DBN v3 (i64 max). */
export const UNDEF_STAT_QUANTITY = 0x7FFF_FFFF_FFFF_FFFFn;

/** Null `StatMsg.quantity` in DBN v1 and v2 (i32 max). */
export const UNDEF_STAT_QUANTITY_V1 = 0x7FFF_FFFF;

/** Null `StatMsg.quantity` in DBN v1 and v2 (i32 max; same as v1). */
export const UNDEF_STAT_QUANTITY_V2 = UNDEF_STAT_QUANTITY_V1;

/** Width of symbol strings in DBN v1 metadata and records. */
export const SYMBOL_CSTR_LEN_V1 = 22;

/** Width of symbol strings in DBN v2 metadata and records. */
export const SYMBOL_CSTR_LEN_V2 = 71;

/** Width of symbol strings in DBN v3 metadata and records. */
export const SYMBOL_CSTR_LEN_V3 = 71;

/** Width of `InstrumentDefMsg.asset` in DBN v1 and v2. */
export const ASSET_CSTR_LEN_V2 = 7;

/** Width of `InstrumentDefMsg.asset` in DBN v3. */
export const ASSET_CSTR_LEN_V3 = 11;

/** Returns the symbol string width of a DBN version (22 for v1, 71 after). */
export function symbolCstrLen(version: DbnVersion): number {
  return version === 1 ? SYMBOL_CSTR_LEN_V1 : SYMBOL_CSTR_LEN_V3;
}

/** Returns the null `StatMsg.quantity` of a DBN version. */
export function undefStatQuantity(version: DbnVersion): bigint {
  return version === 3 ? UNDEF_STAT_QUANTITY : BigInt(UNDEF_STAT_QUANTITY_V1);
}

/** Largest record in any supported version: v3 InstrumentDefMsg (520) plus `ts_out` (8). */
export const MAX_RECORD_LEN = 528;

/** Size of the `RecordHeader` that starts every record. */
export const RECORD_HEADER_LEN = 16;

/** The header length byte counts 4-byte words. */
export const RECORD_LENGTH_MULTIPLIER = 4;

/** Size of the trailing send timestamp when the metadata says `ts_out`. */
export const TS_OUT_LEN = 8;

/** Size of the metadata prelude: "DBN", the version byte and the u32 length. */
export const METADATA_PRELUDE_LEN = 8;

/** Smallest legal metadata `length`: the fixed part. */
export const METADATA_FIXED_LEN = 100;

/** Width of the metadata dataset string. */
export const METADATA_DATASET_CSTR_LEN = 16;

/** Metadata `schema` value for a stream that mixes schemas. */
export const NULL_SCHEMA = 0xFFFF;

/** Metadata `stype_in` value for a stream that mixes symbology types. */
export const NULL_STYPE = 0xFF;

/** Metadata `limit` value meaning "no limit". */
export const NULL_LIMIT = 0n;

/** Metadata `end` value meaning "no end". */
export const NULL_END = UNDEF_TIMESTAMP;

/** v1 `record_count` value the reference encoder always writes. */
export const NULL_RECORD_COUNT = 0xFFFF_FFFF_FFFF_FFFFn;

/** `flags` bit: last record of the venue event for this instrument. */
export const FLAG_LAST = 0x80;
/** `flags` bit: top-of-book record, not an individual order. */
export const FLAG_TOB = 0x40;
/** `flags` bit: sourced from a replay or snapshot. */
export const FLAG_SNAPSHOT = 0x20;
/** `flags` bit: aggregated price-level record. */
export const FLAG_MBP = 0x10;
/** `flags` bit: `ts_recv` is unreliable. */
export const FLAG_BAD_TS_RECV = 0x08;
/** `flags` bit: an unrecoverable gap was detected in the channel. */
export const FLAG_MAYBE_BAD_BOOK = 0x04;
/** `flags` bit: venue-specific meaning. */
export const FLAG_PUBLISHER_SPECIFIC = 0x02;
