import assert from "node:assert/strict";
import { SmaCrossStrategy } from "./sma.ts";
import { actionsOf, closedBars, signalsOf } from "./_testing.ts";

const V_SHAPE = [10, 9, 8, 7, 6, 7, 8, 9, 10, 9, 8, 7];

Deno.test("sma (short 2, long 3) buys on the way up a V and sells on the way down", () => {
  using sma = new SmaCrossStrategy();
  sma.initialize({ short: "2", long: "3" });
  const signals = signalsOf(sma, closedBars(V_SHAPE));
  assert.deepEqual(signals.map((s) => s.index), [6, 10]);
  assert.deepEqual(signals[0]!.signal, {
    action: "BUY",
    quantity: "1",
    reason: "short SMA crossed above long SMA",
  });
  assert.deepEqual(signals[1]!.signal, {
    action: "SELL",
    target: "0",
    reason: "short SMA crossed below long SMA",
  });
});

Deno.test("sma buys the quantity parameter and reads synthetic bars like real ones", () => {
  using sma = new SmaCrossStrategy();
  sma.initialize({ short: "2", long: "3", quantity: "0.25" });
  // Bars 3-5 are synthetic (no trade): they repeat the last price and still count.
  const closes = [10, 9, 8, 8, 8, 8, 9, 10];
  const bars = closedBars(closes.map((close, i) => ({ close, synthetic: i >= 3 && i <= 5 })));
  const signals = signalsOf(sma, bars);
  assert.deepEqual(signals.map((s) => [s.index, s.signal]), [
    [6, { action: "BUY", quantity: "0.25", reason: "short SMA crossed above long SMA" }],
  ]);
});

Deno.test("sma does not sell while flat nor buy at the first bar where both SMAs are ready", () => {
  using sma = new SmaCrossStrategy();
  sma.initialize({ short: "2", long: "3" });
  assert.deepEqual(actionsOf(sma, closedBars([1, 2, 3, 4, 5, 4, 3, 2])), []);
});

Deno.test("sma rejects short >= long and names both values", () => {
  using sma = new SmaCrossStrategy();
  assert.throws(() => sma.initialize({ short: "50", long: "50" }), {
    name: "StrategyParamError",
    code: "bad_value",
    message: 'Bad value "50" for parameter "short" of strategy sma: expected less than long (50)',
  });
});

Deno.test("sma's timeframe parameter sets the preferred bar type (time or tick bars)", () => {
  using sma = new SmaCrossStrategy();
  sma.initialize({});
  assert.deepEqual(sma.preferredBarType(), { kind: "time", timeframe: "1m" });
  sma.initialize({ timeframe: "1h" });
  assert.deepEqual(sma.preferredBarType(), { kind: "time", timeframe: "1h" });
  sma.initialize({ timeframe: "500t" });
  assert.deepEqual(sma.preferredBarType(), { kind: "tick", ticks: 500 });
  assert.equal(sma.barDataMode(), "OnCloseBar");
});
