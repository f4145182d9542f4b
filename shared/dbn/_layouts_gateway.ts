// Layout tables of the live-gateway records: SymbolMappingMsg, ErrorMsg and SystemMsg in DBN v1
// and v2/v3 (DBN.md section 6).
import { defineLayout, type FieldSpec } from "./layout.ts";
import { RType } from "./enums.ts";

export const SYMBOL_MAPPING_MSG_V1 = [
  ["stype_in_symbol", "cstr", 22],
  ["stype_out_symbol", "cstr", 22],
  ["_dummy", "reserved", 4],
  ["start_ts", "u64"],
  ["end_ts", "u64"],
] as const satisfies readonly FieldSpec[];

export const SYMBOL_MAPPING_MSG_V2 = [
  ["stype_in", "u8"],
  ["stype_in_symbol", "cstr", 71],
  ["stype_out", "u8"],
  ["stype_out_symbol", "cstr", 71],
  ["start_ts", "u64"],
  ["end_ts", "u64"],
] as const satisfies readonly FieldSpec[];

export const ERROR_MSG_V1 = [["err", "cstr", 64]] as const satisfies readonly FieldSpec[];

export const ERROR_MSG_V2 = [
  ["err", "cstr", 302],
  ["code", "u8"],
  ["is_last", "u8"],
] as const satisfies readonly FieldSpec[];

export const SYSTEM_MSG_V1 = [["msg", "cstr", 64]] as const satisfies readonly FieldSpec[];

export const SYSTEM_MSG_V2 = [
  ["msg", "cstr", 303],
  ["code", "u8"],
] as const satisfies readonly FieldSpec[];

const V1 = [1] as const;
const V2_V3 = [2, 3] as const;

export const GATEWAY_LAYOUTS = [
  defineLayout(SYMBOL_MAPPING_MSG_V1, {
    name: "SymbolMappingMsg",
    rtypes: [RType.SymbolMapping],
    versions: V1,
    size: 80,
  }),
  defineLayout(SYMBOL_MAPPING_MSG_V2, {
    name: "SymbolMappingMsg",
    rtypes: [RType.SymbolMapping],
    versions: V2_V3,
    size: 176,
  }),
  defineLayout(ERROR_MSG_V1, { name: "ErrorMsg", rtypes: [RType.Error], versions: V1, size: 80 }),
  defineLayout(ERROR_MSG_V2, {
    name: "ErrorMsg",
    rtypes: [RType.Error],
    versions: V2_V3,
    size: 320,
  }),
  defineLayout(SYSTEM_MSG_V1, {
    name: "SystemMsg",
    rtypes: [RType.System],
    versions: V1,
    size: 80,
  }),
  defineLayout(SYSTEM_MSG_V2, {
    name: "SystemMsg",
    rtypes: [RType.System],
    versions: V2_V3,
    size: 320,
  }),
];
