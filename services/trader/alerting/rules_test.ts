import assert from "node:assert/strict";
import { alertingConfig, channel, snapshot } from "./_testing.ts";
import {
  BUILTIN_ALERT_RULES,
  cacheFailureRateRule,
  channelBackpressureRule,
  counterDelta,
  ipcDisconnectedRule,
  ipcReconnectionStormRule,
  readerOverrunRule,
  staleDataRule,
} from "./rules.ts";

const config = alertingConfig();
const T0 = 1_700_000_000_000;
const T1 = T0 + 30_000;

Deno.test("counterDelta() is the increase, or the whole count after a reset or on the first round", () => {
  assert.equal(counterDelta(12, 5), 7);
  assert.equal(counterDelta(5, 5), 0);
  assert.equal(counterDelta(3, 9), 3);
  assert.equal(counterDelta(4, undefined), 4);
});

Deno.test("BUILTIN_ALERT_RULES holds the six rules with their severities", () => {
  assert.deepEqual(
    BUILTIN_ALERT_RULES.map((rule) => [rule.name, rule.severity]),
    [
      ["ipc_disconnected", "CRITICAL"],
      ["ipc_reconnection_storm", "WARNING"],
      ["channel_backpressure", "WARNING"],
      ["cache_failure_rate", "WARNING"],
      ["reader_overrun", "WARNING"],
      ["stale_data", "WARNING"],
    ],
  );
});

Deno.test("ipc_disconnected fires once per disconnected symbol with what the snapshot knows", () => {
  const current = snapshot(T1, {
    channels: [
      channel("BTCUSD", {
        connected: false,
        reason: "writer stale",
        writerPid: 1234,
        disconnectedForMs: 31_400,
      }),
      channel("ETHUSD"),
      channel("SOLUSD", { connected: false, channel: undefined }),
      channel("ADAUSD", { connected: false, reason: "writer pid 77 exited", writerPid: 77 }),
    ],
  });
  assert.deepEqual(ipcDisconnectedRule.evaluate(current, undefined, config), [
    {
      key: "BTCUSD",
      message: "IPC channel data_manager_BTCUSD_KRAKEN for BTCUSD disconnected for 31 s " +
        "(writer stale, writer pid 1234)",
      value: 31,
    },
    { key: "SOLUSD", message: "IPC channel for SOLUSD disconnected" },
    {
      key: "ADAUSD",
      message:
        "IPC channel data_manager_ADAUSD_KRAKEN for ADAUSD disconnected (writer pid 77 exited)",
    },
  ]);
  assert.deepEqual(ipcDisconnectedRule.evaluate(snapshot(T1), undefined, config), []);
});

Deno.test("ipc_reconnection_storm fires when reconnects in the interval are above the threshold", () => {
  const previous = snapshot(T0, {
    channels: [channel("BTCUSD", { reconnects: 5 }), channel("ETHUSD", { reconnects: 1 })],
  });
  const above = snapshot(T1, {
    channels: [channel("BTCUSD", { reconnects: 12 }), channel("ETHUSD", { reconnects: 5 })],
  });
  assert.deepEqual(ipcReconnectionStormRule.evaluate(above, previous, config), [{
    key: "ipc",
    message: "IPC reconnection storm: 11 reconnects in the last 30 s (threshold 10; BTCUSD 7, " +
      "ETHUSD 4)",
    value: 11,
    threshold: 10,
  }]);
  const at = snapshot(T1, {
    channels: [channel("BTCUSD", { reconnects: 12 }), channel("ETHUSD", { reconnects: 4 })],
  });
  assert.deepEqual(ipcReconnectionStormRule.evaluate(at, previous, config), []);
});

Deno.test("ipc_reconnection_storm counts from zero on the first round and after a counter reset", () => {
  const current = snapshot(T1, { channels: [channel("BTCUSD", { reconnects: 11 })] });
  const first = ipcReconnectionStormRule.evaluate(current, undefined, config);
  assert.equal(first.length, 1);
  assert.match(first[0]!.message, /11 reconnects since start/);
  const reset = snapshot(T0, { channels: [channel("BTCUSD", { reconnects: 40 })] });
  assert.equal(ipcReconnectionStormRule.evaluate(current, reset, config)[0]?.value, 11);
});

