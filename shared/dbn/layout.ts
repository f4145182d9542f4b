/**
 * The vocabulary of record layout tables: field kinds, the table syntax, the computed layout with
 * byte offsets, and the TypeScript types derived from a table so each layout is written once.
 * @module
 */
import type { DbnVersion } from "./constants.ts";
import type { RecordName, RType } from "./enums.ts";

/** How a field is stored. `levels` / `clevels` are arrays of 32-byte (consolidated) bid/ask pairs. */
export type FieldKind =
  | "u8"
  | "i8"
  | "u16"
  | "i16"
  | "u32"
  | "i32"
  | "u64"
  | "i64"
  | "char"
  | "cstr"
  | "reserved"
  | "levels"
  | "clevels";

/**
 * One row of a layout table: Databento's snake_case name, the kind, and for `cstr` / `reserved`
 * the width in bytes, for `levels` / `clevels` the number of levels. Offsets follow from the order.
 * A name starting with "_" is reserved upstream; given a value kind it is still kept (because real
 * files carry data there) but left out of Databento's print order.
 */
export type FieldSpec = readonly [name: string, kind: FieldKind, width?: number];

/** A field with its computed position (offsets are from the start of the record or level). */
export interface FieldLayout {
  /** Databento's name, e.g. "ts_recv". */
  readonly name: string;
  /** The property name in decoded objects, e.g. "tsRecv". */
  readonly key: string;
  readonly kind: FieldKind;
  readonly offset: number;
  /** Size in bytes. */
  readonly size: number;
  /** Bytes of a `cstr` / `reserved` field, number of levels of a `levels` / `clevels` field, else 1. */
  readonly width: number;
  /** The fields of one level, for `levels` / `clevels`. */
  readonly levelFields?: readonly FieldLayout[];
}

/** A record struct in one or more DBN versions. */
export interface RecordLayout {
  readonly name: RecordName;
  /** The rtypes that use this struct. */
  readonly rtypes: readonly RType[];
  /** The DBN versions in which the struct has this layout. */
  readonly versions: readonly DbnVersion[];
  /** Size in bytes without `ts_out`, header included. */
  readonly size: number;
  /** Every field after the 16-byte header, in memory order, reserved ones included. */
  readonly fields: readonly FieldLayout[];
  /** Databento's JSON/CSV field order: snake_case names, "hd" for the header, reserved left out. */
  readonly encodeOrder: readonly string[];
}

/** Size of one bid/ask level. */
export const LEVEL_LEN = 32;

const FIXED_SIZES: Readonly<Record<string, number>> = {
  u8: 1,
  i8: 1,
  char: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  u64: 8,
  i64: 8,
};

