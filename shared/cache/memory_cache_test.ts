// L1: per-symbol rings in the WASM core behind MemoryTickCache.
import assert from "node:assert/strict";
import { coreMemoryBuffer } from "@core/mod.ts";
import { MemoryTickCache } from "./memory_cache.ts";
import type { CachedTick } from "./types.ts";

function tick(symbol: string, i: number, exchange = "KRAKEN"): CachedTick {
  return {
    symbol,
    exchange,
    tsEvent: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n,
    tsRecv: 1_700_000_000_000_000_100n + BigInt(i) * 1_000_000n,
    price: 42_150_250_000_000n + BigInt(i) * 10_000_000n,
    size: i + 1,
    side: i % 3 === 0 ? "A" : i % 3 === 1 ? "B" : "N",
  };
}

function manualClock(start = 0): { now: () => number; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

Deno.test("MemoryTickCache returns the newest ticks oldest -> newest, evicting the oldest", () => {
  using cache = new MemoryTickCache({ maxTicksPerSymbol: 5, ttlSeconds: 60 });
  assert.equal(cache.latest("BTCUSD"), undefined);
  assert.deepEqual(cache.recent("BTCUSD", 3), []);
  for (let i = 0; i < 8; i++) cache.push(tick("BTCUSD", i));
  assert.deepEqual(cache.latest("BTCUSD"), tick("BTCUSD", 7));
  assert.deepEqual(cache.recent("BTCUSD", 3), [5, 6, 7].map((i) => tick("BTCUSD", i)));
  assert.deepEqual(cache.recent("BTCUSD", 100), [3, 4, 5, 6, 7].map((i) => tick("BTCUSD", i)));
  assert.deepEqual(cache.recent("BTCUSD", 0), []);
  assert.equal(cache.size("BTCUSD"), 5);
});

Deno.test("MemoryTickCache keeps symbols apart and maps exchange names back", () => {
  using cache = new MemoryTickCache({ maxTicksPerSymbol: 10, ttlSeconds: 60 });
  cache.push(tick("BTCUSD", 1, "KRAKEN"));
  cache.push(tick("ETHUSD", 2, "BINANCE"));
  cache.push(tick("BTCUSD", 3, "BINANCE"));
  cache.push(tick("SOLUSD", 4, "KRAKEN_FUTURES"));
  assert.deepEqual(cache.symbols().sort(), ["BTCUSD", "ETHUSD", "SOLUSD"]);
  assert.deepEqual(cache.recent("BTCUSD", 10), [
    tick("BTCUSD", 1, "KRAKEN"),
    tick("BTCUSD", 3, "BINANCE"),
  ]);
  assert.deepEqual(cache.latest("ETHUSD"), tick("ETHUSD", 2, "BINANCE"));
  assert.equal(cache.latest("SOLUSD")?.exchange, "KRAKEN_FUTURES");
  cache.clear("BTCUSD");
  assert.equal(cache.size("BTCUSD"), 0);
  assert.deepEqual(cache.symbols().sort(), ["ETHUSD", "SOLUSD"]);
  cache.clear();
  assert.deepEqual(cache.symbols(), []);
  cache.push(tick("BTCUSD", 9));
  assert.equal(cache.size("BTCUSD"), 1);
});

Deno.test("MemoryTickCache does not return ticks older than ttl_seconds on its clock", () => {
  const clock = manualClock(10_000);
  using cache = new MemoryTickCache({ maxTicksPerSymbol: 10, ttlSeconds: 2, clock: clock.now });
  cache.push(tick("BTCUSD", 1));
  clock.set(11_000);
  cache.push(tick("BTCUSD", 2));
  clock.set(12_500);
  assert.deepEqual(cache.recent("BTCUSD", 10), [tick("BTCUSD", 2)]);
  assert.equal(cache.size("BTCUSD"), 1);
  assert.deepEqual(cache.latest("BTCUSD"), tick("BTCUSD", 2));
  clock.set(13_001);
  assert.equal(cache.latest("BTCUSD"), undefined);
  assert.deepEqual(cache.recent("BTCUSD", 10), []);
  assert.deepEqual(cache.symbols(), []);
});

Deno.test("MemoryTickCache.backfill() puts older ticks before the oldest, while room lasts", () => {
  using cache = new MemoryTickCache({ maxTicksPerSymbol: 4, ttlSeconds: 60 });
  cache.push(tick("BTCUSD", 10));
  cache.push(tick("BTCUSD", 11));
  const older = [6, 7, 8, 9].map((i) => tick("BTCUSD", i, "BINANCE"));
  assert.equal(cache.backfill("BTCUSD", older), 2);
  assert.deepEqual(cache.recent("BTCUSD", 4), [
    tick("BTCUSD", 8, "BINANCE"),
    tick("BTCUSD", 9, "BINANCE"),
    tick("BTCUSD", 10),
    tick("BTCUSD", 11),
  ]);
  assert.equal(cache.backfill("ETHUSD", [tick("ETHUSD", 1)]), 1);
  assert.deepEqual(cache.latest("ETHUSD"), tick("ETHUSD", 1));
});

Deno.test("MemoryTickCache reads stay right while many symbols grow core memory", () => {
  using cache = new MemoryTickCache({ maxTicksPerSymbol: 2_000, ttlSeconds: 60 });
  cache.push(tick("BTCUSD", 1));
  assert.deepEqual(cache.latest("BTCUSD"), tick("BTCUSD", 1)); // views cached here
  const before = coreMemoryBuffer();
  const symbols: string[] = [];
  for (let s = 0; coreMemoryBuffer() === before || s < 50; s++) {
    const symbol = `SYM${s}`;
    symbols.push(symbol);
    cache.push(tick(symbol, s));
    assert.ok(s < 100_000, "core memory never grew");
  }
  assert.notEqual(coreMemoryBuffer(), before);
  assert.deepEqual(cache.latest("BTCUSD"), tick("BTCUSD", 1));
  cache.push(tick("BTCUSD", 2));
  assert.deepEqual(cache.recent("BTCUSD", 5), [tick("BTCUSD", 1), tick("BTCUSD", 2)]);
  symbols.forEach((symbol, s) => assert.deepEqual(cache.latest(symbol), tick(symbol, s)));
  assert.equal(cache.symbols().length, symbols.length + 1);
});

Deno.test("MemoryTickCache rejects ticks whose fields a slot cannot hold", () => {
  using cache = new MemoryTickCache({ maxTicksPerSymbol: 4, ttlSeconds: 60 });
  const good = tick("BTCUSD", 1);
  const bad: Partial<CachedTick>[] = [
    { side: "S" as CachedTick["side"] },
    { size: -1 },
    { size: 2 ** 32 },
    { size: 1.5 },
    { price: 2n ** 63n },
    { tsEvent: -1n },
    { tsRecv: 2n ** 63n },
  ];
  for (const patch of bad) {
    assert.throws(() => cache.push({ ...good, ...patch }), RangeError, Object.keys(patch)[0]);
  }
  assert.equal(cache.size("BTCUSD"), 0);
  assert.throws(() => cache.recent("BTCUSD", -1), RangeError);
  assert.throws(() => new MemoryTickCache({ maxTicksPerSymbol: 0, ttlSeconds: 1 }), RangeError);
  assert.throws(() => new MemoryTickCache({ maxTicksPerSymbol: 1, ttlSeconds: 0 }), RangeError);
});

Deno.test("MemoryTickCache refuses pushes after free()", () => {
  const cache = new MemoryTickCache({ maxTicksPerSymbol: 4, ttlSeconds: 60 });
  cache.push(tick("BTCUSD", 1));
  cache.free();
  cache.free();
  assert.equal(cache.latest("BTCUSD"), undefined);
  assert.throws(() => cache.push(tick("BTCUSD", 2)), TypeError);
});
