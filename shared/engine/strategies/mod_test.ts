import assert from "node:assert/strict";
import { mulberry32 } from "@shared/domain/mod.ts";
import { StrategyParamError } from "../errors.ts";
import type { BarData, Strategy } from "../types.ts";
import { BUILTIN_STRATEGY_IDS, createStrategy, describeStrategies } from "./mod.ts";
import { type BarSpec, closedBars, type Signalled, signalsOf, tickEvent } from "./_testing.ts";

/** Parameters that make each built-in trade on the random walk below. */
const ACTIVE_PARAMS: [string, Record<string, string>][] = [
  ["sma", { short: "5", long: "20" }],
  ["rsi", { period: "14", oversold: "35", overbought: "65", quantity: "0.5" }],
  ["momentum", { lookback: "10", threshold: "0.01" }],
  ["breakout", { lookback: "20", atr_stop: "2" }],
  ["mean_reversion", { period: "20", entry_z: "1.5", exit_z: "0" }],
  ["mean_reversion", { period: "20", entry_z: "1.5", method: "bollinger" }],
];

/** A seeded walk of closed bars with flat (synthetic) stretches. */
function walk(seed: number, length: number): BarSpec[] {
  const random = mulberry32(seed);
  const bars: BarSpec[] = [];
  let close = 100;
  for (let i = 0; i < length; i++) {
    if (random() < 0.05) {
      bars.push({ close, synthetic: true });
      continue;
    }
    const open = close;
    close = Math.round(close * (1 + (random() - 0.5) * 0.03) * 100) / 100;
    bars.push({
      open,
      close,
      high: Math.max(open, close) + Math.round(random() * 30) / 100,
      low: Math.min(open, close) - Math.round(random() * 30) / 100,
    });
  }
  return bars;
}

const BARS = closedBars(walk(42, 3000));

function created(id: string, params: Record<string, string>): Strategy & Disposable {
  const strategy = createStrategy(id) as Strategy & Disposable;
  strategy.initialize(params);
  return strategy;
}

function assertAlternates(signals: readonly Signalled[], what: string): void {
  signals.forEach(({ signal }, i) => {
    assert.equal(signal.action, i % 2 === 0 ? "BUY" : "SELL", `${what} signal ${i}`);
  });
}

Deno.test("createStrategy() makes every built-in; an unknown id lists them", () => {
  for (const id of BUILTIN_STRATEGY_IDS) assert.equal(createStrategy(id).id, id);
  assert.throws(() => createStrategy("macd"), {
    name: "StrategyParamError",
    code: "unknown_strategy",
    message:
      'Unknown strategy "macd": expected one of sma, rsi, momentum, breakout, mean_reversion',
  });
});

Deno.test("describeStrategies() lists every built-in with quantity (1) and timeframe (1m)", () => {
  const described = describeStrategies();
  assert.deepEqual(described.map((d) => d.id), [...BUILTIN_STRATEGY_IDS]);
  for (const { id, name, description, params } of described) {
    assert.ok(name.length > 0 && description.length > 0, id);
    assert.equal(params.find((p) => p.name === "quantity")?.default, "1", id);
    assert.equal(params.find((p) => p.name === "timeframe")?.default, "1m", id);
    // Every default is valid, given explicitly or left out.
    using strategy = created(id, Object.fromEntries(params.map((p) => [p.name, p.default])));
    using implicit = created(id, {});
    assert.equal(strategy.barDataMode(), "OnCloseBar", id);
    assert.deepEqual(implicit.preferredBarType(), { kind: "time", timeframe: "1m" });
  }
});

Deno.test("an unknown parameter names the strategy and the accepted parameters", () => {
  const sma = createStrategy("sma");
  assert.throws(() => sma.initialize({ x: "1" }), {
    code: "unknown_param",
    message: 'Unknown parameter "x" for strategy sma: expected one of short, long, quantity, ' +
      "timeframe",
  });
  for (const { id, params } of describeStrategies()) {
    const caught = catchParamError(() => createStrategy(id).initialize({ lenght: "3" }));
    assert.equal(caught.code, "unknown_param");
    assert.ok(caught.message.endsWith(params.map((p) => p.name).join(", ")), caught.message);
  }
});