/** Turns "ts_in_delta" into "tsInDelta" and a kept reserved field's "_reserved2" into "reserved2". */
export function camelCase(name: string): string {
  return name.replace(/^_/, "").replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Computes offsets for a table; `start` is the offset of the first field. */
export function layoutFields(specs: readonly FieldSpec[], start: number): FieldLayout[] {
  const out: FieldLayout[] = [];
  let offset = start;
  for (const [name, kind, width = 1] of specs) {
    let size: number;
    let levelFields: FieldLayout[] | undefined;
    if (kind === "cstr" || kind === "reserved") size = width;
    else if (kind === "levels" || kind === "clevels") {
      levelFields = layoutFields(kind === "levels" ? BID_ASK_PAIR : CONSOLIDATED_BID_ASK_PAIR, 0);
      size = width * LEVEL_LEN;
    } else size = FIXED_SIZES[kind]!;
    out.push({ name, key: camelCase(name), kind, offset, size, width, levelFields });
    offset += size;
  }
  return out;
}

/** What {@linkcode defineLayout} needs besides the table. */
export interface LayoutOptions {
  name: RecordName;
  rtypes: readonly RType[];
  versions: readonly DbnVersion[];
  /** Declared total size; checked against the table. */
  size: number;
  /** Databento's `encode_order` attributes; `ts_recv` is always 0. */
  encodeOrder?: Readonly<Record<string, number>>;
}

/** Builds a layout from a table and checks that the fields add up to the declared size. */
export function defineLayout(specs: readonly FieldSpec[], options: LayoutOptions): RecordLayout {
  const fields = layoutFields(specs, 16);
  const last = fields[fields.length - 1];
  const end = last === undefined ? 16 : last.offset + last.size;
  if (end !== options.size) {
    throw new RangeError(`Layout "${options.name}" adds up to ${end} bytes, not ${options.size}`);
  }
  return {
    name: options.name,
    rtypes: options.rtypes,
    versions: options.versions,
    size: options.size,
    fields,
    encodeOrder: sortForEncoding(specs, options.encodeOrder ?? {}),
  };
}

// Databento's macro moves each prioritised field to index `order` of the struct's field list
// (header and reserved fields count), lowest order first; we clamp past-the-end indexes.
function sortForEncoding(
  specs: readonly FieldSpec[],
  explicit: Readonly<Record<string, number>>,
): string[] {
  const names = ["hd", ...specs.map((spec) => spec[0])];
  const orders: Record<string, number> = { ...explicit };
  if (names.includes("ts_recv")) orders.ts_recv = 0;
  const prioritised = Object.entries(orders).sort((a, b) => a[1] - b[1]);
  for (const [name, order] of prioritised) {
    const index = names.indexOf(name);
    if (index < 0) throw new RangeError(`Unknown field "${name}" in encode order`);
    names.splice(index, 1);
    names.splice(Math.min(order, names.length), 0, name);
  }
  return names.filter((name) => !name.startsWith("_"));
}

/** The 32-byte price level of MBP-1, MBP-10 and BBO records. */
export const BID_ASK_PAIR = [
  ["bid_px", "i64"],
  ["ask_px", "i64"],
  ["bid_sz", "u32"],
  ["ask_sz", "u32"],
  ["bid_ct", "u32"],
  ["ask_ct", "u32"],
] as const satisfies readonly FieldSpec[];

/** The 32-byte consolidated price level of CMBP-1 and CBBO records. */
export const CONSOLIDATED_BID_ASK_PAIR = [
  ["bid_px", "i64"],
  ["ask_px", "i64"],
  ["bid_sz", "u32"],
  ["ask_sz", "u32"],
  ["bid_pb", "u16"],
  ["_reserved1", "reserved", 2],
  ["ask_pb", "u16"],
  ["_reserved2", "reserved", 2],
] as const satisfies readonly FieldSpec[];

type CamelCase<S extends string> = S extends `_${infer R}` ? CamelCase<R>
  : S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}`
  : S;

type KindValue<K> = K extends "u64" | "i64" ? bigint
  : K extends "char" | "cstr" ? string
  : K extends "levels" ? BidAskPair[]
  : K extends "clevels" ? ConsolidatedBidAskPair[]
  : number;

/** The decoded object type of a table: camelCase keys, reserved fields left out. */
export type FieldValues<F extends readonly FieldSpec[]> = {
  -readonly [E in F[number] as E[1] extends "reserved" ? never : CamelCase<E[0]>]: KindValue<E[1]>;
};

/** A price level (`levels` of Mbp1Msg, Mbp10Msg, BboMsg). */
export interface BidAskPair {
  bidPx: bigint;
  askPx: bigint;
  bidSz: number;
  askSz: number;
  bidCt: number;
  askCt: number;
}

/** A consolidated price level (`levels` of Cmbp1Msg, CbboMsg). */
export interface ConsolidatedBidAskPair {
  bidPx: bigint;
  askPx: bigint;
  bidSz: number;
  askSz: number;
  /** Publisher of the best bid. */
  bidPb: number;
  /** Publisher of the best ask. */
  askPb: number;
}

/** The header fields every decoded record carries, plus `tsOut` when the stream has it. */
export interface RecordHeaderFields<R extends number = RType> {
  rtype: R;
  publisherId: number;
  instrumentId: number;
  tsEvent: bigint;
  /** Gateway send time; present only when the stream's metadata says `ts_out`. */
  tsOut?: bigint;
}

type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/** The decoded object type of a record: header fields, then the table's fields. */
export type RecordOf<R extends number, F extends readonly FieldSpec[]> = Simplify<
  RecordHeaderFields<R> & FieldValues<F>
>;
