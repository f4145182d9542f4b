// L2 against a real Redis (REDIS_URL): the list shape `redis-cli LRANGE ticks:BTCUSD 0 10`
// shows, trimming, TTL, reads and skipped malformed records; and failing fast with no server.
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createNullLogger } from "@shared/obs/mod.ts";
import { CacheError } from "./cache_error.ts";
import { RedisTickCache } from "./redis_cache.ts";
import { decodeTickJson } from "./tick_json.ts";
import type { CachedTick } from "./types.ts";

const REDIS_URL = Deno.env.get("REDIS_URL");

function tick(symbol: string, i: number): CachedTick {
  return {
    symbol,
    exchange: "KRAKEN",
    tsEvent: 1_700_000_000_000_000_000n + BigInt(i),
    tsRecv: 1_700_000_000_000_000_500n + BigInt(i),
    price: 42_150_250_000_000n + BigInt(i) * 1_000_000n,
    size: i,
    side: "B",
  };
}

/** A key prefix no other test (or run) uses. */
function uniquePrefix(): string {
  return `test:tick_cache:${crypto.randomUUID()}:`;
}

async function withRedis(
  prefix: string,
  options: { max: number; ttl: number },
  fn: (cache: RedisTickCache, raw: Redis) => Promise<void>,
): Promise<void> {
  const raw = new Redis(REDIS_URL!, { lazyConnect: true });
  await raw.connect();
  const cache = new RedisTickCache({
    url: REDIS_URL!,
    keyPrefix: prefix,
    maxTicksPerSymbol: options.max,
    ttlSeconds: options.ttl,
    logger: createNullLogger(),
  });
  try {
    assert.equal(await cache.ready(10_000), true, "connected to REDIS_URL");
    assert.equal(cache.status(), "connected");
    await fn(cache, raw);
  } finally {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await cache.close();
    await raw.quit();
  }
}

Deno.test({
  name: "RedisTickCache lists the newest tick first, trimmed to the maximum, with a TTL",
  ignore: !REDIS_URL,
  fn: async () => {
    const prefix = uniquePrefix();
    await withRedis(prefix, { max: 20, ttl: 600 }, async (cache, raw) => {
      const first = Array.from({ length: 15 }, (_, i) => tick("BTCUSD", i));
      assert.equal(await cache.writeBatch([...first, tick("ETHUSD", 100)]), 16);
      const second = Array.from({ length: 15 }, (_, i) => tick("BTCUSD", 15 + i));
      assert.equal(await cache.writeBatch(second), 15);
      const key = `${prefix}BTCUSD`;
      const shown = await raw.lrange(key, 0, 10);
      assert.deepEqual(
        shown.map((record) => decodeTickJson(record).size),
        [29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19],
      );
      assert.match(shown[0]!, /^\{"symbol":"BTCUSD","exchange":"KRAKEN","ts_event":"/);
      assert.equal(await raw.llen(key), 20);
      const ttl = await raw.ttl(key);
      assert.ok(ttl > 0 && ttl <= 600, `TTL ${ttl}`);
      assert.equal(await raw.llen(`${prefix}ETHUSD`), 1);
    });
  },
});

Deno.test({
  name: "RedisTickCache.recent() returns up to n newest ticks oldest -> newest",
  ignore: !REDIS_URL,
  fn: async () => {
    const prefix = uniquePrefix();
    await withRedis(prefix, { max: 100, ttl: 600 }, async (cache) => {
      const ticks = Array.from({ length: 10 }, (_, i) => tick("BTCUSD", i));
      await cache.writeBatch(ticks);
      assert.deepEqual(await cache.recent("BTCUSD", 3), ticks.slice(7));
      assert.deepEqual(await cache.recent("BTCUSD", 50), ticks);
      assert.deepEqual(await cache.recent("BTCUSD", 0), []);
      assert.deepEqual(await cache.recent("NOSUCH", 5), []);
    });
  },
});

Deno.test({
  name: "RedisTickCache.recent() skips and counts malformed records",
  ignore: !REDIS_URL,
  fn: async () => {
    const prefix = uniquePrefix();
    await withRedis(prefix, { max: 100, ttl: 600 }, async (cache, raw) => {
      await cache.writeBatch([tick("BTCUSD", 1)]);
      await raw.lpush(`${prefix}BTCUSD`, "not json", '{"symbol":"BTCUSD"}');
      await cache.writeBatch([tick("BTCUSD", 2)]);
      await raw.lpush(`${prefix}BTCUSD`, JSON.stringify({ ...JSON.parse("{}"), x: 1 }));
      await cache.writeBatch([tick("ETHUSD", 3)]);
      const wrongList = (await raw.lrange(`${prefix}ETHUSD`, 0, 0))[0]!;
      await raw.lpush(`${prefix}BTCUSD`, wrongList);
      assert.deepEqual(await cache.recent("BTCUSD", 10), [tick("BTCUSD", 1), tick("BTCUSD", 2)]);
      assert.equal(cache.stats().malformed, 4);
    });
  },
});

async function freePort(): Promise<number> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  await Promise.resolve();
  return port;
}

Deno.test("RedisTickCache with no server goes down and fails fast without queueing", async () => {
  const port = await freePort();
  const cache = new RedisTickCache({
    url: `redis://127.0.0.1:${port}`,
    maxTicksPerSymbol: 10,
    ttlSeconds: 60,
    logger: createNullLogger(),
    connectTimeoutMs: 200,
    maxReconnectDelayMs: 100,
  });
  try {
    const deadline = Date.now() + 20_000;
    while (cache.status() !== "down") {
      assert.ok(Date.now() < deadline, `status stayed ${cache.status()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await assert.rejects(
      cache.writeBatch([tick("BTCUSD", 1)]),
      (e: unknown) => e instanceof CacheError && e.code === "l2_unavailable",
    );
    await assert.rejects(cache.recent("BTCUSD", 5), CacheError);
    assert.equal(await cache.ready(50), false);
    assert.ok(cache.stats().errors >= 1);
  } finally {
    await cache.close();
  }
  assert.equal(await cache.ready(50), false);
});
