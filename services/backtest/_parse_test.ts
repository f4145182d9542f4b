import assert from "node:assert/strict";
import { intFlag, UsageError } from "@shared/cli/mod.ts";
import { checkRange, formatNs, parseDate, parseParams, parseTimeframe } from "./_parse.ts";

const T0 = 1_704_067_200_000_000_000n;

Deno.test("parseDate() reads YYYY-MM-DD as 00:00 UTC, RFC 3339 and ns integers", () => {
  assert.equal(parseDate("2024-01-01", "From"), T0);
  assert.equal(parseDate("2024-01-01T00:00:01.5+00:00", "From"), T0 + 1_500_000_000n);
  assert.equal(parseDate("2024-01-01T01:00:00+01:00", "From"), T0);
  assert.equal(parseDate(T0.toString(), "From"), T0);
  for (
    const bad of [
      "2024-02-30",
      "2024-13-01",
      "yesterday",
      "2024-01-01T00:00:00",
      "99999999999999999999",
    ]
  ) {
    assert.throws(() => parseDate(bad, 'Option "--from"'), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(
        e.message,
        `Option "--from" expects a date (YYYY-MM-DD, RFC 3339 or ns since the epoch), got "${bad}"`,
      );
      return true;
    });
  }
});

Deno.test("checkRange() refuses from >= to and accepts open ends", () => {
  checkRange(undefined, T0);
  checkRange(T0, undefined);
  checkRange(T0, T0 + 1n);
  assert.throws(
    () => checkRange(T0, T0),
    /^UsageError: Empty date range: from 2024-01-01T00:00:00Z is not before to 2024-01-01T00:00:00Z$/,
  );
});

Deno.test("parseParams() merges k=v lists and rejects malformed or repeated names", () => {
  assert.deepEqual(parseParams(["short=5, long=20", "quantity=0.5,"]), {
    short: "5",
    long: "20",
    quantity: "0.5",
  });
  assert.deepEqual(parseParams([]), {});
  assert.deepEqual(parseParams(["method=a=b"]), { method: "a=b" });
  assert.throws(
    () => parseParams(["short"]),
    /expects name=value pairs separated by commas, got "short"/,
  );
  assert.throws(() => parseParams(["=5"]), UsageError);
  assert.throws(() => parseParams(["a=1", "a=2"]), /Parameter "a" is given twice/);
});

Deno.test("parseTimeframe() takes the time frames and N-tick bars", () => {
  assert.deepEqual(parseTimeframe("5m"), { kind: "time", timeframe: "5m" });
  assert.deepEqual(parseTimeframe("1w"), { kind: "time", timeframe: "1w" });
  assert.deepEqual(parseTimeframe("100t"), { kind: "tick", ticks: 100 });
  for (const bad of ["0t", "7m", "t", "1.5t", "2000000000t", ""]) {
    assert.throws(() => parseTimeframe(bad), UsageError, bad);
  }
});

Deno.test("intFlag() and formatNs() format and check", () => {
  assert.equal(intFlag("ticks", "10", 1, 10), 10);
  assert.throws(
    () => intFlag("ticks", "11", 1, 10),
    /"--ticks" expects an integer from 1 to 10, got "11"/,
  );
  assert.throws(() => intFlag("ticks", "1e3", 1, 10_000), UsageError);
  assert.equal(formatNs(T0), "2024-01-01T00:00:00Z");
  assert.equal(formatNs(T0 + 1_500_000n), "2024-01-01T00:00:00.0015Z");
  assert.equal(formatNs(0n), "1970-01-01T00:00:00Z");
});
