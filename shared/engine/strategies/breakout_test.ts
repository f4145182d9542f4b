import assert from "node:assert/strict";
import { BreakoutStrategy } from "./breakout.ts";
import { actionsOf, closedBars, signalsOf } from "./_testing.ts";

Deno.test("breakout (lookback 3) buys above the previous 3 highs and sells below their lows", () => {
  using breakout = new BreakoutStrategy();
  breakout.initialize({ lookback: "3" });
  const bars = closedBars([
    { close: 10, high: 10.5, low: 9.5 },
    { close: 10.2, high: 10.6, low: 9.6 },
    { close: 10.1, high: 10.4, low: 9.7 },
    // 10.7 > 10.6; its own high 10.8 is not part of the channel.
    { close: 10.7, high: 10.8, low: 10.1 },
    { close: 10.9, high: 11, low: 10.5 },
    { close: 10.3, high: 10.9, low: 10.2 },
    // 10.0 < 10.1, the lowest low of bars 3-5.
    { close: 10, high: 10.3, low: 9.9 },
    { close: 10.2, high: 10.3, low: 10 },
  ]);
  assert.deepEqual(actionsOf(breakout, bars), ["BUY@3", "SELL@6"]);
});

const STOP_BARS = closedBars([
  { close: 10, high: 10.1, low: 9.9 },
  { close: 10, high: 10.1, low: 9.9 },
  { close: 10, high: 10.1, low: 9.9 }, // ATR(3) = 0.2
  { close: 10.5, high: 10.5, low: 10 }, // breakout; ATR -> 0.3
  { close: 10.6, high: 10.6, low: 10.4 }, // stop 10.5 - 0.3 = 10.2; ATR -> 0.2667
  { close: 10.3, high: 10.5, low: 10.3 }, // stop 10.6 - 0.2667 = 10.333
]);

Deno.test("breakout's atr_stop sells below the highest close since entry minus k ATRs", () => {
  using breakout = new BreakoutStrategy();
  breakout.initialize({ lookback: "3", atr_stop: "1" });
  const signals = signalsOf(breakout, STOP_BARS);
  assert.deepEqual(signals.map((s) => `${s.signal.action}@${s.index}`), ["BUY@3", "SELL@5"]);
  const sell = signals[1]!.signal;
  assert.ok(sell.action === "SELL" && sell.reason?.includes("ATR trailing stop"));
});

Deno.test("breakout without atr_stop holds through the same dip", () => {
  using breakout = new BreakoutStrategy();
  breakout.initialize({ lookback: "3" });
  assert.deepEqual(actionsOf(breakout, STOP_BARS), ["BUY@3"]);
});
