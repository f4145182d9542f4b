// Indicators against trading-signals 8.3.0 (plain JS numbers; `add(x)` is `update(x, false)`)
// and direct computations.
// Tolerance: |actual - expected| <= 1e-9 * max(1, |expected|), i.e. absolute 1e-9 for values
// within [-1, 1] and relative 1e-9 above; before warm-up both sides must be "not ready" (NaN).
import assert from "node:assert/strict";
import { ATR, BollingerBands, EMA, ROC, RSI, SMA } from "trading-signals";
import { mulberry32 } from "@shared/domain/mod.ts";
import {
  Atr,
  Bollinger,
  Ema,
  MAX_INDICATOR_PERIOD,
  Roc,
  RollingMax,
  RollingMin,
  Rsi,
  Sma,
  ZScore,
} from "./mod.ts";

const TOLERANCE = 1e-9;
const PERIODS = [1, 2, 5, 14, 50, 200];

function near(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN before warm-up, got ${actual}`);
    return;
  }
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= TOLERANCE * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected} (error ${error})`,
  );
}

/** Prices in cents, a multiplicative random walk. */
function randomWalk(seed: number, length: number, start = 100, step = 0.01): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(length);
  let price = start;
  for (let i = 0; i < length; i++) {
    price = Math.max(0.01, Math.round(price * (1 + (random() - 0.5) * 2 * step) * 100) / 100);
    out[i] = price;
  }
  return out;
}

/** A walk with flat stretches (as synthetic bars give) and price gaps of 5-30%. */
function flatsAndGaps(seed: number, length: number): Float64Array {
  const random = mulberry32(seed);
  const walk = randomWalk(seed + 1, length);
  const out = new Float64Array(length);
  let shift = 0;
  for (let i = 0; i < length;) {
    const r = random();
    if (r < 0.1) {
      const run = 1 + Math.floor(random() * 250);
      const last = i === 0 ? walk[0]! : out[i - 1]!;
      for (let j = 0; j < run && i < length; j++) out[i++] = last;
    } else {
      if (r > 0.995) shift += (random() < 0.5 ? -1 : 1) * (5 + random() * 25);
      out[i] = Math.max(0.01, Math.round((walk[i]! + shift) * 100) / 100);
      i++;
    }
  }
  return out;
}

const SERIES: [string, Float64Array][] = [
  ["random walk", randomWalk(7, 6000)],
  ["flats and gaps", flatsAndGaps(11, 6000)],
];

/** Bars around a close series: high/low a little outside open/close; flat closes give flat bars. */
function bars(closes: Float64Array, seed: number) {
  const random = mulberry32(seed);
  const high = new Float64Array(closes.length);
  const low = new Float64Array(closes.length);
  closes.forEach((c, i) => {
    const open = i === 0 ? c : closes[i - 1]!;
    const flat = open === c;
    high[i] = Math.max(open, c) + (flat ? 0 : Math.round(random() * 50) / 100);
    low[i] = Math.max(0, Math.min(open, c) - (flat ? 0 : Math.round(random() * 50) / 100));
  });
  return { high, low, close: closes };
}

type Oracle = { add(x: number): unknown; isStable: boolean; getResult(): unknown };

function checkAgainst(
  ours: { update(x: number): number; isReady: boolean },
  oracle: Oracle,
  values: Float64Array,
  what: string,
): void {
  values.forEach((x, i) => {
    oracle.add(x);
    const actual = ours.update(x);
    assert.equal(ours.isReady, oracle.isStable, `${what} ready at ${i}`);
    near(actual, oracle.isStable ? oracle.getResult() as number : null, `${what} at ${i}`);
  });
}

