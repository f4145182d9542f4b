/**
 * DBN enumerations (DBN.md sections 4 and 5): schemas, symbology types, record types, sides,
 * actions, and the schema -> rtype -> record-type mappings.
 * @module
 */

/** Schema: the u16 `schema` of the metadata. */
export const Schema = {
  Mbo: 0,
  Mbp1: 1,
  Mbp10: 2,
  Tbbo: 3,
  Trades: 4,
  Ohlcv1S: 5,
  Ohlcv1M: 6,
  Ohlcv1H: 7,
  Ohlcv1D: 8,
  Definition: 9,
  Statistics: 10,
  Status: 11,
  Imbalance: 12,
  OhlcvEod: 13,
  Cmbp1: 14,
  Cbbo1S: 15,
  Cbbo1M: 16,
  Tcbbo: 17,
  Bbo1S: 18,
  Bbo1M: 19,
} as const;
/** A Schema value. */
export type Schema = typeof Schema[keyof typeof Schema];

const SCHEMA_NAMES: readonly string[] = [
  "mbo",
  "mbp-1",
  "mbp-10",
  "tbbo",
  "trades",
  "ohlcv-1s",
  "ohlcv-1m",
  "ohlcv-1h",
  "ohlcv-1d",
  "definition",
  "statistics",
  "status",
  "imbalance",
  "ohlcv-eod",
  "cmbp-1",
  "cbbo-1s",
  "cbbo-1m",
  "tcbbo",
  "bbo-1s",
  "bbo-1m",
];

/** Returns true when `value` is a known Schema. */
export function isSchema(value: number): value is Schema {
  return Number.isInteger(value) && value >= 0 && value < SCHEMA_NAMES.length;
}

/** Returns Databento's name of a schema, e.g. "mbp-1". */
export function schemaName(schema: Schema): string {
  const name = SCHEMA_NAMES[schema];
  if (name === undefined) throw new RangeError(`Unknown schema ${schema}`);
  return name;
}

/** Parses a schema name such as "ohlcv-1s"; throws a RangeError for an unknown name. */
export function parseSchema(name: string): Schema {
  const index = SCHEMA_NAMES.indexOf(name);
  if (index < 0) throw new RangeError(`Unknown schema "${name}"`);
  return index as Schema;
}

/** SType: the symbology type (u8). */
export const SType = {
  InstrumentId: 0,
  RawSymbol: 1,
  Smart: 2,
  Continuous: 3,
  Parent: 4,
  NasdaqSymbol: 5,
  CmsSymbol: 6,
  Isin: 7,
  UsCode: 8,
  BbgCompId: 9,
  BbgCompTicker: 10,
  Figi: 11,
  FigiTicker: 12,
} as const;
/** An SType value. */
export type SType = typeof SType[keyof typeof SType];

const STYPE_NAMES: readonly string[] = [
  "instrument_id",
  "raw_symbol",
  "smart",
  "continuous",
  "parent",
  "nasdaq_symbol",
  "cms_symbol",
  "isin",
  "us_code",
  "bbg_comp_id",
  "bbg_comp_ticker",
  "figi",
  "figi_ticker",
];
const STYPE_ALIASES: Readonly<Record<string, SType>> = {
  product_id: SType.InstrumentId,
  native: SType.RawSymbol,
  nasdaq: SType.NasdaqSymbol,
  cms: SType.CmsSymbol,
};

/** Returns true when `value` is a known SType. */
export function isSType(value: number): value is SType {
  return Number.isInteger(value) && value >= 0 && value < STYPE_NAMES.length;
}

/** Returns Databento's name of a symbology type, e.g. "raw_symbol". */
export function stypeName(stype: SType): string {
  const name = STYPE_NAMES[stype];
  if (name === undefined) throw new RangeError(`Unknown stype ${stype}`);
  return name;
}

/** Parses a symbology type name (legacy aliases such as "native" included). */
export function parseSType(name: string): SType {
  const index = STYPE_NAMES.indexOf(name);
  if (index >= 0) return index as SType;
  const alias = STYPE_ALIASES[name];
  if (alias === undefined) throw new RangeError(`Unknown stype "${name}"`);
  return alias;
}

/** RType: the record type byte of the record header. */
export const RType = {
  Mbp0: 0x00,
  Mbp1: 0x01,
  Mbp10: 0x0A,
  OhlcvDeprecated: 0x11,
  Status: 0x12,
  InstrumentDef: 0x13,
  Imbalance: 0x14,
  Error: 0x15,
  SymbolMapping: 0x16,
  System: 0x17,
  Statistics: 0x18,
  Ohlcv1S: 0x20,
  Ohlcv1M: 0x21,
  Ohlcv1H: 0x22,
  Ohlcv1D: 0x23,
  OhlcvEod: 0x24,
  Mbo: 0xA0,
  Cmbp1: 0xB1,
  Cbbo1S: 0xC0,
  Cbbo1M: 0xC1,
  Tcbbo: 0xC2,
  Bbo1S: 0xC3,
  Bbo1M: 0xC4,
} as const;
/** An RType value. */
export type RType = typeof RType[keyof typeof RType];