Deno.test("channel_backpressure fires per channel and for the queue at or above the threshold", () => {
  const current = snapshot(T1, {
    channels: [
      channel("BTCUSD", { utilisationPct: 80 }),
      channel("ETHUSD", { utilisationPct: 79.9 }),
      channel("SOLUSD", { utilisationPct: 97.25 }),
    ],
    queueUtilisationPct: 80,
  });
  const firings = channelBackpressureRule.evaluate(current, undefined, config);
  assert.deepEqual(firings.map((f) => [f.key, f.value, f.threshold]), [
    ["BTCUSD", 80, 80],
    ["SOLUSD", 97.25, 80],
    ["queue", 80, 80],
  ]);
  assert.equal(
    firings[1]!.message,
    "IPC channel data_manager_SOLUSD_KRAKEN for SOLUSD at 97.3% of its ring (threshold 80%)",
  );
  assert.equal(firings[2]!.message, "Trader tick queue 80% full (threshold 80%)");
  const below = snapshot(T1, { queueUtilisationPct: 79.99 });
  assert.deepEqual(channelBackpressureRule.evaluate(below, undefined, config), []);
});

Deno.test("cache_failure_rate fires when failures/writes in the interval reach the threshold", () => {
  const previous = snapshot(T0, { cache: { writes: 1000, failures: 50 } });
  const at = snapshot(T1, { cache: { writes: 1100, failures: 60 } });
  assert.deepEqual(cacheFailureRateRule.evaluate(at, previous, config), [{
    key: "cache",
    message: "Cache failure rate 10% in the last 30 s (10 failures / 100 writes; threshold 10%)",
    value: 0.1,
    threshold: 0.1,
  }]);
  const below = snapshot(T1, { cache: { writes: 1100, failures: 59 } });
  assert.deepEqual(cacheFailureRateRule.evaluate(below, previous, config), []);
  // Lifetime rate is 5.5% but the interval's is 10%: the delta decides.
  assert.equal(cacheFailureRateRule.evaluate(at, undefined, config).length, 0);
});

Deno.test("cache_failure_rate fires on failures without writes and never without failures", () => {
  const previous = snapshot(T0, { cache: { writes: 500, failures: 0 } });
  const failing = snapshot(T1, { cache: { writes: 500, failures: 3 } });
  assert.deepEqual(cacheFailureRateRule.evaluate(failing, previous, config), [{
    key: "cache",
    message: "Cache failing: 3 failures and no writes in the last 30 s (threshold 10%)",
    value: 1,
    threshold: 0.1,
  }]);
  const idle = snapshot(T1, { cache: { writes: 500, failures: 0 } });
  assert.deepEqual(cacheFailureRateRule.evaluate(idle, previous, config), []);
  const zero = alertingConfig({ cache_failure_threshold: 0 });
  const clean = snapshot(T1, { cache: { writes: 900, failures: 0 } });
  assert.deepEqual(cacheFailureRateRule.evaluate(clean, previous, zero), []);
});

Deno.test("reader_overrun fires per symbol when records lost in the interval reach the threshold", () => {
  const five = alertingConfig({ reader_loss_threshold: 5 });
  const previous = snapshot(T0, {
    channels: [channel("BTCUSD", { lost: 100 }), channel("ETHUSD", { lost: 7 })],
  });
  const current = snapshot(T1, {
    channels: [channel("BTCUSD", { lost: 105 }), channel("ETHUSD", { lost: 11 })],
  });
  assert.deepEqual(readerOverrunRule.evaluate(current, previous, five), [{
    key: "BTCUSD",
    message: "Reader overrun on BTCUSD: 5 records lost in the last 30 s (threshold 5)",
    value: 5,
    threshold: 5,
  }]);
  assert.deepEqual(readerOverrunRule.evaluate(previous, previous, config), []);
  assert.equal(readerOverrunRule.evaluate(current, previous, config).length, 2);
});

Deno.test("stale_data fires for connected symbols silent for longer than stale_data_secs", () => {
  const current = snapshot(T1, {
    channels: [
      channel("BTCUSD", { lastTickAgeMs: 60_001 }),
      channel("ETHUSD", { lastTickAgeMs: 60_000 }),
      channel("SOLUSD", { lastTickAgeMs: undefined, subscribedForMs: 75_000 }),
      channel("ADAUSD", { lastTickAgeMs: undefined, subscribedForMs: 60_000 }),
      channel("XRPUSD", { connected: false, lastTickAgeMs: 900_000 }),
    ],
  });
  assert.deepEqual(staleDataRule.evaluate(current, undefined, config), [
    {
      key: "BTCUSD",
      message: "No tick for BTCUSD for 60 s (threshold 60 s)",
      value: 60.001,
      threshold: 60,
    },
    {
      key: "SOLUSD",
      message: "No tick for SOLUSD since it was subscribed 75 s ago (threshold 60 s)",
      value: 75,
      threshold: 60,
    },
  ]);
});