for (const [name, values] of SERIES) {
  Deno.test(`Sma equals trading-signals SMA to 1e-9 after warm-up (${name})`, () => {
    for (const period of PERIODS) {
      using sma = new Sma(period);
      checkAgainst(sma, new SMA(period), values, `SMA(${period})`);
    }
  });

  Deno.test(`Ema equals trading-signals EMA to 1e-9 after warm-up (${name})`, () => {
    for (const period of PERIODS) {
      using ema = new Ema(period);
      checkAgainst(ema, new EMA(period), values, `EMA(${period})`);
    }
  });

  Deno.test(`Rsi equals trading-signals RSI (Wilder) to 1e-9 after warm-up (${name})`, () => {
    for (const period of PERIODS.filter((p) => p > 1)) {
      using rsi = new Rsi(period);
      checkAgainst(rsi, new RSI(period), values, `RSI(${period})`);
    }
  });

  Deno.test(`Roc equals trading-signals ROC to 1e-9 after warm-up (${name})`, () => {
    for (const period of PERIODS) {
      using roc = new Roc(period);
      checkAgainst(roc, new ROC(period), values, `ROC(${period})`);
    }
  });

  Deno.test(`Bollinger equals trading-signals BollingerBands to 1e-9 (${name})`, () => {
    for (const period of PERIODS) {
      for (const k of [2, 1.5, 0]) {
        using ours = new Bollinger(period, k);
        const oracle = new BollingerBands(period, k);
        values.forEach((x, i) => {
          oracle.add(x);
          const band = ours.update(x);
          const what = `BB(${period}, ${k}) at ${i}`;
          assert.equal(ours.isReady, oracle.isStable, what);
          const expected = oracle.getResult();
          near(band.middle, expected?.middle ?? null, `${what} middle`);
          near(band.upper, expected?.upper ?? null, `${what} upper`);
          near(band.lower, expected?.lower ?? null, `${what} lower`);
        });
      }
    }
  });

  Deno.test(`Atr equals trading-signals ATR (WSMA smoothing) to 1e-9 (${name})`, () => {
    const { high, low, close } = bars(values, 3);
    for (const period of PERIODS) {
      using ours = new Atr(period);
      const oracle = new ATR(period);
      close.forEach((c, i) => {
        oracle.add({ high: high[i]!, low: low[i]!, close: c });
        const actual = ours.update(high[i]!, low[i]!, c);
        assert.equal(ours.isReady, oracle.isStable, `ATR(${period}) ready at ${i}`);
        near(actual, oracle.isStable ? oracle.getResult() : null, `ATR(${period}) at ${i}`);
      });
    }
  });

  Deno.test(`ZScore equals a direct computation to 1e-9; 0 on flat windows (${name})`, () => {
    for (const period of PERIODS) {
      using z = new ZScore(period);
      values.forEach((x, i) => {
        near(z.update(x), i + 1 < period ? null : directZ(values, i, period), `Z(${period}) ${i}`);
      });
    }
  });

  Deno.test(`RollingMax and RollingMin equal a direct scan of the window (${name})`, () => {
    for (const period of PERIODS) {
      using max = new RollingMax(period);
      using min = new RollingMin(period);
      values.forEach((x, i) => {
        const window = values.subarray(Math.max(0, i + 1 - period), i + 1);
        const ready = i + 1 >= period;
        assert.equal(max.update(x), ready ? Math.max(...window) : NaN, `max(${period}) ${i}`);
        assert.equal(min.update(x), ready ? Math.min(...window) : NaN, `min(${period}) ${i}`);
      });
    }
  });
}

/** (x - mean) / population std over values[i-period+1..i]; 0 when the window is flat. */
function directZ(values: Float64Array, i: number, period: number): number {
  const window = values.subarray(i + 1 - period, i + 1);
  if (window.every((v) => v === window[0])) return 0;
  const mean = window.reduce((s, v) => s + v, 0) / period;
  const std = Math.sqrt(window.reduce((s, v) => s + (v - mean) ** 2, 0) / period);
  return (values[i]! - mean) / std;
}

type Scalar = Sma | Ema | Rsi | ZScore | Roc | RollingMax | RollingMin;
const SCALARS: [string, (period: number) => Scalar][] = [
  ["Sma", (p) => new Sma(p)],
  ["Ema", (p) => new Ema(p)],
  ["Rsi", (p) => new Rsi(p)],
  ["ZScore", (p) => new ZScore(p)],
  ["Roc", (p) => new Roc(p)],
  ["RollingMax", (p) => new RollingMax(p)],
  ["RollingMin", (p) => new RollingMin(p)],
];

Deno.test("updateMany() gives bit for bit the values of update() across chunk boundaries", () => {
  const values = flatsAndGaps(5, 140_000);
  for (const [name, make] of SCALARS) {
    using stream = make(20);
    using batch = make(20);
    const expected = values.map((x) => stream.update(x));
    const head = batch.updateMany(values.subarray(0, 1000));
    const tail = batch.updateMany(values.subarray(1000), new Float64Array(values.length - 1000));
    const actual = new Float64Array([...head, ...tail]);
    assert.deepEqual(actual, expected, name);
    assert.ok(Object.is(batch.value, stream.value), name);
  }
});

Deno.test("Bollinger and Atr updateMany() equal their update() bit for bit", () => {
  const values = flatsAndGaps(6, 70_000);
  const hlc = bars(values, 9);
  using bStream = new Bollinger(20, 2.5);
  using bBatch = new Bollinger(20, 2.5);
  const columns = bBatch.updateMany(values);
  values.forEach((x, i) => {
    const band = bStream.update(x);
    assert.ok(Object.is(columns.middle[i], band.middle), `middle ${i}`);
    assert.ok(Object.is(columns.upper[i], band.upper), `upper ${i}`);
    assert.ok(Object.is(columns.lower[i], band.lower), `lower ${i}`);
  });
  using aStream = new Atr(14);
  using aBatch = new Atr(14);
  const atr = aBatch.updateMany(hlc);
  const expected = values.map((c, i) => aStream.update(hlc.high[i]!, hlc.low[i]!, c));
  assert.deepEqual(atr, expected);
});

