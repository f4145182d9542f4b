// The DBN record kinds the column kernels handle: column types, slot order (must match
// assembly/dbn/*.ts), record sizes, kernel statuses and the error they become.

/** The record kinds with column kernels: TradeMsg, Mbp1Msg (mbp-1, tbbo), BboMsg, OhlcvMsg. */
export type DbnRecordKind = "trades" | "mbp1" | "bbo" | "ohlcv";

/** The RecordHeader as columns; tsOut only when the records carry the 8-byte ts_out suffix. */
export interface HeaderColumns {
  tsEvent: BigUint64Array;
  instrumentId: Uint32Array;
  publisherId: Uint16Array;
  rtype: Uint8Array;
  tsOut?: BigUint64Array;
}

/** TradeMsg (rtype 0x00) columns. */
export interface TradeColumns extends HeaderColumns {
  price: BigInt64Array;
  size: Uint32Array;
  action: Uint8Array;
  side: Uint8Array;
  flags: Uint8Array;
  depth: Uint8Array;
  tsRecv: BigUint64Array;
  tsInDelta: Int32Array;
  sequence: Uint32Array;
}

/** The top BidAskPair as columns. */
export interface LevelColumns {
  bidPx: BigInt64Array;
  askPx: BigInt64Array;
  bidSz: Uint32Array;
  askSz: Uint32Array;
  bidCt: Uint32Array;
  askCt: Uint32Array;
}

/** Mbp1Msg (rtype 0x01: mbp-1 and tbbo) columns. */
export interface Mbp1Columns extends TradeColumns, LevelColumns {}

/** BboMsg (rtype 0xC3 bbo-1s, 0xC4 bbo-1m) columns: no action, depth or ts_in_delta (reserved). */
export interface BboColumns extends HeaderColumns, LevelColumns {
  price: BigInt64Array;
  size: Uint32Array;
  side: Uint8Array;
  flags: Uint8Array;
  tsRecv: BigUint64Array;
  sequence: Uint32Array;
}

/** OhlcvMsg (rtypes 0x20-0x24, legacy 0x11) columns. */
export interface OhlcvColumns extends HeaderColumns {
  open: BigInt64Array;
  high: BigInt64Array;
  low: BigInt64Array;
  close: BigInt64Array;
  volume: BigUint64Array;
}

/** The columns of each record kind. */
export interface DbnColumnsByKind {
  trades: TradeColumns;
  mbp1: Mbp1Columns;
  bbo: BboColumns;
  ohlcv: OhlcvColumns;
}

export type ColumnArray =
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Uint16ArrayConstructor
  | Uint8ArrayConstructor;
export type Kernel = "Trades" | "Mbp1" | "Bbo" | "Ohlcv";

export interface KindLayout {
  /** Record bytes without ts_out. */
  size: number;
  /** Column names and element types in the kernel's slot order (ts_out follows the last). */
  fields: readonly (readonly [string, ColumnArray])[];
  rtypes: readonly number[];
  kernel: Kernel;
}

const HEADER = [
  ["tsEvent", BigUint64Array],
  ["instrumentId", Uint32Array],
  ["publisherId", Uint16Array],
  ["rtype", Uint8Array],
] as const;
const TRADE_BODY = [
  ["price", BigInt64Array],
  ["size", Uint32Array],
  ["action", Uint8Array],
  ["side", Uint8Array],
  ["flags", Uint8Array],
  ["depth", Uint8Array],
  ["tsRecv", BigUint64Array],
  ["tsInDelta", Int32Array],
  ["sequence", Uint32Array],
] as const;
const LEVEL = [
  ["bidPx", BigInt64Array],
  ["askPx", BigInt64Array],
  ["bidSz", Uint32Array],
  ["askSz", Uint32Array],
  ["bidCt", Uint32Array],
  ["askCt", Uint32Array],
] as const;

export const LAYOUTS: Record<DbnRecordKind, KindLayout> = {
  trades: { size: 48, fields: [...HEADER, ...TRADE_BODY], rtypes: [0x00], kernel: "Trades" },
  mbp1: { size: 80, fields: [...HEADER, ...TRADE_BODY, ...LEVEL], rtypes: [0x01], kernel: "Mbp1" },
  bbo: {
    size: 80,
    fields: [
      ...HEADER,
      ["price", BigInt64Array],
      ["size", Uint32Array],
      ["side", Uint8Array],
      ["flags", Uint8Array],
      ["tsRecv", BigUint64Array],
      ["sequence", Uint32Array],
      ...LEVEL,
    ],
    rtypes: [0xc3, 0xc4],
    kernel: "Bbo",
  },
  ohlcv: {
    size: 56,
    fields: [
      ...HEADER,
      ["open", BigInt64Array],
      ["high", BigInt64Array],
      ["low", BigInt64Array],
      ["close", BigInt64Array],
      ["volume", BigUint64Array],
    ],
    rtypes: [0x20, 0x21, 0x22, 0x23, 0x24, 0x11],
    kernel: "Ohlcv",
  },
};

export const TS_OUT_BYTES = 8;

// Kernel statuses (assembly/dbn/layout.ts); resultValue() holds the record index.
export const DBN_BAD_LENGTH = 16;
export const DBN_UNKNOWN_RTYPE = 17;
export const DBN_TRUNCATED = 18;

/** Record bytes of `kind`, with the 8-byte ts_out suffix when `tsOut`. */
export function dbnRecordSize(kind: DbnRecordKind, tsOut = false): number {
  return layoutOf(kind).size + (tsOut ? TS_OUT_BYTES : 0);
}

export function layoutOf(kind: DbnRecordKind): KindLayout {
  const layout = LAYOUTS[kind];
  if (layout === undefined) throw new TypeError(`Unknown DBN record kind "${kind}"`);
  return layout;
}

/** Why a record failed to decode or a row to encode. */
export type DbnRecordErrorCode = "DBN_BAD_LENGTH" | "DBN_UNKNOWN_RTYPE" | "DBN_TRUNCATED";

/**
 * A record that cannot be decoded (or a row that cannot be encoded). `recordIndex` counts records
 * from the start of the input (of the stream, for ColumnBatch.push); `byteOffset` is where the
 * record starts in that input. The shared layer wraps it into a DataError.
 */
export class DbnRecordError extends RangeError {
  readonly code: DbnRecordErrorCode;
  readonly recordIndex: number;
  readonly byteOffset: number;
  constructor(
    code: DbnRecordErrorCode,
    message: string,
    where: { recordIndex: number; byteOffset: number },
  ) {
    super(message);
    this.name = "DbnRecordError";
    this.code = code;
    this.recordIndex = where.recordIndex;
    this.byteOffset = where.byteOffset;
  }
}

export function hex(rtype: number): string {
  return `0x${rtype.toString(16).padStart(2, "0").toUpperCase()}`;
}
