/**
 * The output fields of every DBN record struct in Databento's text encodings (JSON and CSV), in
 * their encode order, with the formatting kind of each field. Both encoders read these tables,
 * which are derived from the codec's record layouts plus the print annotations below.
 * @module
 */
import type { DbnVersion } from "../constants.ts";
import { type RecordName, type RType, rtypeRecordName } from "../enums.ts";
import type { FieldLayout, RecordLayout } from "../layout.ts";
import { RECORD_LAYOUTS } from "../layouts.ts";

/**
 * How a field is printed. `ts` (u64 `unix_nanos`) and `px` (i64 `fixed_price`) change with pretty
 * printing; `int64` is a plain 64-bit integer (a JSON string); `int` an integer of 32 bits or less
 * (a JSON number); `cchar` a `#[dbn(c_char)]` byte (JSON null when zero); `char` a typed one-byte
 * enum (never null); `cstr` a NUL-terminated string; `levels` the (consolidated) book levels;
 * `hd` the record header.
 */
export type FieldKind = "hd" | "ts" | "px" | "int64" | "int" | "cchar" | "char" | "cstr" | "levels";

/** A printed field: Databento's name, the decoded object's camelCase key, and the kind. */
export interface TextField {
  readonly name: string;
  readonly key: string;
  readonly kind: FieldKind;
  /** The printed fields of one level, for `levels`. */
  readonly levelFields?: readonly TextField[];
}

/** The printed fields of one record struct in some DBN versions. */
export interface TextTable {
  readonly recordName: RecordName;
  readonly versions: readonly DbnVersion[];
  /** Output order; the header appears as one `hd` field. */
  readonly fields: readonly TextField[];
  /** Number of entries in `levels` (0 when the struct has none). */
  readonly levelCount: number;
}

// What the codec's layouts do not say: which integers upstream marks `#[dbn(fixed_price)]` and
// `#[dbn(unix_nanos)]` (databento/dbn rust/dbn/src/record.rs and compat.rs, release 0.54). The
// names mean the same in every struct that has them.
/** Fields printed as fixed-point prices (nine decimals when pretty). */
export const FIXED_PRICE_FIELDS: ReadonlySet<string> = new Set([
  "price",
  "open",
  "high",
  "low",
  "close",
  "bid_px",
  "ask_px",
  "ref_price",
  "cont_book_clr_price",
  "auct_interest_clr_price",
  "ssr_filling_price",
  "ind_match_price",
  "upper_collar",
  "lower_collar",
  "min_price_increment",
  "display_factor",
  "high_limit_price",
  "low_limit_price",
  "max_price_variation",
  "trading_reference_price",
  "unit_of_measure_qty",
  "min_price_increment_amount",
  "price_ratio",
  "strike_price",
  "leg_price",
  "leg_delta",
]);

/** Fields printed as UNIX-nanosecond timestamps (ISO 8601 when pretty). */
export const UNIX_NANOS_FIELDS: ReadonlySet<string> = new Set([
  "ts_event",
  "ts_recv",
  "ts_ref",
  "auction_time",
  "expiration",
  "activation",
  "start_ts",
  "end_ts",
]);

// One-byte fields that v1/v2 (compat.rs) type as Rust enums rather than `#[dbn(c_char)]`, so a
// zero byte prints as a character instead of null.
const ENUM_CHAR_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "InstrumentDefMsg/1": ["security_update_action", "user_defined_instrument"],
  "InstrumentDefMsg/2": ["user_defined_instrument"],
};

/** The header's fields inside `hd` (JSON) or in place of `hd` (CSV), `ts_event` first. */
export const HEADER_FIELDS: readonly TextField[] = [
  { name: "ts_event", key: "tsEvent", kind: "ts" },
  { name: "rtype", key: "rtype", kind: "int" },
  { name: "publisher_id", key: "publisherId", kind: "int" },
  { name: "instrument_id", key: "instrumentId", kind: "int" },
];

