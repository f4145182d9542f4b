/**
 * Databento Binary Encoding (DBN) v1-v3: metadata and record codecs as pure functions over
 * Uint8Array (no I/O, usable in Workers), record layouts defined once as tables, version
 * upgrades, and printing order. Byte layouts: shared/design/DBN.md. Streaming, zstd and DBZ live
 * in `stream/`.
 *
 * Records decode to plain objects: header fields (`rtype`, `publisherId`, `instrumentId`,
 * `tsEvent`), then the layout's fields in camelCase; 64-bit integers as bigint, smaller ones as
 * number, chars as one-character strings ("" for a zero byte), fixed strings up to the first NUL;
 * reserved bytes are dropped (written back as zeros); `tsOut` when the stream has it.
 *
 * @module
 */
export * from "./constants.ts";
export {
  Action,
  ErrorCode,
  isRType,
  isSchema,
  isSType,
  parseSchema,
  parseSType,
  type RecordName,
  RType,
  rtypeName,
  rtypeRecordName,
  Schema,
  schemaName,
  schemaRType,
  Side,
  SType,
  stypeName,
  SystemCode,
} from "./enums.ts";
export {
  BID_ASK_PAIR,
  type BidAskPair,
  CONSOLIDATED_BID_ASK_PAIR,
  type ConsolidatedBidAskPair,
  type FieldKind,
  type FieldLayout,
  type FieldSpec,
  LEVEL_LEN,
  type RecordHeaderFields,
  type RecordLayout,
} from "./layout.ts";
export { RECORD_LAYOUTS, recordLayout, recordSize } from "./layouts.ts";
export type {
  BboMsg,
  CbboMsg,
  Cmbp1Msg,
  DbnRecord,
  DbnRecordV3,
  ErrorMsg,
  ErrorMsgV1,
  ImbalanceMsg,
  InstrumentDefMsg,
  InstrumentDefMsgV1,
  InstrumentDefMsgV2,
  MboMsg,
  Mbp10Msg,
  Mbp1Msg,
  OhlcvMsg,
  OhlcvRType,
  StatMsg,
  StatMsgV1,
  StatMsgV2,
  StatusMsg,
  SymbolMappingMsg,
  SymbolMappingMsgV1,
  SystemMsg,
  SystemMsgV1,
  TradeMsg,
} from "./records.ts";
export {
  checkRecordAt,
  decodeRecord,
  encodedRecordSize,
  encodeRecord,
  type RecordContext,
  recordLengthAt,
  type RecordTarget,
} from "./record_codec.ts";
export {
  isYmdDate,
  type MappingInterval,
  type Metadata,
  type SymbolMapping,
  upgradeMetadata,
} from "./metadata.ts";
export {
  type DecodedMetadata,
  decodeMetadata,
  type DecodeMetadataOptions,
  encodedMetadataSize,
  encodeMetadata,
} from "./metadata_codec.ts";
export { type DbnData, upgradeDbn, upgradeRecord } from "./upgrade.ts";
export {
  decodeDbn,
  type DecodeDbnOptions,
  decodeRecords,
  type DecodeRecordsOptions,
  encodeDbn,
  encodeRecords,
} from "./dbn_buffer.ts";
export { type RecordField, recordFields } from "./record_fields.ts";
