import assert from "node:assert/strict";
import { isRecord, malformedDrop } from "./_json.ts";

Deno.test("isRecord() accepts plain objects only", () => {
  assert.equal(isRecord({}), true);
  assert.equal(isRecord([]), false);
  assert.equal(isRecord(null), false);
  assert.equal(isRecord("x"), false);
});

Deno.test("malformedDrop() names the identifying keys present, or the JSON type", () => {
  assert.deepEqual(malformedDrop({ e: "trade", s: "BTCUSDT", p: 1 }, ["e", "s", "id"]), {
    type: "drop",
    reason: "malformed_json",
    detail: { e: "trade", s: "BTCUSDT" },
  });
  assert.deepEqual(malformedDrop([1], ["e"]).detail, { json: "object" });
  assert.deepEqual(malformedDrop(5, ["e"]).detail, { json: "number" });
});
