import assert from "node:assert/strict";
import { MAX_RECORD_LEN, RECORD_LAYOUTS, recordLayout, recordSize, RType } from "./mod.ts";

// DBN.md section 4 (status, cmbp, cbbo, bbo have the same struct in every version).
const SIZES: [number, number, number, number][] = [
  [RType.Mbp0, 48, 48, 48],
  [RType.Mbp1, 80, 80, 80],
  [RType.Mbp10, 368, 368, 368],
  [RType.OhlcvDeprecated, 56, 56, 56],
  [RType.Status, 40, 40, 40],
  [RType.InstrumentDef, 360, 400, 520],
  [RType.Imbalance, 112, 112, 112],
  [RType.Error, 80, 320, 320],
  [RType.SymbolMapping, 80, 176, 176],
  [RType.System, 80, 320, 320],
  [RType.Statistics, 64, 64, 80],
  [RType.Ohlcv1S, 56, 56, 56],
  [RType.OhlcvEod, 56, 56, 56],
  [RType.Mbo, 56, 56, 56],
  [RType.Cmbp1, 80, 80, 80],
  [RType.Cbbo1M, 80, 80, 80],
  [RType.Tcbbo, 80, 80, 80],
  [RType.Bbo1S, 80, 80, 80],
];

Deno.test("recordSize() matches the size table of DBN.md for every rtype and version", () => {
  for (const [rtype, ...sizes] of SIZES) {
    sizes.forEach((size, i) => assert.equal(recordSize(rtype, (i + 1) as 1 | 2 | 3), size));
  }
  assert.throws(() => recordSize(0x99, 3), RangeError);
});

Deno.test("every layout is a multiple of 8 bytes and fits MAX_RECORD_LEN with ts_out", () => {
  for (const layout of RECORD_LAYOUTS) {
    assert.equal(layout.size % 8, 0, layout.name);
    assert.ok(layout.size + 8 <= MAX_RECORD_LEN);
  }
});

function offsetOf(rtype: number, version: 1 | 2 | 3, name: string): number | undefined {
  return recordLayout(rtype, version)!.fields.find((field) => field.name === name)?.offset;
}

Deno.test("InstrumentDefMsg offsets match DBN.md in v1, v2 and v3", () => {
  const def = RType.InstrumentDef;
  assert.equal(offsetOf(def, 1, "strike_price"), 328);
  assert.equal(offsetOf(def, 1, "raw_symbol"), 200);
  assert.equal(offsetOf(def, 1, "match_algorithm"), 342);
  assert.equal(offsetOf(def, 2, "strike_price"), 112);
  assert.equal(offsetOf(def, 2, "instrument_class"), 374);
  assert.equal(offsetOf(def, 3, "strike_price"), 104);
  assert.equal(offsetOf(def, 3, "raw_instrument_id"), 112);
  assert.equal(offsetOf(def, 3, "leg_raw_symbol"), 416);
  assert.equal(offsetOf(def, 3, "leg_side"), 502);
  assert.equal(offsetOf(def, 3, "trading_reference_price"), undefined);
});

Deno.test("record offsets match DBN.md for MBO, BBO, CBBO, StatMsg v3 and SymbolMappingMsg", () => {
  assert.equal(offsetOf(RType.Mbo, 3, "channel_id"), 37);
  assert.equal(offsetOf(RType.Mbo, 3, "ts_recv"), 40);
  assert.equal(offsetOf(RType.Bbo1M, 3, "sequence"), 44);
  assert.equal(offsetOf(RType.Cbbo1S, 3, "levels"), 48);
  assert.equal(offsetOf(RType.Statistics, 3, "stat_flags"), 61);
  assert.equal(offsetOf(RType.SymbolMapping, 2, "stype_out_symbol"), 89);
  assert.equal(offsetOf(RType.SymbolMapping, 1, "start_ts"), 64);
  assert.equal(offsetOf(RType.System, 2, "code"), 319);
});

Deno.test("encodeOrder follows Databento: ts_recv, hd, then the prioritised fields", () => {
  assert.deepEqual(recordLayout(RType.Mbo, 3)!.encodeOrder, [
    "ts_recv",
    "hd",
    "action",
    "side",
    "price",
    "size",
    "channel_id",
    "order_id",
    "flags",
    "ts_in_delta",
    "sequence",
  ]);
  assert.deepEqual(recordLayout(RType.Mbp0, 3)!.encodeOrder.slice(0, 5), [
    "ts_recv",
    "hd",
    "action",
    "side",
    "depth",
  ]);
  assert.deepEqual(recordLayout(RType.Ohlcv1S, 3)!.encodeOrder, [
    "hd",
    "open",
    "high",
    "low",
    "close",
    "volume",
  ]);
  const def = recordLayout(RType.InstrumentDef, 3)!.encodeOrder;
  assert.deepEqual(def.slice(0, 5), [
    "ts_recv",
    "hd",
    "raw_symbol",
    "security_update_action",
    "instrument_class",
  ]);
  assert.deepEqual(def.slice(-3), [
    "leg_ratio_qty_numerator",
    "leg_ratio_qty_denominator",
    "leg_underlying_id",
  ]);
  assert.equal(def.includes("reserved"), false);
});
