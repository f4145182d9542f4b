// The tiered cache over a private redis-server that is killed mid-stream and restarted on the
// same port (runs whenever /usr/bin/redis-server exists; never touches the shared Redis).
import assert from "node:assert/strict";
import { RedisTickCache } from "./redis_cache.ts";
import {
  captureLogger,
  HAS_REDIS_SERVER,
  PrivateRedis,
  range,
  tick,
  tiered,
  until,
} from "./_testing.ts";

Deno.test({
  name: "TieredTickCache rides out a killed redis-server: L1 goes on, failures count, L2 resumes",
  ignore: !HAS_REDIS_SERVER,
  fn: async () => {
    const server = await PrivateRedis.start();
    const lines: string[] = [];
    const logger = captureLogger(lines);
    const l2 = new RedisTickCache({
      url: server.url,
      maxTicksPerSymbol: 10_000,
      ttlSeconds: 60,
      logger,
      connectTimeoutMs: 500,
      maxReconnectDelayMs: 200,
    });
    const cache = tiered(l2, { logger });
    let i = 0;
    try {
      assert.equal(await l2.ready(20_000), true);
      for (; i < 100; i++) cache.write(tick("BTCUSD", i));
      await cache.flush();
      assert.deepEqual([cache.stats().l2Writes, cache.stats().l2Failures], [100, 0]);

      await server.kill();
      // Mid-stream: keep writing until the cache sees the outage.
      const deadline = Date.now() + 20_000;
      while (cache.stats().l2Status !== "down") {
        assert.ok(Date.now() < deadline, "status never went down");
        cache.write(tick("BTCUSD", i++));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      for (const end = i + 50; i < end;) cache.write(tick("BTCUSD", i++));
      await cache.flush();
      const down = cache.stats();
      assert.equal(down.writes, i);
      assert.ok(down.l2Failures >= 50, `failures ${down.l2Failures}`);
      assert.equal(down.l2Writes + down.l2Failures, i, "every tick either stored or counted");
      assert.deepEqual(cache.recentL1("BTCUSD", i), range("BTCUSD", 0, i));

      await server.restart();
      await until("L2 reconnects", () => cache.stats().l2Status === "connected");
      const resumedFrom = i;
      for (const end = i + 10; i < end;) cache.write(tick("BTCUSD", i++));
      await cache.flush();
      const up = cache.stats();
      assert.equal(up.l2Writes, down.l2Writes + 10);
      assert.equal(up.l2Failures, down.l2Failures);
      // The restarted server started empty: it holds exactly the ticks written since.
      assert.deepEqual(await l2.recent("BTCUSD", 1000), range("BTCUSD", resumedFrom, i));
      const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      assert.equal(messages.filter((m) => m.startsWith("L2 cache writes failing")).length, 1);
      assert.equal(messages.filter((m) => m === "L2 cache writes resumed").length, 1);
      assert.equal(messages.filter((m) => m.startsWith("Redis unavailable")).length, 1);
    } finally {
      await cache.close();
      await server.kill();
    }
  },
});
