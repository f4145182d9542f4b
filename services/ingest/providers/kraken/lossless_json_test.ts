import assert from "node:assert/strict";
import {
  HAS_SOURCE_TEXT,
  isJsonNumber,
  parseLossless,
  parseQuoted,
  plainDecimal,
} from "./lossless_json.ts";

const FRAME =
  `{"a":0.10000000,"b":[45281.0,-2,1e-08],"id":13834774380200032777,"s":"0.5 \\"x\\" 7","t":true}`;

Deno.test("this runtime hands JSON.parse revivers the number's source text", () => {
  assert.equal(HAS_SOURCE_TEXT, true);
});

Deno.test("parseLossless() keeps every number's exact text, trailing zeros and big ids", () => {
  assert.deepEqual(parseLossless(FRAME), {
    a: "0.10000000",
    b: ["45281.0", "-2", "1e-08"],
    id: "13834774380200032777",
    s: '0.5 "x" 7',
    t: true,
  });
});

Deno.test("the scanner fallback gives the same result as the reviver", () => {
  assert.deepEqual(parseQuoted(FRAME), parseLossless(FRAME));
  assert.deepEqual(parseQuoted(`[0, null, {"k": 12.50}]`), ["0", null, { k: "12.50" }]);
});

Deno.test("both parsers reject invalid JSON and invalid number literals", () => {
  for (const text of ["{", `{"a":01}`, `{"a":1.}`, `{"a":--1}`, "not json"]) {
    assert.throws(() => parseLossless(text), SyntaxError, text);
    assert.throws(() => parseQuoted(text), SyntaxError, text);
  }
});

Deno.test("plainDecimal() expands exponents exactly and rejects signs and garbage", () => {
  assert.equal(plainDecimal("0.10000000"), "0.10000000");
  assert.equal(plainDecimal("1e-08"), "0.00000001");
  assert.equal(plainDecimal("1.25E+3"), "1250");
  assert.equal(plainDecimal("1.2345e2"), "123.45");
  assert.equal(plainDecimal("0.5e1"), "5");
  assert.equal(plainDecimal("5.494e-6"), "0.000005494");
  for (const bad of ["-1", "abc", "1e999", "", "1.", "+1"]) {
    assert.throws(() => plainDecimal(bad), RangeError, bad);
  }
  assert.equal(isJsonNumber("-0.5e+3"), true);
  assert.equal(isJsonNumber("0x10"), false);
});