function textKind(field: FieldLayout, enumChars: readonly string[]): FieldKind {
  const { name, kind } = field;
  if (FIXED_PRICE_FIELDS.has(name)) return annotated(field, "i64", "px");
  if (UNIX_NANOS_FIELDS.has(name)) return annotated(field, "u64", "ts");
  switch (kind) {
    case "levels":
    case "clevels":
      return "levels";
    case "char":
      return enumChars.includes(name) ? "char" : "cchar";
    case "cstr":
      return "cstr";
    case "u64":
    case "i64":
      return "int64";
    case "reserved":
      throw new RangeError(`Reserved field "${name}" has no text form`);
    default:
      return "int";
  }
}

function annotated(field: FieldLayout, expected: string, kind: FieldKind): FieldKind {
  if (field.kind !== expected) {
    throw new RangeError(`Field "${field.name}" prints as ${kind} but is ${field.kind}`);
  }
  return kind;
}

function textField(field: FieldLayout, enumChars: readonly string[] = []): TextField {
  const { name, key } = field;
  const kind = textKind(field, enumChars);
  if (field.levelFields === undefined) return { name, key, kind };
  const levelFields = field.levelFields
    .filter((level) => !level.name.startsWith("_"))
    .map((level) => textField(level));
  return { name, key, kind, levelFields };
}

function build(layout: RecordLayout, version: DbnVersion): TextTable {
  const enumChars = ENUM_CHAR_FIELDS[`${layout.name}/${version}`] ?? [];
  const byName = new Map(layout.fields.map((field) => [field.name, field]));
  const fields = layout.encodeOrder.map((name): TextField =>
    name === "hd" ? { name, key: name, kind: "hd" } : textField(byName.get(name)!, enumChars)
  );
  const levels = layout.fields.find((field) => field.levelFields !== undefined);
  return {
    recordName: layout.name,
    versions: [version],
    fields,
    levelCount: levels?.width ?? 0,
  };
}

/** Every table: one per record struct and DBN version. */
export const TEXT_TABLES: readonly TextTable[] = RECORD_LAYOUTS.flatMap((layout) =>
  layout.versions.map((version) => build(layout, version))
);

const BY_NAME_AND_VERSION = new Map<string, TextTable>(
  TEXT_TABLES.map((table) => [`${table.recordName}/${table.versions[0]}`, table]),
);

/** Returns the table of a record struct (by name or by rtype) in a DBN version (default 3). */
export function textTable(recordOrRType: RecordName | number, version: DbnVersion = 3): TextTable {
  const recordName = typeof recordOrRType === "number"
    ? rtypeRecordName(recordOrRType as RType)
    : recordOrRType;
  const table = BY_NAME_AND_VERSION.get(`${recordName}/${version}`);
  if (table === undefined) {
    throw new RangeError(`No text layout for "${recordName}" in DBN version ${version}`);
  }
  return table;
}

/** The least a decoded record must carry to be printed. */
export interface TextRecord {
  readonly rtype: number;
}

/**
 * Returns the table for a decoded record. The DBN version is `version` when given, otherwise read
 * from the record's shape (v3 definitions have `legCount`, v3 statistics a bigint `quantity`, v1
 * symbol mappings no `stypeIn`, v1 error and system messages no `code`).
 */
export function tableForRecord(record: TextRecord, version?: DbnVersion): TextTable {
  const recordName = rtypeRecordName(record.rtype as RType);
  return textTable(recordName, version ?? inferVersion(recordName, record));
}

function inferVersion(recordName: RecordName, record: TextRecord): DbnVersion {
  const fields = record as unknown as Readonly<Record<string, unknown>>;
  switch (recordName) {
    case "InstrumentDefMsg":
      return "legCount" in fields ? 3 : 2;
    case "StatMsg":
      return typeof fields.quantity === "bigint" ? 3 : 2;
    case "SymbolMappingMsg":
      return "stypeIn" in fields ? 3 : 1;
    case "ErrorMsg":
    case "SystemMsg":
      return "code" in fields ? 3 : 1;
    default:
      return 3;
  }
}
