// Declared fields of InstrumentDefMsg in DBN v1, v2 and v3, transcribed from databento/dbn
// (compat.rs for v1/v2, record.rs for v3; release 0.54) in declaration order, hidden fields
// included. v1 and v2 `security_update_action` / `user_defined_instrument` are typed enums
// ("char": never null), the others `#[dbn(c_char)]` bytes ("cchar": null when zero).
import type { FieldDecl, TableDecl } from "./field_table.ts";

const PRICES_V1_V2: readonly FieldDecl[] = [
  ["ts_recv", "ts", 0],
  ["min_price_increment", "px"],
  ["display_factor", "px"],
  ["expiration", "ts"],
  ["activation", "ts"],
  ["high_limit_price", "px"],
  ["low_limit_price", "px"],
  ["max_price_variation", "px"],
  ["trading_reference_price", "px"],
  ["unit_of_measure_qty", "px"],
  ["min_price_increment_amount", "px"],
  ["price_ratio", "px"],
];

const INTS_HEAD = [
  ["inst_attrib_value", "int"],
  ["underlying_id", "int"],
  ["raw_instrument_id", "int"],
  ["market_depth_implied", "int"],
  ["market_depth", "int"],
  ["market_segment_id", "int"],
  ["max_trade_vol", "int"],
  ["min_lot_size", "int"],
  ["min_lot_size_block", "int"],
  ["min_lot_size_round_lot", "int"],
  ["min_trade_vol", "int"],
] as const;

const CONTRACT = [
  ["contract_multiplier", "int"],
  ["decay_quantity", "int"],
  ["original_contract_size", "int"],
] as const;

const DATES_V1_V2 = [
  ["trading_reference_date", "int"],
  ["appl_id", "int"],
  ["maturity_year", "int"],
  ["decay_start_date", "int"],
  ["channel_id", "int"],
] as const;

const STRINGS = [
  ["currency", "cstr"],
  ["settl_currency", "cstr"],
  ["secsubtype", "cstr"],
  ["raw_symbol", "cstr", 2],
  ["group", "cstr"],
  ["exchange", "cstr"],
  ["asset", "cstr"],
  ["cfi", "cstr"],
  ["security_type", "cstr"],
  ["unit_of_measure", "cstr"],
  ["underlying", "cstr"],
  ["strike_price_currency", "cstr"],
] as const;

const MATURITY = [
  ["maturity_month", "int"],
  ["maturity_day", "int"],
  ["maturity_week", "int"],
] as const;

const TAIL = [
  ["contract_multiplier_unit", "int"],
  ["flow_schedule_type", "int"],
  ["tick_rule", "int"],
] as const;

const V1: readonly FieldDecl[] = [
  ...PRICES_V1_V2,
  ...INTS_HEAD,
  ["_reserved2", "reserved"],
  ...CONTRACT,
  ["_reserved3", "reserved"],
  ...DATES_V1_V2,
  ...STRINGS,
  ["instrument_class", "cchar", 4],
  ["_reserved4", "reserved"],
  ["strike_price", "px"],
  ["_reserved5", "reserved"],
  ["match_algorithm", "cchar"],
  ["md_security_trading_status", "int"],
  ["main_fraction", "int"],
  ["price_display_format", "int"],
  ["settl_price_type", "int"],
  ["sub_fraction", "int"],
  ["underlying_product", "int"],
  ["security_update_action", "char", 3],
  ...MATURITY,
  ["user_defined_instrument", "char"],
  ...TAIL,
  ["_dummy", "reserved"],
];

const V2: readonly FieldDecl[] = [
  ...PRICES_V1_V2,
  ["strike_price", "px", 46],
  ...INTS_HEAD,
  ...CONTRACT,
  ...DATES_V1_V2,
  ...STRINGS,
  ["instrument_class", "cchar", 4],
  ["match_algorithm", "cchar"],
  ["md_security_trading_status", "int"],
  ["main_fraction", "int"],
  ["price_display_format", "int"],
  ["settl_price_type", "int"],
  ["sub_fraction", "int"],
  ["underlying_product", "int"],
  ["security_update_action", "cchar", 3],
  ...MATURITY,
  ["user_defined_instrument", "char"],
  ...TAIL,
  ["_reserved", "reserved"],
];

const V3: readonly FieldDecl[] = [
  ["ts_recv", "ts", 0],
  ["min_price_increment", "px"],
  ["display_factor", "px"],
  ["expiration", "ts"],
  ["activation", "ts"],
  ["high_limit_price", "px"],
  ["low_limit_price", "px"],
  ["max_price_variation", "px"],
  ["unit_of_measure_qty", "px"],
  ["min_price_increment_amount", "px"],
  ["price_ratio", "px"],
  ["strike_price", "px", 54],
  ["raw_instrument_id", "int64", 20],
  ["leg_price", "px", 165],
  ["leg_delta", "px", 166],
  ...INTS_HEAD.filter(([name]) => name !== "raw_instrument_id"),
  ...CONTRACT,
  ["leg_instrument_id", "int", 160],
  ["leg_ratio_price_numerator", "int", 167],
  ["leg_ratio_price_denominator", "int", 168],
  ["leg_ratio_qty_numerator", "int", 169],
  ["leg_ratio_qty_denominator", "int", 170],
  ["leg_underlying_id", "int", 171],
  ["appl_id", "int"],
  ["maturity_year", "int"],
  ["decay_start_date", "int"],
  ["channel_id", "int"],
  ["leg_count", "int", 158],
  ["leg_index", "int", 159],
  ...STRINGS,
  ["leg_raw_symbol", "cstr", 161],
  ["instrument_class", "cchar", 4],
  ["match_algorithm", "cchar"],
  ["main_fraction", "int"],
  ["price_display_format", "int"],
  ["sub_fraction", "int"],
  ["underlying_product", "int"],
  ["security_update_action", "cchar", 3],
  ...MATURITY,
  ["user_defined_instrument", "cchar"],
  ...TAIL,
  ["leg_instrument_class", "cchar", 163],
  ["leg_side", "cchar", 164],
  ["_reserved", "reserved"],
];

/** The InstrumentDefMsg tables in declaration form. */
export const DEFINITION_TABLES: readonly TableDecl[] = [
  { recordName: "InstrumentDefMsg", versions: [1], decls: V1 },
  { recordName: "InstrumentDefMsg", versions: [2], decls: V2 },
  { recordName: "InstrumentDefMsg", versions: [3], decls: V3 },
];
