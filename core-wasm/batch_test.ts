import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CoreBuffer,
  firstDecrease,
  firstNotEqual,
  maxFixed,
  minFixed,
  parseDecimalLines,
  parseDecimals,
  parseDecimalSpans,
  parsePrice,
  Rounding,
  Status,
  sumFixed,
  vwap,
} from "./mod.ts";
import { D, expectedParse, expectedRounded, I64_MAX, I64_MIN, outcome } from "./_test_oracle.ts";

const STATUS_OF = { syntax: Status.Syntax, inexact: Status.Inexact, overflow: Status.Overflow };
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((x) => (Number(x) / 1e4).toString()),
  fc.constantFrom("0.10000000", "1e-5", "1.5E+3", "1.0000000001", "", "-0", "a\nb", "9e20"),
);

function assertBatchMatchesScalar(texts: string[], batch: ReturnType<typeof parseDecimals>) {
  assert.equal(batch.values.length, texts.length);
  let errors = 0;
  texts.forEach((t, k) => {
    const expected = t.includes("\n") ? { error: "syntax" as const } : expectedParse(t);
    if ("ok" in expected) {
      assert.equal(batch.status[k], Status.Ok, JSON.stringify(t));
      assert.equal(batch.values[k], expected.ok, JSON.stringify(t));
    } else {
      errors++;
      assert.equal(batch.status[k], STATUS_OF[expected.error], JSON.stringify(t));
      assert.equal(batch.values[k], 0n);
    }
  });
  assert.equal(batch.errors, errors);
}

Deno.test("parseDecimals() gives the same value or status as the scalar parser for every item", () => {
  fc.assert(
    fc.property(fc.array(text, { maxLength: 60 }), (texts) => {
      assertBatchMatchesScalar(texts, parseDecimals(texts));
    }),
    { numRuns: 500 },
  );
});

Deno.test("parseDecimals() keeps alignment across chunks and embedded newlines", () => {
  const texts = Array.from(
    { length: 150_000 },
    (_, k) => (k % 7919 === 0 ? "x\ny" : `${k}.${k % 1000}`),
  );
  const batch = parseDecimals(texts);
  assertBatchMatchesScalar(texts, batch);
  assert.equal(batch.values[149_999], parsePrice("149999.999"));
});

Deno.test("parseDecimalLines() splits one buffer on a separator byte", () => {
  const bytes = new TextEncoder().encode("1.5,-2e-3,,abc,0.1234567891,7,");
  const batch = parseDecimalLines(bytes, { separator: 0x2c });
  assert.deepEqual([...batch.values], [1_500_000_000n, -2_000_000n, 0n, 0n, 0n, 7_000_000_000n]);
  assert.deepEqual([...batch.status], [0, 0, Status.Syntax, Status.Syntax, Status.Inexact, 0]);
  assert.equal(batch.errors, 3);
  assert.equal(parseDecimalLines(new Uint8Array()).values.length, 0);
});

Deno.test("parseDecimalSpans() parses fields in place and rejects spans past the buffer", () => {
  const message = new TextEncoder().encode('{"p":"64210.10","q":"0.00120000","x":"1.2.3"}');
  const spans = new Uint32Array([6, 8, 21, 10, 38, 5]);
  const batch = parseDecimalSpans(message, spans, { scale: 8 });
  assert.deepEqual([...batch.values], [6_421_010_000_000n, 120_000n, 0n]);
  assert.equal(batch.errors, 1);
  assert.throws(() => parseDecimalSpans(message, new Uint32Array([40, 20])), RangeError);
});

Deno.test("sumFixed(), minFixed() and maxFixed() match BigInt arithmetic", () => {
  fc.assert(
    fc.property(
      fc.array(fc.bigInt({ min: I64_MIN, max: I64_MAX }), { minLength: 1, maxLength: 40 }),
      (xs) => {
        const values = BigInt64Array.from(xs);
        const sum = xs.reduce((a, b) => a + b, 0n);
        assert.deepEqual(
          outcome(() => sumFixed(values)),
          sum >= I64_MIN && sum <= I64_MAX ? { ok: sum } : { error: "overflow" },
        );
        assert.equal(minFixed(values), xs.reduce((a, b) => (b < a ? b : a)));
        assert.equal(maxFixed(values), xs.reduce((a, b) => (b > a ? b : a)));
      },
    ),
    { numRuns: 1000 },
  );
  assert.throws(() => minFixed(new BigInt64Array()), RangeError);
  assert.equal(sumFixed(new BigInt64Array()), 0n);
});

Deno.test("vwap() matches decimal.js with an exact numerator", () => {
  const price = fc.oneof(
    fc.bigInt({ min: I64_MIN, max: I64_MAX }),
    fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
  );
  const size = fc.oneof(
    fc.bigInt({ min: 0n, max: I64_MAX / 64n }),
    fc.bigInt({ min: 0n, max: 10n ** 9n }),
  );
  const mode = fc.constantFrom(...Object.values(Rounding));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(price, size), { minLength: 1, maxLength: 30 }),
      mode,
      (trades, rounding) => {
        const prices = BigInt64Array.from(trades.map(([p]) => p));
        const sizes = BigInt64Array.from(trades.map(([, s]) => s));
        const volume = trades.reduce((a, [, s]) => a + s, 0n);
        if (volume === 0n) {
          assert.throws(() => vwap(prices, sizes), /division by zero/);
          return;
        }
        const notional = trades.reduce(
          (a, [p, s]) => a.plus(new D(p.toString()).times(s.toString())),
          new D(0),
        );
        assert.deepEqual(
          outcome(() => vwap(prices, sizes, { rounding })),
          expectedRounded(notional.div(volume.toString()), rounding),
        );
      },
    ),
    { numRuns: 1000 },
  );
  assert.throws(() => vwap(new BigInt64Array([1n]), new BigInt64Array([-1n])), TypeError);
  assert.throws(() => vwap(new BigInt64Array([1n]), new BigInt64Array()), RangeError);
});

Deno.test("kernels read columns that already live in core memory without copying", () => {
  using column = new CoreBuffer(4 * 8);
  column.i64().set([5n, -3n, 10n, 1n]);
  assert.equal(sumFixed(column.i64()), 13n);
  assert.equal(minFixed(column.i64()), -3n);
});

Deno.test("firstDecrease() finds the first value below its predecessor, starting from prev", () => {
  assert.equal(firstDecrease(BigUint64Array.of(1n, 2n, 2n, 5n)), -1);
  assert.equal(firstDecrease(BigUint64Array.of(1n, 2n, 1n, 5n)), 2);
  assert.equal(firstDecrease(BigUint64Array.of(3n, 4n), 4n), 0);
  assert.equal(firstDecrease(BigUint64Array.of(2n ** 63n, 2n ** 64n - 1n), 2n ** 63n - 1n), -1);
  assert.equal(firstDecrease(new BigUint64Array(0), 9n), -1);
});

Deno.test("firstNotEqual() finds the first u32 that differs", () => {
  assert.equal(firstNotEqual(Uint32Array.of(7, 7, 7), 7), -1);
  assert.equal(firstNotEqual(Uint32Array.of(7, 7, 8, 7), 7), 2);
  assert.equal(firstNotEqual(Uint32Array.of(0xffffffff), 0xffffffff), -1);
});
