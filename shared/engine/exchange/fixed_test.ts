import assert from "node:assert/strict";
import { Decimal } from "decimal.js";
import { decimalToFixed, fixedToDecimal, LedgerDecimal, MAX_I64 } from "./mod.ts";

Deno.test("fixedToDecimal() is exact for the whole i64 range", () => {
  assert.equal(fixedToDecimal(123_450_000_000n).toFixed(), "123.45");
  assert.equal(fixedToDecimal(1n).toFixed(), "0.000000001");
  assert.equal(fixedToDecimal(-5n).toFixed(), "-0.000000005");
  assert.equal(fixedToDecimal(MAX_I64).toFixed(), "9223372036.854775807");
  assert.equal(fixedToDecimal(-MAX_I64 - 1n).toFixed(), "-9223372036.854775808");
});

Deno.test("decimalToFixed() rounds up or down to the 1e-9 grid and round-trips fixedToDecimal()", () => {
  assert.equal(decimalToFixed("60006.0000000010001", "up"), 60_006_000_000_002n);
  assert.equal(decimalToFixed("59994.0000000009999", "down"), 59_994_000_000_000n);
  assert.equal(decimalToFixed("-0.0000000001", "down"), -1n);
  assert.equal(decimalToFixed("-0.0000000001", "up"), 0n);
  assert.equal(decimalToFixed(new Decimal("42.5"), "exact"), 42_500_000_000n);
  for (const fixed of [0n, 1n, 999_999_999n, 60_000_123_456_789n, MAX_I64]) {
    assert.equal(decimalToFixed(fixedToDecimal(fixed), "exact"), fixed);
  }
});

Deno.test("decimalToFixed() throws RangeError off the grid (exact) and outside the i64 range", () => {
  assert.throws(() => decimalToFixed("0.0000000001", "exact"), RangeError);
  assert.throws(() => decimalToFixed("9223372036.854775808", "up"), RangeError);
  assert.throws(() => decimalToFixed("NaN", "down"), RangeError);
});

Deno.test("LedgerDecimal keeps 40 significant digits where the default Decimal keeps 20", () => {
  const a = new LedgerDecimal("123456789.123456789");
  const b = new LedgerDecimal("98765.4321");
  assert.equal(a.times(b).toFixed(), "12193263123456.7900112635269");
  assert.notEqual(new Decimal(a.toFixed()).times(b.toFixed()).toFixed(), a.times(b).toFixed());
});
