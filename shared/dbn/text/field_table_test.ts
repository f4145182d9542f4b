import assert from "node:assert/strict";
import { RECORD_LAYOUTS, RType } from "../mod.ts";
import { FIXED_PRICE_FIELDS, TEXT_TABLES, textTable, UNIX_NANOS_FIELDS } from "./field_table.ts";

Deno.test("every rtype has a text table in every DBN version", () => {
  for (const rtype of Object.values(RType)) {
    for (const version of [1, 2, 3] as const) {
      const table = textTable(rtype, version);
      const unique = new Set(table.fields.map((f) => f.name));
      assert.equal(unique.size, table.fields.length, `${table.recordName} v${version}`);
    }
  }
  assert.throws(() => textTable(0x99), RangeError);
  assert.equal(
    TEXT_TABLES.length,
    RECORD_LAYOUTS.reduce((n, l) => n + l.versions.length, 0),
  );
});

Deno.test("textTable() prints fields in the codec's encode order", () => {
  for (const layout of RECORD_LAYOUTS) {
    for (const version of layout.versions) {
      const names = textTable(layout.name, version).fields.map((f) => f.name);
      assert.deepEqual(names, layout.encodeOrder, `${layout.name} v${version}`);
    }
  }
});

Deno.test("every price and timestamp annotation names a printed field", () => {
  const kinds = new Map<string, string>();
  for (const table of TEXT_TABLES) {
    for (const field of table.fields) {
      kinds.set(field.name, field.kind);
      for (const level of field.levelFields ?? []) kinds.set(level.name, level.kind);
    }
  }
  kinds.set("ts_event", "ts");
  for (const name of FIXED_PRICE_FIELDS) assert.equal(kinds.get(name), "px", name);
  for (const name of UNIX_NANOS_FIELDS) assert.equal(kinds.get(name), "ts", name);
});

Deno.test("textTable() takes kinds from the codec and the print annotations", () => {
  const kinds = (version: 1 | 2 | 3, ...names: string[]) => {
    const fields = textTable("InstrumentDefMsg", version).fields;
    return names.map((name) => fields.find((f) => f.name === name)?.kind);
  };
  assert.deepEqual(
    kinds(3, "ts_recv", "strike_price", "raw_instrument_id", "leg_count", "raw_symbol"),
    ["ts", "px", "int64", "int", "cstr"],
  );
  // v1/v2 type these bytes as enums (never null), v3 as c_char.
  assert.deepEqual(kinds(1, "security_update_action", "user_defined_instrument"), ["char", "char"]);
  assert.deepEqual(kinds(2, "security_update_action", "user_defined_instrument"), [
    "cchar",
    "char",
  ]);
  assert.deepEqual(kinds(3, "security_update_action", "user_defined_instrument"), [
    "cchar",
    "cchar",
  ]);
  const stat = (version: 1 | 3) =>
    textTable("StatMsg", version).fields.find((f) => f.name === "quantity");
  assert.equal(stat(1)?.kind, "int");
  assert.equal(stat(3)?.kind, "int64");
  const levels = textTable(RType.Cbbo1S).fields.find((f) => f.name === "levels");
  assert.deepEqual(levels?.levelFields?.map((f) => `${f.name}:${f.kind}`), [
    "bid_px:px",
    "ask_px:px",
    "bid_sz:int",
    "ask_sz:int",
    "bid_pb:int",
    "ask_pb:int",
  ]);
  assert.equal(textTable(RType.Mbp10).levelCount, 10);
});
