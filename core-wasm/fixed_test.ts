import assert from "node:assert/strict";
import fc from "fast-check";
import {
  divFixed,
  divInt,
  formatDecimal,
  formatPrice,
  mulDiv,
  mulFixed,
  mulInt,
  parseDecimal,
  parsePrice,
  Rounding,
} from "./mod.ts";
import {
  D,
  DECIMAL_ROUNDING,
  expectedParse,
  expectedRounded,
  I64_MAX,
  I64_MIN,
  outcome,
} from "./_test_oracle.ts";

const RUNS = { numRuns: 3000 };
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

/** Decimal strings shaped like what venues send: signs, long digit runs, points, exponents. */
const decimalText = fc
  .tuple(
    fc.constantFrom("", "", "-", "+"),
    digits(0, 22),
    fc.option(digits(0, 14), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "-", "+"), digits(1, 3)), {
      nil: undefined,
    }),
  )
  .map(([sign, int, frac, exp]) =>
    sign + int + (frac === undefined ? "" : `.${frac}`) + (exp ? exp.join("") : "")
  );

const i64 = fc.bigInt({ min: I64_MIN, max: I64_MAX });
/** Operands spread over magnitudes so products land both inside and outside i64. */
const operand = fc.oneof(
  i64,
  fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
  fc.bigInt({ min: -(10n ** 19n) / 2n, max: 10n ** 19n / 2n }),
  fc.constantFrom(0n, 1n, -1n, I64_MAX, I64_MIN, 1_000_000_000n, -1_000_000_000n),
);
const nonZero = operand.filter((x) => x !== 0n);
const rounding = fc.constantFrom(...Object.values(Rounding));

Deno.test("parsePrice() matches decimal.js on random decimal strings", () => {
  fc.assert(
    fc.property(decimalText, (text) => {
      assert.deepEqual(outcome(() => parsePrice(text)), expectedParse(text), text);
    }),
    RUNS,
  );
});

Deno.test("parseDecimal() matches decimal.js at every scale", () => {
  fc.assert(
    fc.property(decimalText, fc.integer({ min: 0, max: 18 }), (text, scale) => {
      assert.deepEqual(outcome(() => parseDecimal(text, { scale })), expectedParse(text, scale));
    }),
    RUNS,
  );
});

Deno.test("parsePrice() rejects arbitrary garbage with SyntaxError, never a trap", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (text) => {
      assert.deepEqual(outcome(() => parsePrice(text)), expectedParse(text), JSON.stringify(text));
    }),
    RUNS,
  );
});

Deno.test("parsePrice() handles the edges exactly", () => {
  const cases: [string, bigint][] = [
    ["0", 0n],
    ["-0", 0n],
    ["+0.000", 0n],
    ["0.000000001", 1n],
    ["-0.000000001", -1n],
    ["9223372036.854775807", I64_MAX],
    ["-9223372036.854775808", I64_MIN],
    ["0.10000000", 100_000_000n],
    ["1e-5", 10_000n],
    ["1.5E+3", 1_500_000_000_000n],
    ["123e-9", 123n],
    ["0.0000000001e1", 1n],
    ["92233720368547758.07e-7", I64_MAX],
    [".5", 500_000_000n],
    ["5.", 5_000_000_000n],
    ["0e999999999999999999", 0n],
    [`${"0".repeat(5000)}1.5${"0".repeat(5000)}`, 1_500_000_000n],
    [`0.${"0".repeat(8)}1${"0".repeat(3000)}`, 1n],
  ];
  for (const [text, value] of cases) assert.equal(parsePrice(text), value, text.slice(0, 30));
});

Deno.test("parsePrice() rejects 10 fractional digits with RangeError", () => {
  assert.throws(() => parsePrice("1.0000000001"), RangeError);
  assert.throws(() => parsePrice("1e-10"), RangeError);
  assert.throws(() => parsePrice(`1.${"0".repeat(9)}${"1".repeat(50)}`), RangeError);
  assert.throws(() => parsePrice("1e-999999999999"), RangeError);
});

Deno.test("parsePrice() rejects values outside i64 with RangeError", () => {
  assert.throws(() => parsePrice("9223372036.854775808"), /64-bit range/);
  assert.throws(() => parsePrice("-9223372036.854775809"), /64-bit range/);
  assert.throws(() => parsePrice("1e20"), /64-bit range/);
  assert.throws(() => parsePrice(`1${"0".repeat(40)}`), /64-bit range/);
  assert.throws(() => parsePrice("1e999999999999"), /64-bit range/);
});

Deno.test("parsePrice() rejects empty and malformed input with SyntaxError", () => {
  for (
    const text of [
      "",
      "-",
      "+",
      ".",
      "-.",
      "e5",
      "1e",
      "1e+",
      "1.2.3",
      "--1",
      " 1",
      "1 ",
      "NaN",
      "Infinity",
      "0x10",
      "1_000",
      "1,5",
      "\uff11",
      "1e5.5",
    ]
  ) {
    assert.throws(() => parsePrice(text), SyntaxError, JSON.stringify(text));
  }
});

Deno.test("formatPrice() gives the shortest exact decimal that parses back", () => {
  fc.assert(
    fc.property(i64, (value) => {
      const text = formatPrice(value);
      assert.equal(text, new D(value.toString()).div(1e9).toFixed());
      assert.equal(parsePrice(text), value);
    }),
    RUNS,
  );
  assert.equal(formatPrice(I64_MAX), "9223372036.854775807");
  assert.equal(formatPrice(I64_MIN), "-9223372036.854775808");
  assert.equal(formatPrice(0n), "0");
  assert.equal(formatPrice(1n), "0.000000001");
  assert.equal(formatPrice(-100_000_000n), "-0.1");
});

