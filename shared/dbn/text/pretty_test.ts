import assert from "node:assert/strict";
import { UNDEF_PRICE, UNDEF_TIMESTAMP } from "../constants.ts";
import { formatPx, formatTs } from "./pretty.ts";

// Cases from databento/dbn rust/dbn/src/pretty.rs (test_pretty_px, test_fmt_ts).
Deno.test("formatPx() prints nine decimals like upstream fmt_px", () => {
  assert.equal(formatPx(-100_000n), "-0.000100000");
  assert.equal(formatPx(32_500_000_000n), "32.500000000");
  assert.equal(formatPx(101_005_000_000n), "101.005000000");
  assert.equal(formatPx(0n), "0.000000000");
  assert.equal(formatPx(5500n), "0.000005500");
  assert.equal(formatPx(UNDEF_PRICE), "UNDEF_PRICE");
});

Deno.test("formatPx() is exact at the ends of the i64 range", () => {
  assert.equal(formatPx(UNDEF_PRICE - 1n), "9223372036.854775806");
  assert.equal(formatPx(-(2n ** 63n)), "-9223372036.854775808");
});

Deno.test("formatTs() prints ISO 8601 with nanoseconds like upstream fmt_ts", () => {
  assert.equal(formatTs(0n), "");
  assert.equal(formatTs(1n), "1970-01-01T00:00:00.000000001Z");
  assert.equal(formatTs(1622838300000000000n), "2021-06-04T20:25:00.000000000Z");
  assert.equal(formatTs(UNDEF_TIMESTAMP - 1n), "2554-07-21T23:34:33.709551614Z");
  assert.equal(formatTs(1658441891000000000n), "2022-07-21T22:18:11.000000000Z");
});

Deno.test("formatTs() agrees with Date on leap days and month ends", () => {
  for (const iso of ["2020-02-29T23:59:59", "2000-03-01T00:00:00", "2100-12-31T12:34:56"]) {
    const ms = Date.parse(`${iso}Z`);
    assert.equal(formatTs(BigInt(ms) * 1_000_000n + 7n), `${iso}.000000007Z`);
  }
});
