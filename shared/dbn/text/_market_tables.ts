// Declared fields of every record struct except InstrumentDefMsg, transcribed from the struct
// definitions in databento/dbn (rust/dbn/src/record.rs and compat.rs, release 0.54): declaration
// order, hidden `_reserved` fields included because they shift the encode-order indexes.
import type { TableDecl } from "./field_table.ts";

const ALL = [1, 2, 3] as const;
const V2_UP = [2, 3] as const;

const TRADE = [
  ["price", "px"],
  ["size", "int"],
  ["action", "cchar", 2],
  ["side", "cchar", 3],
  ["flags", "int"],
  ["depth", "int", 4],
  ["ts_recv", "ts", 0],
  ["ts_in_delta", "int"],
  ["sequence", "int"],
] as const;

const STAT_HEAD = [["ts_recv", "ts", 0], ["ts_ref", "ts"], ["price", "px"]] as const;
const STAT_TAIL = [
  ["sequence", "int"],
  ["ts_in_delta", "int"],
  ["stat_type", "int"],
  ["channel_id", "int"],
  ["update_action", "int"],
  ["stat_flags", "int"],
  ["_reserved", "reserved"],
] as const;

/** The non-definition tables in declaration form. */
export const MARKET_TABLES: readonly TableDecl[] = [
  {
    recordName: "MboMsg",
    versions: ALL,
    decls: [
      ["order_id", "int64"],
      ["price", "px", 4],
      ["size", "int", 5],
      ["flags", "int"],
      ["channel_id", "int", 6],
      ["action", "cchar", 2],
      ["side", "cchar", 3],
      ["ts_recv", "ts", 0],
      ["ts_in_delta", "int"],
      ["sequence", "int"],
    ],
  },
  { recordName: "TradeMsg", versions: ALL, decls: TRADE },
  { recordName: "Mbp1Msg", versions: ALL, decls: [...TRADE, ["levels", "levels"]], levelCount: 1 },
  {
    recordName: "Mbp10Msg",
    versions: ALL,
    decls: [...TRADE, ["levels", "levels"]],
    levelCount: 10,
  },
  {
    recordName: "BboMsg",
    versions: ALL,
    decls: [
      ["price", "px"],
      ["size", "int"],
      ["_reserved1", "reserved"],
      ["side", "cchar", 2],
      ["flags", "int"],
      ["_reserved2", "reserved"],
      ["ts_recv", "ts", 0],
      ["_reserved3", "reserved"],
      ["sequence", "int"],
      ["levels", "levels"],
    ],
    levelCount: 1,
  },
  {
    recordName: "Cmbp1Msg",
    versions: ALL,
    decls: [
      ["price", "px"],
      ["size", "int"],
      ["action", "cchar", 2],
      ["side", "cchar", 3],
      ["flags", "int"],
      ["_reserved1", "reserved"],
      ["ts_recv", "ts", 0],
      ["ts_in_delta", "int"],
      ["_reserved2", "reserved"],
      ["levels", "clevels"],
    ],
    levelCount: 1,
  },
  {
    recordName: "CbboMsg",
    versions: ALL,
    decls: [
      ["price", "px"],
      ["size", "int"],
      ["_reserved1", "reserved"],
      ["side", "cchar", 2],
      ["flags", "int"],
      ["_reserved2", "reserved"],
      ["ts_recv", "ts", 0],
      ["_reserved3", "reserved"],
      ["levels", "clevels"],
    ],
    levelCount: 1,
  },
  {
    recordName: "OhlcvMsg",
    versions: ALL,
    decls: [["open", "px"], ["high", "px"], ["low", "px"], ["close", "px"], ["volume", "int64"]],
  },
  {
    recordName: "StatusMsg",
    versions: ALL,
    decls: [
      ["ts_recv", "ts", 0],
      ["action", "int"],
      ["reason", "int"],
      ["trading_event", "int"],
      ["is_trading", "cchar"],
      ["is_quoting", "cchar"],
      ["is_short_sell_restricted", "cchar"],
      ["_reserved", "reserved"],
    ],
  },
  {
    recordName: "ImbalanceMsg",
    versions: ALL,
    decls: [
      ["ts_recv", "ts", 0],
      ["ref_price", "px"],
      ["auction_time", "ts"],
      ["cont_book_clr_price", "px"],
      ["auct_interest_clr_price", "px"],
      ["ssr_filling_price", "px"],
      ["ind_match_price", "px"],
      ["upper_collar", "px"],
      ["lower_collar", "px"],
      ["paired_qty", "int"],
      ["total_imbalance_qty", "int"],
      ["market_imbalance_qty", "int"],
      ["unpaired_qty", "int"],
      ["auction_type", "cchar"],
      ["side", "cchar"],
      ["auction_status", "int"],
      ["freeze_status", "int"],
      ["num_extensions", "int"],
      ["unpaired_side", "cchar"],
      ["significant_imbalance", "cchar"],
      ["_reserved", "reserved"],
    ],
  },
  // v1 and v2 store quantity as i32 (a JSON number), v3 as i64 (a JSON string).
  {
    recordName: "StatMsg",
    versions: [1, 2],
    decls: [...STAT_HEAD, ["quantity", "int"], ...STAT_TAIL],
  },
  {
    recordName: "StatMsg",
    versions: [3],
    decls: [...STAT_HEAD, ["quantity", "int64"], ...STAT_TAIL],
  },
  { recordName: "ErrorMsg", versions: [1], decls: [["err", "cstr"]] },
  {
    recordName: "ErrorMsg",
    versions: V2_UP,
    decls: [["err", "cstr"], ["code", "int"], ["is_last", "int"]],
  },
  {
    recordName: "SymbolMappingMsg",
    versions: [1],
    decls: [
      ["stype_in_symbol", "cstr"],
      ["stype_out_symbol", "cstr"],
      ["_dummy", "reserved"],
      ["start_ts", "ts"],
      ["end_ts", "ts"],
    ],
  },
  {
    recordName: "SymbolMappingMsg",
    versions: V2_UP,
    decls: [
      ["stype_in", "int"],
      ["stype_in_symbol", "cstr"],
      ["stype_out", "int"],
      ["stype_out_symbol", "cstr"],
      ["start_ts", "ts"],
      ["end_ts", "ts"],
    ],
  },
  { recordName: "SystemMsg", versions: [1], decls: [["msg", "cstr"]] },
  { recordName: "SystemMsg", versions: V2_UP, decls: [["msg", "cstr"], ["code", "int"]] },
];