Deno.test("reset() makes every indicator repeat its first run exactly", () => {
  const values = flatsAndGaps(8, 3000);
  const hlc = bars(values, 4);
  for (const [name, make] of SCALARS) {
    using indicator = make(14);
    const first = indicator.updateMany(values);
    indicator.reset();
    assert.equal(indicator.isReady, false, name);
    assert.ok(Number.isNaN(indicator.value), name);
    assert.deepEqual(indicator.updateMany(values), first, name);
  }
  using bb = new Bollinger(14);
  const first = bb.updateMany(values);
  bb.reset();
  assert.deepEqual(bb.value, { middle: NaN, upper: NaN, lower: NaN });
  assert.deepEqual(bb.updateMany(values), first);
  using atr = new Atr(14);
  const atrFirst = atr.updateMany(hlc);
  atr.reset();
  assert.deepEqual(atr.updateMany(hlc), atrFirst);
});

Deno.test("Sma, Bollinger and ZScore still match after 1e6 updates of a trending walk", () => {
  // From 100 upwards with drift: the running sums must follow the centre of the window.
  const random = mulberry32(99);
  const values = new Float64Array(1_000_000);
  let price = 100;
  for (let i = 0; i < values.length; i++) {
    price = Math.round(price * (1.000004 + (random() - 0.5) * 0.004) * 100) / 100;
    values[i] = price;
  }
  assert.ok(values[values.length - 1]! > 1000, "the walk trends");
  using sma = new Sma(50);
  using bb = new Bollinger(20);
  using z = new ZScore(30);
  const smaOut = sma.updateMany(values);
  const bbOut = bb.updateMany(values);
  const zOut = z.updateMany(values);
  const smaOracle = new SMA(50);
  const bbOracle = new BollingerBands(20);
  values.forEach((x, i) => {
    smaOracle.add(x);
    bbOracle.add(x);
    near(smaOut[i]!, smaOracle.isStable ? smaOracle.getResult() : null, `SMA at ${i}`);
    const band = bbOracle.getResult();
    near(bbOut.upper[i]!, band?.upper ?? null, `BB upper at ${i}`);
    near(bbOut.lower[i]!, band?.lower ?? null, `BB lower at ${i}`);
    if (i % 97 === 0 || i > values.length - 100) {
      near(zOut[i]!, i + 1 < 30 ? null : directZ(values, i, 30), `Z at ${i}`);
    }
  });
});

Deno.test("a period that is not an integer in [1, 1e6] is a RangeError", () => {
  for (const period of [0, -1, 1.5, NaN, Infinity, MAX_INDICATOR_PERIOD + 1]) {
    for (const [name, make] of SCALARS) {
      assert.throws(() => make(period), RangeError, `${name}(${period})`);
    }
    assert.throws(() => new Bollinger(period), RangeError);
    assert.throws(() => new Atr(period), RangeError);
  }
  assert.throws(() => new Bollinger(20, -1), RangeError);
  assert.throws(() => new Bollinger(20, NaN), RangeError);
  using largest = new Sma(MAX_INDICATOR_PERIOD);
  assert.ok(Number.isNaN(largest.update(1)));
});

Deno.test("a non-finite input is a RangeError and leaves the state untouched", () => {
  using sma = new Sma(2);
  using check = new Sma(2);
  sma.update(1);
  check.update(1);
  assert.throws(() => sma.update(NaN), RangeError);
  assert.throws(() => sma.updateMany(new Float64Array([2, Infinity])), /index 1/);
  using atr = new Atr(2);
  assert.throws(() => atr.update(1, NaN, 1), RangeError);
  assert.throws(
    () =>
      atr.updateMany({
        high: new Float64Array(2),
        low: new Float64Array(1),
        close: new Float64Array(2),
      }),
    RangeError,
  );
  assert.throws(() => sma.updateMany(new Float64Array(3), new Float64Array(2)), RangeError);
  assert.equal(sma.update(3), check.update(3));
  assert.equal(sma.value, 2);
});

Deno.test("a freed indicator throws on use; free() is idempotent", () => {
  const sma = new Sma(3);
  sma.free();
  sma.free();
  assert.throws(() => sma.update(1), TypeError);
  assert.throws(() => sma.isReady, TypeError);
  let escaped: Ema;
  {
    using ema = new Ema(3);
    escaped = ema;
  }
  assert.throws(() => escaped.value, /freed/);
});

Deno.test("Rsi is 100 while nothing fell and Ema is seeded by the first input", () => {
  using rsi = new Rsi(3);
  assert.deepEqual([...rsi.updateMany(new Float64Array([1, 2, 2, 3, 3]))], [
    NaN,
    NaN,
    NaN,
    100,
    100,
  ]);
  using ema = new Ema(3);
  // alpha 0.5: 2, 3, 5 (seeded with 2, not the SMA 3.33 of the first three inputs).
  assert.deepEqual([...ema.updateMany(new Float64Array([2, 4, 7]))], [NaN, NaN, 5]);
});
