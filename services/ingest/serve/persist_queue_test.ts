import assert from "node:assert/strict";
import { StorageError, type Store, type Tick } from "@shared/storage/mod.ts";
import { openFreshPglite, storeSuite } from "@shared/storage/testing.ts";
import { PersistQueue } from "./persist_queue.ts";
import { listSpills } from "./spill.ts";

const T0 = 1_763_700_000_000_000_000n;

function tick(n: number): Tick {
  return {
    tsEvent: T0 + BigInt(n) * 1_000_000n,
    tsRecv: T0 + BigInt(n) * 1_000_000n + 500n,
    instrumentId: 7,
    symbol: n % 2 === 0 ? "BTCUSD" : "ETHUSD",
    exchange: "KRAKEN",
    price: 50_000_000_000_000n + BigInt(n),
    size: 1234,
    quantity: "0.00001234",
    side: n % 3 === 0 ? "A" : "B",
    tradeId: `t${n}`,
    flags: 0x80,
    sequence: n,
  };
}

/** Waits for a condition (no timing decides the test: 20 s is only a hang guard). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function count(store: Store): Promise<number> {
  const { rows } = await store.query("SELECT count(*)::int8 AS n FROM tick_data");
  return Number(rows[0]!.n);
}

/** A store whose writes fail with connection_lost while `down` is set. */
function flaky(store: Store): Store & { down: boolean } {
  const state = { down: false };
  const fail = () => {
    throw new StorageError("connection_lost", "connection refused (test outage)");
  };
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === "down") return state.down;
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (state.down && key !== "close") fail();
        return value.apply(target, args);
      };
    },
    set(_target, key, value) {
      if (key === "down") state.down = value;
      return true;
    },
  }) as Store & { down: boolean };
}

storeSuite("PersistQueue", {
  "writes every pushed tick in size- or time-bounded batches": async (store) => {
    const batches: number[] = [];
    const queue = new PersistQueue({
      store,
      batchSize: 100,
      flushIntervalMs: 20,
      spillDir: await Deno.makeTempDir(),
      onBatch: (result) => batches.push(result.inserted),
    });
    for (let n = 0; n < 250; n++) queue.push(tick(n));
    queue.push(tick(3)); // a duplicate
    await queue.close();
    assert.equal(await count(store), 250);
    assert.equal(queue.stats.persisted, 250);
    assert.equal(queue.stats.duplicates, 1);
    assert.ok(batches.every((n) => n <= 100));
    assert.equal(queue.depth, 0);
  },
});

Deno.test("PersistQueue keeps ticks through an outage, spills past capacity, reloads when back", async () => {
  const base = await openFreshPglite(undefined);
  const store = flaky(base);
  const spillDir = await Deno.makeTempDir();
  const queue = new PersistQueue({
    store,
    batchSize: 50,
    flushIntervalMs: 5,
    capacity: 120,
    spillDir,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  store.down = true;
  for (let n = 0; n < 400; n++) queue.push(tick(n));
  await until(() => !queue.databaseUp && queue.stats.spilled > 0);
  assert.equal(queue.databaseUp, false);
  assert.match(queue.lastError ?? "", /test outage/);
  assert.ok(queue.stats.spilled > 0, "ticks past capacity were spilled");
  assert.ok((await listSpills(spillDir)).length > 0);
  store.down = false;
  const deadline = Date.now() + 10_000;
  while ((await count(base)) < 400 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await queue.close();
  assert.equal(await count(base), 400);
  assert.equal(queue.stats.spilled, queue.stats.reloaded);
  assert.deepEqual(await listSpills(spillDir), []);
  await base.close();
  await Deno.remove(spillDir, { recursive: true });
});

Deno.test("PersistQueue.close spills what the down database cannot take; the next queue loads it", async () => {
  const base = await openFreshPglite(undefined);
  const store = flaky(base);
  const spillDir = await Deno.makeTempDir();
  store.down = true;
  const first = new PersistQueue({
    store,
    batchSize: 10,
    flushIntervalMs: 5,
    spillDir,
    backoff: { initialMs: 5, maxMs: 10 },
  });
  for (let n = 0; n < 35; n++) first.push(tick(n));
  await until(() => first.stats.failedWrites > 0);
  await first.close();
  assert.equal(await count(base), 0);
  assert.equal(first.stats.spilled, 35);
  store.down = false;
  const second = new PersistQueue({ store, batchSize: 10, flushIntervalMs: 5, spillDir });
  const deadline = Date.now() + 10_000;
  while ((await count(base)) < 35 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await second.close();
  assert.equal(await count(base), 35);
  assert.deepEqual(await listSpills(spillDir), []);
  await base.close();
  await Deno.remove(spillDir, { recursive: true });
});
