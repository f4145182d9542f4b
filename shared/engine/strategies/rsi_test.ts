import assert from "node:assert/strict";
import { RsiStrategy } from "./rsi.ts";
import { actionsOf, closedBars, signalsOf } from "./_testing.ts";

Deno.test("rsi (period 2) buys when RSI crosses below 30 and sells once it is above 70", () => {
  using rsi = new RsiStrategy();
  rsi.initialize({ period: "2" });
  // RSI(2): -, -, 100, 50, 25 (cross below 30), 12.5, 56.25, 85.4 (> 70), 93.
  const bars = closedBars([10, 11, 12, 11, 10, 9, 10, 12, 14]);
  assert.deepEqual(actionsOf(rsi, bars), ["BUY@4", "SELL@7"]);
  rsi.reset();
  const [buy, sell] = signalsOf(rsi, bars);
  assert.deepEqual(buy!.signal, {
    action: "BUY",
    quantity: "1",
    reason: "RSI 25.00 crossed below 30",
  });
  assert.deepEqual(sell!.signal, { action: "SELL", target: "0", reason: "RSI 85.42 above 70" });
});

Deno.test("rsi buys only on the cross, not while RSI stays below oversold", () => {
  using rsi = new RsiStrategy();
  rsi.initialize({ period: "2", oversold: "40", overbought: "90" });
  // Falling all the way: RSI 0 from its first value on, so it never crosses from above 40.
  assert.deepEqual(actionsOf(rsi, closedBars([10, 9, 8, 7, 6, 5])), []);
});

Deno.test("rsi rejects oversold >= overbought", () => {
  using rsi = new RsiStrategy();
  assert.throws(() => rsi.initialize({ oversold: "70", overbought: "30" }), {
    code: "bad_value",
    message: 'Bad value "70" for parameter "oversold" of strategy rsi: expected less than ' +
      "overbought (30)",
  });
});
