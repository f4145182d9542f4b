/**
 * TypeScript types of decoded records, derived from the layout tables so each layout is written
 * once. Discriminate on `rtype`; the five record types that changed between DBN versions have one
 * type per layout (`InstrumentDefMsgV1`, `InstrumentDefMsgV2`, `InstrumentDefMsg` = v3, ...), told
 * apart by the stream's version.
 * @module
 */
import type { RType } from "./enums.ts";
import type { RecordOf } from "./layout.ts";
import type {
  BBO_MSG,
  CBBO_MSG,
  CMBP1_MSG,
  IMBALANCE_MSG,
  MBO_MSG,
  MBP10_MSG,
  MBP1_MSG,
  OHLCV_MSG,
  STAT_MSG_V1,
  STAT_MSG_V3,
  STATUS_MSG,
  TRADE_MSG,
} from "./_layouts_market.ts";
import type {
  INSTRUMENT_DEF_MSG_V1,
  INSTRUMENT_DEF_MSG_V2,
  INSTRUMENT_DEF_MSG_V3,
} from "./_layouts_definition.ts";
import type {
  ERROR_MSG_V1,
  ERROR_MSG_V2,
  SYMBOL_MAPPING_MSG_V1,
  SYMBOL_MAPPING_MSG_V2,
  SYSTEM_MSG_V1,
  SYSTEM_MSG_V2,
} from "./_layouts_gateway.ts";

/** Trade (schema `trades`, rtype 0x00). */
export type TradeMsg = RecordOf<typeof RType.Mbp0, typeof TRADE_MSG>;
/** Market by price, one level (schemas `mbp-1`, `tbbo`, rtype 0x01). */
export type Mbp1Msg = RecordOf<typeof RType.Mbp1, typeof MBP1_MSG>;
/** Market by price, ten levels (schema `mbp-10`, rtype 0x0A). */
export type Mbp10Msg = RecordOf<typeof RType.Mbp10, typeof MBP10_MSG>;
/** Subsampled best bid and offer (schemas `bbo-1s`, `bbo-1m`). */
export type BboMsg = RecordOf<typeof RType.Bbo1S | typeof RType.Bbo1M, typeof BBO_MSG>;
/** Market by order (schema `mbo`, rtype 0xA0). */
export type MboMsg = RecordOf<typeof RType.Mbo, typeof MBO_MSG>;
/** The rtypes of OHLCV bars, the legacy 0x11 included. */
export type OhlcvRType =
  | typeof RType.Ohlcv1S
  | typeof RType.Ohlcv1M
  | typeof RType.Ohlcv1H
  | typeof RType.Ohlcv1D
  | typeof RType.OhlcvEod
  | typeof RType.OhlcvDeprecated;
/** OHLCV bar (schemas `ohlcv-*`). */
export type OhlcvMsg = RecordOf<OhlcvRType, typeof OHLCV_MSG>;
/** Consolidated market by price, one level (schemas `cmbp-1`, `tcbbo`). */
export type Cmbp1Msg = RecordOf<typeof RType.Cmbp1 | typeof RType.Tcbbo, typeof CMBP1_MSG>;
/** Subsampled consolidated best bid and offer (schemas `cbbo-1s`, `cbbo-1m`). */
export type CbboMsg = RecordOf<typeof RType.Cbbo1S | typeof RType.Cbbo1M, typeof CBBO_MSG>;
/** Trading status (schema `status`, rtype 0x12). */
export type StatusMsg = RecordOf<typeof RType.Status, typeof STATUS_MSG>;
/** Auction imbalance (schema `imbalance`, rtype 0x14). */
export type ImbalanceMsg = RecordOf<typeof RType.Imbalance, typeof IMBALANCE_MSG>;
/** Statistics in DBN v1 and v2 (i32 quantity). */
export type StatMsgV1 = RecordOf<typeof RType.Statistics, typeof STAT_MSG_V1>;
/** Statistics in DBN v2 (same layout as v1). */
export type StatMsgV2 = StatMsgV1;
/** Statistics in DBN v3 (i64 quantity). */
export type StatMsg = RecordOf<typeof RType.Statistics, typeof STAT_MSG_V3>;
/** Instrument definition in DBN v1. */
export type InstrumentDefMsgV1 = RecordOf<typeof RType.InstrumentDef, typeof INSTRUMENT_DEF_MSG_V1>;
/** Instrument definition in DBN v2. */
export type InstrumentDefMsgV2 = RecordOf<typeof RType.InstrumentDef, typeof INSTRUMENT_DEF_MSG_V2>;
/** Instrument definition in DBN v3. */
export type InstrumentDefMsg = RecordOf<typeof RType.InstrumentDef, typeof INSTRUMENT_DEF_MSG_V3>;
/** Live symbol mapping in DBN v1. */
export type SymbolMappingMsgV1 = RecordOf<typeof RType.SymbolMapping, typeof SYMBOL_MAPPING_MSG_V1>;
/** Live symbol mapping in DBN v2 and v3. */
export type SymbolMappingMsg = RecordOf<typeof RType.SymbolMapping, typeof SYMBOL_MAPPING_MSG_V2>;
/** Gateway error in DBN v1. */
export type ErrorMsgV1 = RecordOf<typeof RType.Error, typeof ERROR_MSG_V1>;
/** Gateway error in DBN v2 and v3. */
export type ErrorMsg = RecordOf<typeof RType.Error, typeof ERROR_MSG_V2>;
/** Gateway system message (heartbeat, ack) in DBN v1. */
export type SystemMsgV1 = RecordOf<typeof RType.System, typeof SYSTEM_MSG_V1>;
/** Gateway system message (heartbeat, ack) in DBN v2 and v3. */
export type SystemMsg = RecordOf<typeof RType.System, typeof SYSTEM_MSG_V2>;

/** A record in its DBN v3 (current) layout. */
export type DbnRecordV3 =
  | TradeMsg
  | Mbp1Msg
  | Mbp10Msg
  | BboMsg
  | MboMsg
  | OhlcvMsg
  | Cmbp1Msg
  | CbboMsg
  | StatusMsg
  | ImbalanceMsg
  | StatMsg
  | InstrumentDefMsg
  | SymbolMappingMsg
  | ErrorMsg
  | SystemMsg;

/** Any decoded record, in the layout of the version it was decoded from. */
export type DbnRecord =
  | DbnRecordV3
  | StatMsgV1
  | InstrumentDefMsgV1
  | InstrumentDefMsgV2
  | SymbolMappingMsgV1
  | ErrorMsgV1
  | SystemMsgV1;
