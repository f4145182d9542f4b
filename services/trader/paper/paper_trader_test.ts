import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@shared/config/mod.ts";
import { createLogger } from "@shared/obs/mod.ts";
import { openFreshPglite } from "@shared/storage/testing.ts";
import { recentStrategyLog } from "@shared/storage/mod.ts";
import { StrategyLogWriter } from "./log_writer.ts";
import { PaperConfigError, type PaperTick, PaperTrader } from "./paper_trader.ts";
import { strategySpecs } from "./specs.ts";

const EVERY_TICK = fileURLToPath(
  new URL("../../../tests/fixtures/every_tick_strategy.ts", import.meta.url),
);
const T0 = 1_700_000_000_000_000_000n;
const logger = createLogger({ level: "error", format: "json", service: "test", sink: () => {} });

function config() {
  return loadConfig({ runMode: "test", env: {}, envFile: false }).config;
}

function ticks(symbol: string, n: number, from = T0): PaperTick[] {
  return Array.from({ length: n }, (_, i) => ({
    symbol,
    tsEvent: from + BigInt(i) * 1_000_000n,
    price: 42_000_000_000_000n + BigInt(i % 7) * 1_000_000_000n,
    size: 1,
    side: i % 2 === 0 ? "B" : "A",
  }));
}

Deno.test("every decision becomes a live_strategy_log row with the strategy's hash; fills print live lines", async () => {
  const store = await openFreshPglite(undefined);
  const log = new StrategyLogWriter({ store, flushMs: 60_000, logger });
  const lines: string[] = [];
  const paper = await PaperTrader.create({
    config: config(),
    specs: [{ strategy: EVERY_TICK, symbols: ["BTCUSD", "ETHUSD"], params: { every: "10" } }],
    sizeScale: () => 0,
    log,
    out: (line) => lines.push(line),
    logger,
  });
  try {
    for (const tick of ticks("BTCUSD", 100)) paper.onTick(tick);
    for (const tick of ticks("ETHUSD", 30)) paper.onTick(tick);
    await log.close();
    assert.deepEqual(log.stats(), { written: 130, pending: 0, failedWrites: 0, dropped: 0 });
    const rows = await recentStrategyLog(store, { strategyId: "every_tick", limit: 1000 });
    assert.equal(rows.length, 130);
    const hash = paper.slots[0]!.hash;
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(rows.every((r) => r.strategyHash === hash && r.accountId === "SIM-001"));
    assert.equal(rows.filter((r) => r.signal !== "HOLD").length, 10 + 3);
    const [btc, eth] = paper.slots;
    assert.equal(btc!.decisions, 100);
    assert.equal(eth!.decisions, 30);
    // BUY on tick 10 fills on tick 11 (the next tick), SELL on 20 fills on 21, ...: 10 on BTC.
    assert.equal(btc!.fills, 9);
    assert.ok(lines.some((l) => l.includes(" FILL  every_tick BTCUSD BUY 0.01 @ ")));
    assert.ok(lines.every((l) => /\| pos [\d.]+ \| equity [\d.]+ USDT \| P&L [+-][\d.]+$/.test(l)));
  } finally {
    paper.free();
    await store.close();
  }
});

Deno.test("warm-up on cached ticks fills indicators but places no order and logs nothing", async () => {
  const store = await openFreshPglite(undefined);
  const log = new StrategyLogWriter({ store, flushMs: 60_000, logger });
  const paper = await PaperTrader.create({
    config: config(),
    specs: [{ strategy: EVERY_TICK, symbols: ["BTCUSD"], params: { every: "5" } }],
    sizeScale: () => 0,
    log,
    logger,
  });
  try {
    paper.warmUp(ticks("BTCUSD", 50));
    await log.close();
    assert.equal(log.stats().written, 0);
    assert.equal(paper.slots[0]!.fills, 0);
    assert.equal(paper.exchange.position("SIM-001", "BTCUSD").toString(), "0");
  } finally {
    paper.free();
    await store.close();
  }
});

Deno.test("a tick older than its symbol's clock is fed at the clock's time and counted", async () => {
  const paper = await PaperTrader.create({
    config: config(),
    specs: [{ strategy: EVERY_TICK, symbols: ["BTCUSD"], params: {} }],
    sizeScale: () => 0,
    logger,
  });
  try {
    paper.onTick(ticks("BTCUSD", 1, T0 + 5_000_000n)[0]!);
    paper.onTick(ticks("BTCUSD", 1, T0)[0]!);
    assert.equal(paper.lateTicks, 1);
    assert.equal(paper.slots[0]!.decisions, 2);
  } finally {
    paper.free();
  }
});

Deno.test("the live clock closes time bars on the data's clock when no tick comes", async () => {
  const paper = await PaperTrader.create({
    config: config(),
    specs: [{
      strategy: "sma",
      symbols: ["BTCUSD"],
      params: { short: "2", long: "3", timeframe: "1m" },
    }],
    sizeScale: () => 0,
    logger,
  });
  try {
    const closes: number[] = [];
    const minute = 60_000_000_000n;
    const start = (T0 / minute) * minute;
    paper.onTick({ symbol: "BTCUSD", tsEvent: start, price: 1_000_000_000n, size: 1, side: "B" });
    const arrived = performance.now();
    paper.closeDue(arrived + 30_000); // 30 s of data time later: the bar is still open
    closes.push(paper.slots[0]!.decisions);
    paper.closeDue(arrived + 61_000); // past the minute: the bar closes with no new tick
    closes.push(paper.slots[0]!.decisions);
    assert.deepEqual(closes, [0, 1]);
  } finally {
    paper.free();
  }
});

Deno.test("several strategies share accounts by the config's mapping; a repeated pair or bad param is one line", async () => {
  const c = config();
  const specs = strategySpecs(c, { strategies: ["momentum", "rsi"], symbols: ["BTCUSD"] });
  const paper = await PaperTrader.create({ config: c, specs, sizeScale: () => 0, logger });
  try {
    assert.deepEqual(paper.slots.map((s) => `${s.strategyId}@${s.accountId}`), [
      "momentum@SIM-AGGRESSIVE",
      "rsi@SIM-CONSERVATIVE",
    ]);
  } finally {
    paper.free();
  }
  assert.throws(
    () => strategySpecs(c, { strategies: ["rsi", "rsi"], symbols: ["BTCUSD"] }),
    /configured twice/,
  );
  await assert.rejects(
    PaperTrader.create({
      config: c,
      specs: [{ strategy: "rsi", symbols: ["BTCUSD"], params: { period: "-3" } }],
      sizeScale: () => 0,
      logger,
    }),
    (e) => e instanceof PaperConfigError && !e.message.includes("\n"),
  );
  await assert.rejects(
    PaperTrader.create({
      config: c,
      specs: [{ strategy: "nope", symbols: ["BTCUSD"], params: {} }],
      sizeScale: () => 0,
      logger,
    }),
    /Unknown strategy "nope"/,
  );
});
