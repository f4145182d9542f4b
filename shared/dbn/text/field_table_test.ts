import assert from "node:assert/strict";
import { RECORD_LAYOUTS, RType } from "../mod.ts";
import { type FieldDecl, orderFields, TEXT_TABLES, textTable } from "./field_table.ts";

const names = (decls: readonly FieldDecl[]) => orderFields(decls).map((f) => f.name);

Deno.test("orderFields() moves prioritised fields to their index, lowest order first", () => {
  // MboMsg's attributes give upstream's ts_recv,hd,action,side,price,size,channel_id,...
  assert.deepEqual(
    names([
      ["order_id", "int64"],
      ["price", "px", 4],
      ["size", "int", 5],
      ["flags", "int"],
      ["channel_id", "int", 6],
      ["action", "cchar", 2],
      ["side", "cchar", 3],
      ["ts_recv", "ts", 0],
    ]),
    ["ts_recv", "hd", "action", "side", "price", "size", "channel_id", "order_id", "flags"],
  );
});

Deno.test("orderFields() counts hidden fields and appends orders past the end in order", () => {
  assert.deepEqual(
    names([["a", "int"], ["_r", "reserved"], ["b", "int", 2], ["z", "int", 99], ["y", "int", 98]]),
    ["hd", "a", "b", "y", "z"],
  );
  assert.throws(() => orderFields([["a", "int", 1], ["b", "int", 1]]), /Duplicate encode order 1/);
});

Deno.test("every rtype has a text table in every DBN version", () => {
  for (const rtype of Object.values(RType)) {
    for (const version of [1, 2, 3] as const) {
      const table = textTable(rtype, version);
      const unique = new Set(table.fields.map((f) => f.name));
      assert.equal(unique.size, table.fields.length, `${table.recordName} v${version}`);
    }
  }
  assert.throws(() => textTable(0x99), RangeError);
});

// The codec derives its own encode order from the same upstream attributes; both must agree,
// and every key printed here must be a key the codec decodes.
Deno.test("text tables agree with the codec's record layouts", () => {
  for (const layout of RECORD_LAYOUTS) {
    for (const version of layout.versions) {
      const table = textTable(layout.name, version);
      const label = `${layout.name} v${version}`;
      assert.deepEqual(table.fields.map((f) => f.name), layout.encodeOrder, label);
      const keys = new Set(layout.fields.map((f) => f.key));
      for (const field of table.fields) {
        if (field.kind !== "hd") assert.ok(keys.has(field.key), `${label}: ${field.key}`);
      }
    }
  }
  assert.equal(
    TEXT_TABLES.reduce((n, t) => n + t.versions.length, 0),
    RECORD_LAYOUTS.reduce((n, l) => n + l.versions.length, 0),
  );
});
