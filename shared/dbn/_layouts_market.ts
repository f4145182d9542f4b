// Layout tables of the market-data records (DBN.md section 6). Offsets follow from the order;
// defineLayout() checks each table against its declared size.
import { defineLayout, type FieldSpec } from "./layout.ts";
import { RType } from "./enums.ts";

const ALL = [1, 2, 3] as const;
const MBP_ORDER = { action: 2, side: 3, depth: 4 };

export const TRADE_MSG = [
  ["price", "i64"],
  ["size", "u32"],
  ["action", "char"],
  ["side", "char"],
  ["flags", "u8"],
  ["depth", "u8"],
  ["ts_recv", "u64"],
  ["ts_in_delta", "i32"],
  ["sequence", "u32"],
] as const satisfies readonly FieldSpec[];

export const MBP1_MSG = [...TRADE_MSG, [
  "levels",
  "levels",
  1,
]] as const satisfies readonly FieldSpec[];

export const MBP10_MSG = [
  ...TRADE_MSG,
  ["levels", "levels", 10],
] as const satisfies readonly FieldSpec[];

export const BBO_MSG = [
  ["price", "i64"],
  ["size", "u32"],
  ["_reserved1", "reserved", 1],
  ["side", "char"],
  ["flags", "u8"],
  ["_reserved2", "reserved", 1],
  ["ts_recv", "u64"],
  ["_reserved3", "reserved", 4],
  ["sequence", "u32"],
  ["levels", "levels", 1],
] as const satisfies readonly FieldSpec[];

export const MBO_MSG = [
  ["order_id", "u64"],
  ["price", "i64"],
  ["size", "u32"],
  ["flags", "u8"],
  ["channel_id", "u8"],
  ["action", "char"],
  ["side", "char"],
  ["ts_recv", "u64"],
  ["ts_in_delta", "i32"],
  ["sequence", "u32"],
] as const satisfies readonly FieldSpec[];

export const OHLCV_MSG = [
  ["open", "i64"],
  ["high", "i64"],
  ["low", "i64"],
  ["close", "i64"],
  ["volume", "u64"],
] as const satisfies readonly FieldSpec[];

export const CMBP1_MSG = [
  ["price", "i64"],
  ["size", "u32"],
  ["action", "char"],
  ["side", "char"],
  ["flags", "u8"],
  ["_reserved1", "reserved", 1],
  ["ts_recv", "u64"],
  ["ts_in_delta", "i32"],
  ["_reserved2", "reserved", 4],
  ["levels", "clevels", 1],
] as const satisfies readonly FieldSpec[];

export const CBBO_MSG = [
  ["price", "i64"],
  ["size", "u32"],
  ["_reserved1", "reserved", 1],
  ["side", "char"],
  ["flags", "u8"],
  ["_reserved2", "reserved", 1],
  ["ts_recv", "u64"],
  ["_reserved3", "reserved", 8],
  ["levels", "clevels", 1],
] as const satisfies readonly FieldSpec[];

export const STATUS_MSG = [
  ["ts_recv", "u64"],
  ["action", "u16"],
  ["reason", "u16"],
  ["trading_event", "u16"],
  ["is_trading", "char"],
  ["is_quoting", "char"],
  ["is_short_sell_restricted", "char"],
  ["_reserved", "reserved", 7],
] as const satisfies readonly FieldSpec[];

export const IMBALANCE_MSG = [
  ["ts_recv", "u64"],
  ["ref_price", "i64"],
  ["auction_time", "u64"],
  ["cont_book_clr_price", "i64"],
  ["auct_interest_clr_price", "i64"],
  ["ssr_filling_price", "i64"],
  ["ind_match_price", "i64"],
  ["upper_collar", "i64"],
  ["lower_collar", "i64"],
  ["paired_qty", "u32"],
  ["total_imbalance_qty", "u32"],
  ["market_imbalance_qty", "u32"],
  ["unpaired_qty", "u32"],
  ["auction_type", "char"],
  ["side", "char"],
  ["auction_status", "u8"],
  ["freeze_status", "u8"],
  ["num_extensions", "u8"],
  ["unpaired_side", "char"],
  ["significant_imbalance", "char"],
  ["_reserved", "reserved", 1],
] as const satisfies readonly FieldSpec[];

