import assert from "node:assert/strict";
import {
  isRType,
  isSchema,
  parseSchema,
  parseSType,
  RType,
  rtypeName,
  rtypeRecordName,
  Schema,
  schemaName,
  schemaRType,
  SType,
  stypeName,
  symbolCstrLen,
  UNDEF_STAT_QUANTITY,
  undefStatQuantity,
} from "./mod.ts";

Deno.test("schemaName() and parseSchema() agree on every schema of DBN.md", () => {
  for (const schema of Object.values(Schema)) assert.equal(parseSchema(schemaName(schema)), schema);
  assert.equal(schemaName(Schema.Ohlcv1S), "ohlcv-1s");
  assert.equal(schemaName(Schema.Bbo1M), "bbo-1m");
  assert.equal(isSchema(20), false);
  assert.throws(() => parseSchema("mbp-2"), RangeError);
});

Deno.test("parseSType() accepts the names and the legacy aliases", () => {
  for (const stype of Object.values(SType)) assert.equal(parseSType(stypeName(stype)), stype);
  assert.equal(parseSType("native"), SType.RawSymbol);
  assert.equal(parseSType("product_id"), SType.InstrumentId);
  assert.throws(() => parseSType("ticker"), /Unknown stype "ticker"/);
});

Deno.test("schemaRType() writes tbbo as mbp-1 and trades as mbp-0", () => {
  assert.equal(schemaRType(Schema.Tbbo), RType.Mbp1);
  assert.equal(schemaRType(Schema.Trades), RType.Mbp0);
  assert.equal(schemaRType(Schema.Tcbbo), RType.Tcbbo);
  assert.equal(rtypeRecordName(schemaRType(Schema.Tcbbo)), "Cmbp1Msg");
  for (const schema of Object.values(Schema)) assert.ok(isRType(schemaRType(schema)));
});

Deno.test("rtypeRecordName() maps every OHLCV rtype, the legacy one included, to OhlcvMsg", () => {
  for (const rtype of [0x11, 0x20, 0x21, 0x22, 0x23, 0x24]) {
    assert.equal(rtypeRecordName(rtype as RType), "OhlcvMsg");
  }
  assert.equal(rtypeName(RType.InstrumentDef), "instrument-def");
  assert.throws(() => rtypeName(0x99 as RType), RangeError);
});

Deno.test("version-dependent constants: symbol width 22/71/71, stat quantity null i32/i64 max", () => {
  assert.deepEqual([symbolCstrLen(1), symbolCstrLen(2), symbolCstrLen(3)], [22, 71, 71]);
  assert.equal(undefStatQuantity(2), 2147483647n);
  assert.equal(undefStatQuantity(3), UNDEF_STAT_QUANTITY);
});
