import assert from "node:assert/strict";
import {
  loggableReason,
  logStrategyEvents,
  recentStrategyLog,
  type StrategyLogEntry,
} from "./strategy_log.ts";
import { storeSuite } from "./testing.ts";

function entry(i: number, overrides: Partial<StrategyLogEntry> = {}): StrategyLogEntry {
  return {
    tsEvent: 1_700_000_000_000_000_000n + BigInt(i),
    strategyId: "rsi",
    strategyHash: "ab".repeat(32),
    accountId: "SIM-001",
    symbol: "BTCUSD",
    signal: i % 2 === 0 ? "BUY" : "HOLD",
    price: 42_150_250_000_000n + BigInt(i),
    quantity: "0.00100000",
    position: "0.001",
    cash: "9957.849750000",
    portfolioValue: "10000.000000001",
    totalPnl: "-0.000000001",
    tickCount: i,
    ...overrides,
  };
}

storeSuite("live strategy log", {
  "logStrategyEvents() writes a batch that recentStrategyLog() reads back exactly": async (
    store,
  ) => {
    const entries = Array.from({ length: 1201 }, (_, i) => entry(i));
    entries.push(entry(5000, { strategyId: "momentum", processingUs: 17, reason: "crossed 30" }));
    assert.equal(await logStrategyEvents(store, entries), 1202);
    const recent = await recentStrategyLog(store, { strategyId: "rsi", limit: 3 });
    assert.deepEqual(recent.map((r) => r.tickCount), [1200, 1199, 1198]);
    const top = recent[0]!;
    assert.equal(top.price, 42_150_250_001_200n);
    assert.equal(top.tsEvent, 1_700_000_000_000_001_200n);
    assert.equal(top.cash, "9957.849750000");
    assert.equal(top.portfolioValue, "10000.000000001");
    assert.equal(top.totalPnl, "-0.000000001");
    assert.equal(top.realizedPnl, "0");
    assert.equal(top.processingUs, undefined);
    const [momentum] = await recentStrategyLog(store, { strategyId: "momentum" });
    assert.equal(momentum?.reason, "crossed 30");
    assert.equal(momentum?.processingUs, 17);
    assert.equal(momentum?.signal, "BUY");
  },

  "text with tabs, newlines and backslashes is stored as given": async (store) => {
    const odd = "a\tb\nc\\d\re \\N";
    await logStrategyEvents(store, [
      entry(1, { strategyId: "user\\strat\t1", reason: odd }),
      entry(2, { strategyId: "user\\strat\t1", reason: "" }),
    ]);
    const rows = await recentStrategyLog(store, { strategyId: "user\\strat\t1" });
    assert.deepEqual(rows.map((r) => r.reason), ["", odd]);
    await assert.rejects(
      logStrategyEvents(store, [entry(3, { reason: "nul\0" })]),
      /Invalid reason "nul\\u0000": expected 1-2000 characters, no NUL/,
    );
  },

  "loggableReason() makes any strategy text storable": async (store) => {
    const reason = loggableReason(`x\0y${"z".repeat(5000)}`);
    assert.equal(reason.length, 2000);
    assert.ok(reason.startsWith("xyz"));
    assert.equal(await logStrategyEvents(store, [entry(1, { reason })]), 1);
  },

  "a batch with one bad entry writes nothing": async (store) => {
    const bad = [entry(1), entry(2, { cash: "1e5" })];
    await assert.rejects(logStrategyEvents(store, bad), /Invalid cash "1e5"/);
    await assert.rejects(logStrategyEvents(store, [entry(3, { symbol: "btc" })]), /invalid symbol/);
    await assert.rejects(
      logStrategyEvents(store, [entry(4, { signal: "SHORT" as "BUY" })]),
      /Invalid signal "SHORT"/,
    );
    assert.deepEqual(await recentStrategyLog(store, { strategyId: "rsi" }), []);
    assert.equal(await logStrategyEvents(store, []), 0);
  },
});