export const STAT_MSG_V1 = [
  ["ts_recv", "u64"],
  ["ts_ref", "u64"],
  ["price", "i64"],
  ["quantity", "i32"],
  ["sequence", "u32"],
  ["ts_in_delta", "i32"],
  ["stat_type", "u16"],
  ["channel_id", "u16"],
  ["update_action", "u8"],
  ["stat_flags", "u8"],
  ["_reserved", "reserved", 6],
] as const satisfies readonly FieldSpec[];

export const STAT_MSG_V3 = [
  ["ts_recv", "u64"],
  ["ts_ref", "u64"],
  ["price", "i64"],
  ["quantity", "i64"],
  ["sequence", "u32"],
  ["ts_in_delta", "i32"],
  ["stat_type", "u16"],
  ["channel_id", "u16"],
  ["update_action", "u8"],
  ["stat_flags", "u8"],
  ["_reserved", "reserved", 18],
] as const satisfies readonly FieldSpec[];

export const MARKET_LAYOUTS = [
  defineLayout(TRADE_MSG, {
    name: "TradeMsg",
    rtypes: [RType.Mbp0],
    versions: ALL,
    size: 48,
    encodeOrder: MBP_ORDER,
  }),
  defineLayout(MBP1_MSG, {
    name: "Mbp1Msg",
    rtypes: [RType.Mbp1],
    versions: ALL,
    size: 80,
    encodeOrder: MBP_ORDER,
  }),
  defineLayout(MBP10_MSG, {
    name: "Mbp10Msg",
    rtypes: [RType.Mbp10],
    versions: ALL,
    size: 368,
    encodeOrder: MBP_ORDER,
  }),
  defineLayout(BBO_MSG, {
    name: "BboMsg",
    rtypes: [RType.Bbo1S, RType.Bbo1M],
    versions: ALL,
    size: 80,
    encodeOrder: { side: 2 },
  }),
  defineLayout(MBO_MSG, {
    name: "MboMsg",
    rtypes: [RType.Mbo],
    versions: ALL,
    size: 56,
    encodeOrder: { action: 2, side: 3, price: 4, size: 5, channel_id: 6 },
  }),
  defineLayout(OHLCV_MSG, {
    name: "OhlcvMsg",
    rtypes: [
      RType.Ohlcv1S,
      RType.Ohlcv1M,
      RType.Ohlcv1H,
      RType.Ohlcv1D,
      RType.OhlcvEod,
      RType.OhlcvDeprecated,
    ],
    versions: ALL,
    size: 56,
  }),
  defineLayout(CMBP1_MSG, {
    name: "Cmbp1Msg",
    rtypes: [RType.Cmbp1, RType.Tcbbo],
    versions: ALL,
    size: 80,
    encodeOrder: { action: 2, side: 3 },
  }),
  defineLayout(CBBO_MSG, {
    name: "CbboMsg",
    rtypes: [RType.Cbbo1S, RType.Cbbo1M],
    versions: ALL,
    size: 80,
    encodeOrder: { side: 2 },
  }),
  defineLayout(STATUS_MSG, { name: "StatusMsg", rtypes: [RType.Status], versions: ALL, size: 40 }),
  defineLayout(IMBALANCE_MSG, {
    name: "ImbalanceMsg",
    rtypes: [RType.Imbalance],
    versions: ALL,
    size: 112,
  }),
  defineLayout(STAT_MSG_V1, {
    name: "StatMsg",
    rtypes: [RType.Statistics],
    versions: [1, 2],
    size: 64,
  }),
  defineLayout(STAT_MSG_V3, {
    name: "StatMsg",
    rtypes: [RType.Statistics],
    versions: [3],
    size: 80,
  }),
];
