import assert from "node:assert/strict";
import { MeanReversionStrategy } from "./mean_reversion.ts";
import { actionsOf, closedBars } from "./_testing.ts";

// Window 3: a flat start (z 0), an outlier at 8 (z -1.414), 8 again (z -0.707), 9 (z 1.414).
const DIP = closedBars([10, 10, 10, 10, 8, 8, 9, 9]);

Deno.test("mean_reversion (zscore) buys at z < -entry_z and sells once z > -exit_z", () => {
  using strategy = new MeanReversionStrategy();
  strategy.initialize({ period: "3", entry_z: "1.2", exit_z: "0.5" });
  assert.deepEqual(actionsOf(strategy, DIP), ["BUY@4", "SELL@6"]);
});

Deno.test("mean_reversion (bollinger) buys below the lower band and sells at the middle", () => {
  using strategy = new MeanReversionStrategy();
  strategy.initialize({ period: "3", entry_z: "1.2", method: "bollinger" });
  assert.deepEqual(actionsOf(strategy, DIP), ["BUY@4", "SELL@6"]);
  strategy.initialize({ period: "3", entry_z: "1.5", method: "bollinger" });
  assert.deepEqual(actionsOf(strategy, DIP), [], "|z| <= sqrt(2) in a window of 3");
});

Deno.test("mean_reversion never enters on a flat series (z is 0 there)", () => {
  using strategy = new MeanReversionStrategy();
  strategy.initialize({ period: "3", entry_z: "0", exit_z: "-1" });
  assert.deepEqual(actionsOf(strategy, closedBars([5, 5, 5, 5, 5, 5])), []);
});

Deno.test("mean_reversion rejects exit_z >= entry_z and an unknown method", () => {
  using strategy = new MeanReversionStrategy();
  assert.throws(() => strategy.initialize({ entry_z: "1", exit_z: "1" }), {
    code: "bad_value",
    message: 'Bad value "1" for parameter "exit_z" of strategy mean_reversion: expected less ' +
      "than entry_z (1)",
  });
  assert.throws(() => strategy.initialize({ method: "median" }), {
    code: "bad_value",
    message: 'Bad value "median" for parameter "method" of strategy mean_reversion: expected one ' +
      "of zscore, bollinger",
  });
});
