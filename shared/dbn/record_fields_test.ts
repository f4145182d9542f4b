import assert from "node:assert/strict";
import { readFixture } from "./_fixtures.ts";
import { decodeDbn, decodeRecords, recordFields } from "./mod.ts";

Deno.test("recordFields() lists a trade in Databento's JSON order with snake_case names", () => {
  const { records } = decodeDbn(readFixture("test_data.trades.dbn").bytes);
  const fields = recordFields(records[0]!);
  assert.deepEqual(fields.map((field) => field.name), [
    "ts_recv",
    "hd",
    "action",
    "side",
    "depth",
    "price",
    "size",
    "flags",
    "ts_in_delta",
    "sequence",
  ]);
  assert.deepEqual(fields[1]!.value, {
    ts_event: 1609160400098821953n,
    rtype: 0,
    publisher_id: 1,
    instrument_id: 5482,
  });
});

Deno.test("recordFields() gives levels as snake_case objects without reserved bytes", () => {
  const { records } = decodeDbn(readFixture("test_data.cbbo-1s.dbn").bytes);
  const levels = recordFields(records[0]!).find((field) => field.name === "levels")!.value;
  assert.deepEqual(Object.keys((levels as object[])[0]!), [
    "bid_px",
    "ask_px",
    "bid_sz",
    "ask_sz",
    "bid_pb",
    "ask_pb",
  ]);
});

Deno.test("recordFields() uses the layout of the given version and appends ts_out", () => {
  const [record] = decodeRecords(readFixture("test_data.definition.v1.dbn.frag").bytes, {
    version: 1,
    tsOut: false,
  });
  const fields = recordFields({ ...record!, tsOut: 7n }, 1);
  assert.equal(fields.find((field) => field.name === "raw_symbol")!.value, "GEM3 P9812");
  assert.ok(fields.some((field) => field.name === "md_security_trading_status"));
  assert.ok(!fields.some((field) => field.name.includes("reserved")));
  assert.deepEqual(fields.at(-1), { name: "ts_out", value: 7n });
});