Deno.test("formatDecimal() with fixed decimals rounds exactly like decimal.js", () => {
  fc.assert(
    fc.property(i64, fc.integer({ min: 0, max: 18 }), rounding, (value, decimals, mode) => {
      const expected = new D(value.toString()).div(1e9).toFixed(decimals, DECIMAL_ROUNDING[mode])
        .replace(/^-(0\.?0*)$/, "$1");
      assert.equal(formatDecimal(value, { decimals, rounding: mode }), expected);
    }),
    RUNS,
  );
  assert.equal(formatPrice(1_005_000_000n, 2), "1.00");
  assert.equal(formatPrice(1_015_000_000n, 2), "1.02");
  assert.equal(formatPrice(-1n, 2), "0.00");
  assert.equal(formatPrice(5n, 9), "0.000000005");
  assert.equal(formatDecimal(I64_MAX, { decimals: 0, rounding: Rounding.Ceil }), "9223372037");
});

Deno.test("formatDecimal() at other scales round-trips through parseDecimal()", () => {
  fc.assert(
    fc.property(i64, fc.integer({ min: 0, max: 18 }), (value, scale) => {
      assert.equal(parseDecimal(formatDecimal(value, { scale }), { scale }), value);
    }),
    RUNS,
  );
});

Deno.test("mulFixed() matches decimal.js for every rounding mode", () => {
  fc.assert(
    fc.property(operand, operand, rounding, (a, b, mode) => {
      const exact = new D(a.toString()).times(b.toString()).div(1e9);
      assert.deepEqual(
        outcome(() => mulFixed(a, b, { rounding: mode })),
        expectedRounded(exact, mode),
      );
    }),
    RUNS,
  );
});

Deno.test("divFixed() matches decimal.js for every rounding mode", () => {
  fc.assert(
    fc.property(operand, nonZero, rounding, (a, b, mode) => {
      const exact = new D(a.toString()).times(1e9).div(b.toString());
      assert.deepEqual(
        outcome(() => divFixed(a, b, { rounding: mode })),
        expectedRounded(exact, mode),
      );
    }),
    RUNS,
  );
});

Deno.test("mulInt() and divInt() match decimal.js", () => {
  fc.assert(
    fc.property(operand, nonZero, rounding, (a, n, mode) => {
      const product = new D(a.toString()).times(n.toString());
      assert.deepEqual(outcome(() => mulInt(a, n)), expectedRounded(product, mode));
      const quotient = new D(a.toString()).div(n.toString());
      assert.deepEqual(
        outcome(() => divInt(a, n, { rounding: mode })),
        expectedRounded(quotient, mode),
      );
    }),
    RUNS,
  );
});

Deno.test("mulDiv() keeps an exact 128-bit intermediate", () => {
  fc.assert(
    fc.property(operand, operand, nonZero, rounding, (a, b, c, mode) => {
      const exact = new D(a.toString()).times(b.toString()).div(c.toString());
      assert.deepEqual(
        outcome(() => mulDiv(a, b, { divisor: c, rounding: mode })),
        expectedRounded(exact, mode),
      );
    }),
    RUNS,
  );
  assert.equal(mulDiv(I64_MAX, I64_MAX, { divisor: I64_MAX }), I64_MAX);
  assert.equal(mulDiv(I64_MIN, I64_MIN, { divisor: I64_MIN }), I64_MIN);
});

Deno.test("half-even and toward-zero differ where they must", () => {
  assert.equal(divInt(5n, 2n), 2n);
  assert.equal(divInt(7n, 2n), 4n);
  assert.equal(divInt(-5n, 2n), -2n);
  assert.equal(divInt(-5n, 2n, { rounding: Rounding.TowardZero }), -2n);
  assert.equal(divInt(-7n, 2n, { rounding: Rounding.TowardZero }), -3n);
  assert.equal(divInt(-7n, 2n, { rounding: Rounding.Floor }), -4n);
  assert.equal(divInt(7n, 2n, { rounding: Rounding.Ceil }), 4n);
  assert.equal(mulFixed(1_500_000_000n, 2_500_000_000n), 3_750_000_000n);
});

Deno.test("arithmetic reports overflow, division by zero and bad arguments as errors", () => {
  assert.throws(() => mulFixed(I64_MAX, 2_000_000_000n), /64-bit range/);
  assert.throws(() => mulInt(I64_MIN, -1n), /64-bit range/);
  assert.throws(() => divFixed(1n, 0n), /division by zero/);
  assert.throws(() => divInt(1n, 0n), /division by zero/);
  assert.throws(() => mulFixed(2n ** 63n, 1n), RangeError);
  assert.throws(() => mulFixed(1n, 1n, { rounding: 9 as Rounding }), TypeError);
  assert.throws(() => formatDecimal(1n, { decimals: 19 }), RangeError);
  assert.throws(() => parseDecimal("1", { scale: 19 }), RangeError);
});

Deno.test("exact ties round by mode in mulFixed() and divFixed()", () => {
  const odd = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map((x) => x * 2n + 1n);
  fc.assert(
    fc.property(odd, rounding, (x, mode) => {
      const half = new D(x.toString()).div(2);
      assert.deepEqual(
        outcome(() => mulFixed(x, 500_000_000n, { rounding: mode })),
        expectedRounded(half, mode),
      );
      assert.deepEqual(
        outcome(() => divFixed(x, 2_000_000_000n, { rounding: mode })),
        expectedRounded(half, mode),
      );
    }),
    RUNS,
  );
});
