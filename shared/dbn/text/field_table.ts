/**
 * The output fields of every DBN record struct in Databento's text encodings (JSON and CSV), in
 * their encode order, with the formatting kind of each field. Both encoders read these tables.
 * @module
 */
import type { DbnVersion } from "../constants.ts";
import { type RecordName, type RType, rtypeRecordName } from "../enums.ts";
import { DEFINITION_TABLES } from "./_definition_tables.ts";
import { MARKET_TABLES } from "./_market_tables.ts";

/**
 * How a field is printed. `ts` (u64 `unix_nanos`) and `px` (i64 `fixed_price`) change with pretty
 * printing; `int64` is a plain 64-bit integer (a JSON string); `int` an integer of 32 bits or less
 * (a JSON number); `cchar` a `#[dbn(c_char)]` byte (JSON null when zero); `char` a typed one-byte
 * enum (never null); `cstr` a NUL-terminated string; `levels` / `clevels` the (consolidated) book
 * levels; `hd` the record header; `reserved` a hidden field that only counts for the ordering.
 */
export type FieldKind =
  | "hd"
  | "ts"
  | "px"
  | "int64"
  | "int"
  | "cchar"
  | "char"
  | "cstr"
  | "levels"
  | "clevels"
  | "reserved";

/** One declared struct field: snake_case name, kind, and Databento's `encode_order(N)` if any. */
export type FieldDecl = readonly [name: string, kind: FieldKind, encodeOrder?: number];

/** A printed field: Databento's name, the decoded object's camelCase key, and the kind. */
export interface TextField {
  readonly name: string;
  readonly key: string;
  readonly kind: Exclude<FieldKind, "reserved">;
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

/** A table before ordering: the struct's fields in declaration order, header excluded. */
export interface TableDecl {
  readonly recordName: RecordName;
  readonly versions: readonly DbnVersion[];
  readonly decls: readonly FieldDecl[];
  readonly levelCount?: number;
}

/** The header's fields inside `hd` (JSON) or in place of `hd` (CSV), `ts_event` first. */
export const HEADER_FIELDS: readonly TextField[] = [
  { name: "ts_event", key: "tsEvent", kind: "ts" },
  { name: "rtype", key: "rtype", kind: "int" },
  { name: "publisher_id", key: "publisherId", kind: "int" },
  { name: "instrument_id", key: "instrumentId", kind: "int" },
];

/** The fields of one entry of `levels`. */
export const LEVEL_FIELDS: readonly TextField[] = levelFields(["bid_ct", "ask_ct"]);

/** The fields of one entry of consolidated `levels` (publisher instead of order count). */
export const CONSOLIDATED_LEVEL_FIELDS: readonly TextField[] = levelFields(["bid_pb", "ask_pb"]);

function levelFields(lastTwo: readonly string[]): TextField[] {
  const specs: [string, "px" | "int"][] = [
    ["bid_px", "px"],
    ["ask_px", "px"],
    ["bid_sz", "int"],
    ["ask_sz", "int"],
    ...lastTwo.map((name): [string, "int"] => [name, "int"]),
  ];
  return specs.map(([name, kind]) => ({ name, key: camelKey(name), kind }));
}

/** Turns "ts_in_delta" into "tsInDelta", the key the codec uses for a field. */
export function camelKey(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Orders fields the way Databento's derive macros do: the header counts as the first field and
 * hidden fields count too; fields with an encode order are taken lowest order first, removed, and
 * re-inserted at that index (appended when the index is past the end); hidden fields are dropped.
 */
export function orderFields(decls: readonly FieldDecl[]): TextField[] {
  const list: FieldDecl[] = [["hd", "hd"], ...decls];
  const prioritised = list
    .filter((decl) => decl[2] !== undefined)
    .sort((a, b) => a[2]! - b[2]!);
  const seen = new Set<number>();
  for (const decl of prioritised) {
    if (seen.has(decl[2]!)) {
      throw new RangeError(`Duplicate encode order ${decl[2]} at "${decl[0]}"`);
    }
    seen.add(decl[2]!);
    list.splice(list.indexOf(decl), 1);
    list.splice(Math.min(decl[2]!, list.length), 0, decl);
  }
  return list
    .filter(([name, kind]) => kind !== "reserved" && !name.startsWith("_"))
    .map(([name, kind]) => ({ name, key: camelKey(name), kind: kind as TextField["kind"] }));
}

function build(decl: TableDecl): TextTable {
  return {
    recordName: decl.recordName,
    versions: decl.versions,
    fields: orderFields(decl.decls),
    levelCount: decl.levelCount ?? 0,
  };
}

/** Every table: one per record struct and DBN layout. */
export const TEXT_TABLES: readonly TextTable[] = [...MARKET_TABLES, ...DEFINITION_TABLES].map(
  build,
);

const BY_NAME_AND_VERSION = new Map<string, TextTable>(
  TEXT_TABLES.flatMap((table) => table.versions.map((v) => [`${table.recordName}/${v}`, table])),
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