function catchParamError(run: () => void): StrategyParamError {
  try {
    run();
  } catch (e) {
    if (e instanceof StrategyParamError) return e;
    throw e;
  }
  assert.fail("no StrategyParamError");
}

Deno.test("a bad value is one line naming the parameter, the value and what was expected", () => {
  const BAD: Record<string, string[]> = {
    int: ["abc", "1.5", "0", "", "9".repeat(20)],
    decimal: ["abc", "1e3", "NaN", "1,5", "-1000"],
    timeframe: ["2m", "0t", "t", "1M"],
    string: ["ZSCORE"],
  };
  for (const { id, params } of describeStrategies()) {
    for (const spec of params) {
      for (const value of BAD[spec.kind] ?? []) {
        const e = catchParamError(() => createStrategy(id).initialize({ [spec.name]: value }));
        assert.equal(e.code, "bad_value", `${id} ${spec.name}=${value}`);
        const prefix =
          `Bad value "${value}" for parameter "${spec.name}" of strategy ${id}: expected `;
        assert.ok(e.message.startsWith(prefix), e.message);
        assert.ok(!e.message.includes("\n"), e.message);
      }
    }
  }
  const e = catchParamError(() => createStrategy("momentum").initialize({ quantity: "0" }));
  assert.equal(
    e.message,
    'Bad value "0" for parameter "quantity" of strategy momentum: expected a decimal number > 0',
  );
});

Deno.test("a failed initialize() keeps the previous parameters and indicators", () => {
  using sma = created("sma", { short: "5", long: "20", timeframe: "5m" });
  const before = signalsOf(sma, BARS.slice(0, 500));
  assert.throws(() => sma.initialize({ short: "60" }), StrategyParamError);
  assert.deepEqual(sma.preferredBarType(), { kind: "time", timeframe: "5m" });
  sma.reset();
  assert.deepEqual(signalsOf(sma, BARS.slice(0, 500)), before);
});

Deno.test("onBarData() before initialize() is a TypeError", () => {
  const strategy = createStrategy("rsi");
  assert.throws(() => strategy.onBarData(BARS[0]!), TypeError);
});

for (const [id, params] of ACTIVE_PARAMS) {
  const what = `${id} ${JSON.stringify(params)}`;

  Deno.test(`${what}: reset() and a new initialize() repeat the first run exactly`, () => {
    using strategy = created(id, params);
    const first = signalsOf(strategy, BARS);
    assert.ok(first.length >= 4, `${what} trades on the walk (${first.length} signals)`);
    assertAlternates(first, what);
    strategy.reset();
    assert.deepEqual(signalsOf(strategy, BARS), first);
    strategy.initialize(params);
    assert.deepEqual(signalsOf(strategy, BARS), first);
  });

  Deno.test(`${what}: events of bars still open are ignored (HOLD, no effect on later signals)`, () => {
    using closedOnly = created(id, params);
    using mixed = created(id, params);
    const expected = signalsOf(closedOnly, BARS);
    const random = mulberry32(7);
    const events: BarData[] = [];
    const closedIndex: number[] = [];
    BARS.forEach((bar, i) => {
      // Wild prices inside the bar: any indicator fed with them would signal differently.
      for (let k = 0; k < 3; k++) {
        events.push(tickEvent(bar.ohlcBar.close * (0.5 + random()), i, k === 0));
      }
      closedIndex[events.length] = i;
      events.push(bar);
    });
    const actual = signalsOf(mixed, events).map(({ index, signal }) => {
      assert.ok(events[index]!.metadata.isBarClosed, `${what}: signal on an open bar`);
      return { index: closedIndex[index]!, signal };
    });
    assert.deepEqual(actual, expected);
  });
}
