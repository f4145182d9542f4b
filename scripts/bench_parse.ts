// Parsing price strings to fixed point: the WASM batch path against two baselines measured in the
// same run, a straightforward BigInt parser and decimal.js construction.
//   deno task bench            (10M strings)
//   deno task bench --count 1000000
import { parseArgs } from "node:util";
import { Decimal } from "decimal.js";
import { parseDecimalLines, parseDecimals } from "@core/mod.ts";
import { mulberry32 } from "@shared/domain/prng.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    count: { type: "string", default: "10000000" },
    seed: { type: "string", default: "42" },
  },
});
const count = Number(flags.count);
if (!Number.isInteger(count) || count <= 0) {
  throw new RangeError(`Invalid --count "${flags.count}"`);
}

/** A seeded PRNG so every run parses the same strings. */
const prng = mulberry32;

/** Prices as venues send them: 0-8 decimals, trailing zeros, the odd exponent form. */
function makePrices(n: number, seed: number): string[] {
  const random = prng(seed);
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const r = random();
    const integer = Math.floor(random() * 10 ** (1 + Math.floor(random() * 5)));
    const decimals = Math.floor(random() * 9);
    const fraction = Math.floor(random() * 10 ** decimals).toString().padStart(decimals, "0");
    if (r < 0.02) {
      const exponent = 1 + Math.floor(random() * 3);
      out[k] = `${integer % 10}.${fraction.slice(0, 9 - exponent) || "5"}E-${exponent}`;
    } else if (r < 0.2) out[k] = `${integer}.${fraction.padEnd(8, "0")}`;
    else out[k] = decimals === 0 ? `${integer}` : `${integer}.${fraction}`;
  }
  return out;
}

/** A straightforward exact parser on BigInt: the baseline a TS developer would write first. */
function parsePriceBigInt(text: string): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new SyntaxError(`Cannot parse "${text}"`);
  const fraction = m[3] ?? "";
  const shift = 9 - fraction.length + Number(m[4] ?? 0);
  let value = BigInt(m[2] + fraction);
  if (shift >= 0) value *= 10n ** BigInt(shift);
  else {
    const unit = 10n ** BigInt(-shift);
    if (value % unit !== 0n) throw new RangeError(`Inexact "${text}"`);
    value /= unit;
  }
  if (m[1] === "-") value = -value;
  if (BigInt.asIntN(64, value) !== value) throw new RangeError(`Out of range "${text}"`);
  return value;
}

interface Run {
  label: string;
  /** Parses every string; returns the i64 values when the path produces them. */
  parse: (xs: string[]) => BigInt64Array | undefined;
}

const prices = makePrices(count, Number(flags.seed));
const warm = prices.slice(0, Math.max(1, Math.floor(count / 100)));
const encoded = new TextEncoder().encode(prices.join("\n"));

const runs: Run[] = [
  {
    label: "WASM batch, from JS strings (parseDecimals)",
    parse: (xs) => parseDecimals(xs).values,
  },
  {
    label: "WASM batch, from one UTF-8 buffer (parseDecimalLines)",
    parse: (xs) =>
      parseDecimalLines(xs === prices ? encoded : new TextEncoder().encode(xs.join("\n"))).values,
  },
  {
    label: "BigInt TS parser (baseline)",
    parse: (xs) => {
      const out = new BigInt64Array(xs.length);
      for (let k = 0; k < xs.length; k++) out[k] = parsePriceBigInt(xs[k]!);
      return out;
    },
  },
  {
    label: "decimal.js construction (baseline)",
    parse: (xs) => {
      let last = new Decimal(0);
      for (const x of xs) last = new Decimal(x);
      if (last.isNaN()) throw new Error("unreachable");
      return undefined;
    },
  },
];

const results = runs.map(({ label, parse }) => {
  parse(warm); // a 1% slice warms the JIT without doubling the run
  const start = performance.now();
  const values = parse(prices);
  return { label, ms: performance.now() - start, values };
});
// Every path that yields values must agree with the BigInt parser, or the race is meaningless.
const reference = new Uint8Array(results[2]!.values!.buffer);
for (const r of results.slice(0, 2)) {
  const bytes = new Uint8Array(r.values!.buffer);
  if (bytes.length !== reference.length || !bytes.every((b, i) => b === reference[i])) {
    throw new Error(`${r.label} disagrees with the BigInt parser`);
  }
}
const baseline = results[2]!;
const decimalJs = results[3]!;
const out = [
  `parse ${
    count.toLocaleString("en-US")
  } price strings to i64 fixed point (scale 1e-9), seed ${flags.seed}`,
  `deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores`,
  "",
  "| path | total ms | ns/price | vs BigInt parser | vs decimal.js |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...results.map((r) =>
    `| ${r.label} | ${r.ms.toFixed(0)} | ${(r.ms * 1e6 / count).toFixed(1)} | ${
      (baseline.ms / r.ms).toFixed(2)
    }x | ${(decimalJs.ms / r.ms).toFixed(2)}x |`
  ),
];
// deno-lint-ignore no-console
console.log(out.join("\n"));
