import assert from "node:assert/strict";
import { MomentumStrategy } from "./momentum.ts";
import { actionsOf, closedBars } from "./_testing.ts";

Deno.test("momentum (lookback 2, threshold 5%) buys above +5% ROC and sells below -5%", () => {
  using momentum = new MomentumStrategy();
  momentum.initialize({ lookback: "2", threshold: "0.05" });
  // ROC: -, -, 0, +6%, +10%, +3.8%, -5.5%, -9.1% (flat: no sell), -3.8%, +7%.
  const bars = closedBars([100, 100, 100, 106, 110, 110, 104, 100, 100, 107]);
  assert.deepEqual(actionsOf(momentum, bars), ["BUY@3", "SELL@6", "BUY@9"]);
});

Deno.test("momentum does nothing while |ROC| stays within the threshold", () => {
  using momentum = new MomentumStrategy();
  momentum.initialize({ lookback: "1", threshold: "0.1" });
  assert.deepEqual(actionsOf(momentum, closedBars([100, 105, 100, 109, 100])), []);
});
