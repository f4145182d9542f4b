// The tiered cache on L1 alone, over a fake L2 (batching, failures, overflow, backfill), and on
// the shared Redis (REDIS_URL). The outage test with a private redis-server is in
// tiered_cache_outage_test.ts.
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createNullLogger } from "@shared/obs/mod.ts";
import { openTickCache } from "./open_tick_cache.ts";
import { captureLogger, FakeL2, range, tick, tiered, until } from "./_testing.ts";

const REDIS_URL = Deno.env.get("REDIS_URL");

Deno.test("TieredTickCache without L2 serves L1 alone with l2Status disabled", async () => {
  const cache = tiered(undefined);
  try {
    for (const t of range("BTCUSD", 0, 5)) cache.write(t);
    assert.deepEqual(await cache.recent("BTCUSD", 3), { ticks: range("BTCUSD", 2, 5), tier: "l1" });
    assert.deepEqual(await cache.recent("BTCUSD", 10), {
      ticks: range("BTCUSD", 0, 5),
      tier: "l1",
    });
    assert.deepEqual(await cache.recent("ETHUSD", 3), { ticks: [], tier: "empty" });
    assert.deepEqual(cache.recentL1("BTCUSD", 2), range("BTCUSD", 3, 5));
    assert.deepEqual(cache.latest("BTCUSD"), tick("BTCUSD", 4));
    await cache.flush();
    assert.deepEqual(cache.stats(), {
      writes: 5,
      l2Writes: 0,
      l2Failures: 0,
      l2ReadFailures: 0,
      l1Hits: 3,
      l2Hits: 0,
      misses: 1,
      pending: 0,
      l2Status: "disabled",
    });
  } finally {
    await cache.close();
  }
});

Deno.test("TieredTickCache flushes 256 pending ticks in one batch, the rest after the delay", async () => {
  const l2 = new FakeL2();
  const cache = tiered(l2, { flushDelayMs: 5 });
  try {
    const ticks = range("BTCUSD", 0, 300);
    for (const t of ticks) cache.write(t);
    assert.equal(l2.batches[0]?.length, 256, "the 256th write started a flush");
    await until("the last 44 ticks reach L2", () => cache.stats().l2Writes === 300);
    assert.deepEqual(l2.batches.flat(), ticks);
    assert.equal(cache.stats().pending, 0);
  } finally {
    await cache.close();
  }
});

Deno.test("TieredTickCache counts failed L2 writes, logs once per outage, and keeps L1 going", async () => {
  const lines: string[] = [];
  const l2 = new FakeL2();
  const cache = tiered(l2, { logger: captureLogger(lines) });
  try {
    l2.failWrites = true;
    for (let round = 0; round < 3; round++) {
      for (const t of range("BTCUSD", round * 10, round * 10 + 10)) cache.write(t);
      await cache.flush();
    }
    assert.equal(cache.stats().l2Failures, 30);
    assert.equal(cache.stats().writes, 30);
    assert.deepEqual(cache.recentL1("BTCUSD", 30), range("BTCUSD", 0, 30));
    l2.failWrites = false;
    cache.write(tick("BTCUSD", 30));
    await cache.flush();
    assert.equal(cache.stats().l2Writes, 1);
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    assert.deepEqual(messages, [
      "L2 cache writes failing; ticks stay in L1 only",
      "L2 cache writes resumed",
    ]);
  } finally {
    await cache.close();
  }
});

Deno.test("TieredTickCache holds ticks until the first connection, dropping the oldest beyond the bound", async () => {
  const l2 = new FakeL2();
  l2.state = "connecting";
  const cache = tiered(l2, { maxPending: 400 });
  try {
    for (const t of range("BTCUSD", 0, 500)) cache.write(t);
    assert.equal(l2.batches.length, 0);
    assert.equal(cache.stats().pending, 400);
    assert.equal(cache.stats().l2Failures, 100);
    l2.connect();
    await until("pending ticks reach L2", () => cache.stats().l2Writes === 400);
    assert.deepEqual(l2.batches.flat(), range("BTCUSD", 100, 500));
  } finally {
    await cache.close();
  }
});

Deno.test("TieredTickCache.recent() reads L2 on an L1 shortfall and backfills L1 in order", async () => {
  const l2 = new FakeL2();
  l2.lists.set("BTCUSD", range("BTCUSD", 0, 20));
  const cache = tiered(l2);
  try {
    // L1 holds the newest five (also in L2), as after a restart that missed older ticks.
    for (const t of range("BTCUSD", 15, 20)) cache.write(t);
    await cache.flush();
    l2.lists.set("BTCUSD", range("BTCUSD", 0, 20));
    assert.deepEqual(await cache.recent("BTCUSD", 12), {
      ticks: range("BTCUSD", 8, 20),
      tier: "l2",
    });
    assert.deepEqual(cache.recentL1("BTCUSD", 100), range("BTCUSD", 8, 20));
    assert.deepEqual(await cache.recent("BTCUSD", 12), {
      ticks: range("BTCUSD", 8, 20),
      tier: "l1",
    });
    assert.deepEqual(await cache.recent("ETHUSD", 3), { ticks: [], tier: "empty" });
    const stats = cache.stats();
    assert.deepEqual([stats.l1Hits, stats.l2Hits, stats.misses], [2, 1, 1]);
  } finally {
    await cache.close();
  }
});

Deno.test("TieredTickCache.recent() answers from L1 when L2 is down", async () => {
  const l2 = new FakeL2();
  l2.lists.set("BTCUSD", range("BTCUSD", 0, 20));
  l2.state = "down";
  const cache = tiered(l2);
  try {
    cache.write(tick("BTCUSD", 19));
    assert.deepEqual(await cache.recent("BTCUSD", 5), { ticks: [tick("BTCUSD", 19)], tier: "l1" });
  } finally {
    await cache.close();
  }
});

Deno.test({
  name: "TieredTickCache on REDIS_URL: an L1 miss is an L2 hit that backfills L1",
  ignore: !REDIS_URL,
  fn: async () => {
    const prefix = `test:tiered:${crypto.randomUUID()}:`;
    const config = {
      memory: { max_ticks_per_symbol: 100, ttl_seconds: 60 },
      redis: { url: REDIS_URL, max_ticks_per_symbol: 1000, ttl_seconds: 60, key_prefix: prefix },
    };
    const writer = openTickCache(config, createNullLogger());
    const reader = openTickCache(config, createNullLogger());
    try {
      for (const t of range("BTCUSD", 0, 50)) writer.write(t);
      await writer.flush();
      assert.equal(writer.stats().l2Writes, 50);
      await until("the reader connects", () => reader.stats().l2Status === "connected");
      assert.deepEqual(reader.recentL1("BTCUSD", 10), []);
      assert.deepEqual(await reader.recent("BTCUSD", 10), {
        ticks: range("BTCUSD", 40, 50),
        tier: "l2",
      });
      assert.deepEqual(reader.recentL1("BTCUSD", 10), range("BTCUSD", 40, 50));
      assert.equal((await reader.recent("BTCUSD", 10)).tier, "l1");
    } finally {
      await writer.close();
      await reader.close();
      const raw = new Redis(REDIS_URL!);
      await raw.del(`${prefix}BTCUSD`);
      await raw.quit();
    }
  },
});