/** The record structs of DBN; several rtypes share one struct. */
export type RecordName =
  | "TradeMsg"
  | "Mbp1Msg"
  | "Mbp10Msg"
  | "BboMsg"
  | "MboMsg"
  | "OhlcvMsg"
  | "Cmbp1Msg"
  | "CbboMsg"
  | "StatusMsg"
  | "ImbalanceMsg"
  | "StatMsg"
  | "InstrumentDefMsg"
  | "SymbolMappingMsg"
  | "ErrorMsg"
  | "SystemMsg";

const RTYPE_INFO: ReadonlyMap<number, readonly [string, RecordName]> = new Map([
  [RType.Mbp0, ["mbp-0", "TradeMsg"]],
  [RType.Mbp1, ["mbp-1", "Mbp1Msg"]],
  [RType.Mbp10, ["mbp-10", "Mbp10Msg"]],
  [RType.OhlcvDeprecated, ["ohlcv-deprecated", "OhlcvMsg"]],
  [RType.Status, ["status", "StatusMsg"]],
  [RType.InstrumentDef, ["instrument-def", "InstrumentDefMsg"]],
  [RType.Imbalance, ["imbalance", "ImbalanceMsg"]],
  [RType.Error, ["error", "ErrorMsg"]],
  [RType.SymbolMapping, ["symbol-mapping", "SymbolMappingMsg"]],
  [RType.System, ["system", "SystemMsg"]],
  [RType.Statistics, ["statistics", "StatMsg"]],
  [RType.Ohlcv1S, ["ohlcv-1s", "OhlcvMsg"]],
  [RType.Ohlcv1M, ["ohlcv-1m", "OhlcvMsg"]],
  [RType.Ohlcv1H, ["ohlcv-1h", "OhlcvMsg"]],
  [RType.Ohlcv1D, ["ohlcv-1d", "OhlcvMsg"]],
  [RType.OhlcvEod, ["ohlcv-eod", "OhlcvMsg"]],
  [RType.Mbo, ["mbo", "MboMsg"]],
  [RType.Cmbp1, ["cmbp-1", "Cmbp1Msg"]],
  [RType.Cbbo1S, ["cbbo-1s", "CbboMsg"]],
  [RType.Cbbo1M, ["cbbo-1m", "CbboMsg"]],
  [RType.Tcbbo, ["tcbbo", "Cmbp1Msg"]],
  [RType.Bbo1S, ["bbo-1s", "BboMsg"]],
  [RType.Bbo1M, ["bbo-1m", "BboMsg"]],
]);

/** Returns true when `value` is a known RType. */
export function isRType(value: number): value is RType {
  return RTYPE_INFO.has(value);
}

/** Returns Databento's name of an rtype, e.g. "mbp-0" or "instrument-def". */
export function rtypeName(rtype: RType): string {
  const info = RTYPE_INFO.get(rtype);
  if (info === undefined) throw new RangeError(`Unknown rtype ${rtype}`);
  return info[0];
}

/** Returns the record struct that an rtype uses, e.g. "OhlcvMsg" for 0x20. */
export function rtypeRecordName(rtype: RType): RecordName {
  const info = RTYPE_INFO.get(rtype);
  if (info === undefined) throw new RangeError(`Unknown rtype ${rtype}`);
  return info[1];
}

const SCHEMA_RTYPES: readonly RType[] = [
  RType.Mbo,
  RType.Mbp1,
  RType.Mbp10,
  RType.Mbp1,
  RType.Mbp0,
  RType.Ohlcv1S,
  RType.Ohlcv1M,
  RType.Ohlcv1H,
  RType.Ohlcv1D,
  RType.InstrumentDef,
  RType.Statistics,
  RType.Status,
  RType.Imbalance,
  RType.OhlcvEod,
  RType.Cmbp1,
  RType.Cbbo1S,
  RType.Cbbo1M,
  RType.Tcbbo,
  RType.Bbo1S,
  RType.Bbo1M,
];

/** Returns the rtype written for records of a schema (tbbo -> 0x01, trades -> 0x00, ...). */
export function schemaRType(schema: Schema): RType {
  const rtype = SCHEMA_RTYPES[schema];
  if (rtype === undefined) throw new RangeError(`Unknown schema ${schema}`);
  return rtype;
}

/** Side of an order or of a trade's aggressor (1-byte char). */
export const Side = { Ask: "A", Bid: "B", None: "N" } as const;
/** A Side value. */
export type Side = typeof Side[keyof typeof Side];

/** Action of an MBO/MBP event (1-byte char). */
export const Action = {
  Add: "A",
  Cancel: "C",
  Modify: "M",
  Clear: "R",
  Trade: "T",
  Fill: "F",
  None: "N",
} as const;
/** An Action value. */
export type Action = typeof Action[keyof typeof Action];

/** `ErrorMsg.code` values (u8). */
export const ErrorCode = {
  AuthFailed: 1,
  ApiKeyDeactivated: 2,
  ConnectionLimitExceeded: 3,
  SymbolResolutionFailed: 4,
  InvalidSubscription: 5,
  InternalError: 6,
  SkippedRecordsAfterSlowReading: 7,
  Unset: 255,
} as const;
/** An ErrorCode value. */
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];

/** `SystemMsg.code` values (u8). */
export const SystemCode = {
  Heartbeat: 0,
  SubscriptionAck: 1,
  SlowReaderWarning: 2,
  ReplayCompleted: 3,
  EndOfInterval: 4,
  Unset: 255,
} as const;
/** A SystemCode value. */
export type SystemCode = typeof SystemCode[keyof typeof SystemCode];
