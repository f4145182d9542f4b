import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { StorageError } from "../storage_error.ts";
import type { Queryable } from "../store.ts";
import { openFreshPglite, openFreshPostgres, storeSuite, type TestStore } from "../testing.ts";
import { hashInstrumentId, type InstrumentIdHash } from "./instrument_id.ts";
import { InstrumentRegistry } from "./registry.ts";

// Two real symbols whose SHA-256 ids collide at attempt 0 (found by a birthday search).
const COLLIDING = ["C106443", "C110199"] as const;
const COLLIDING_ID = 3891375520;

/** A second, empty database on the same backend. */
function openOther(store: TestStore): Promise<TestStore> {
  return store.kind === "postgres" ? openFreshPostgres() : openFreshPglite(undefined);
}

async function instrumentCount(store: Queryable): Promise<number> {
  const { rows } = await store.query<{ n: bigint }>("SELECT count(*) AS n FROM instruments");
  return Number(rows[0]!.n);
}

storeSuite("InstrumentRegistry", {
  "getOrCreate() gives the documented hash id, the same from a second registry": async (store) => {
    const first = await new InstrumentRegistry(store).getOrCreate("BTCUSD", "BINANCE");
    assert.deepEqual(first, {
      instrumentId: hashInstrumentId("BTCUSD", "BINANCE"),
      symbol: "BTCUSD",
      exchange: "BINANCE",
      assetType: "crypto",
      venueSymbol: undefined,
      source: "hash",
      priceScale: 9,
      sizeScale: 0,
    });
    const second = new InstrumentRegistry(store);
    assert.deepEqual(await second.getOrCreate("BTCUSD", "BINANCE"), first);
    assert.deepEqual(await second.get("BTCUSD", "BINANCE"), first);
    assert.deepEqual(await second.byId(first.instrumentId), first);
    assert.equal(await instrumentCount(store), 1);
  },

  "getOrCreate() keeps the row's options; new rows get the given ones": async (store) => {
    const registry = new InstrumentRegistry(store);
    const eth = await registry.getOrCreate("ETHUSD", "KRAKEN", {
      venueSymbol: "ETH/USD",
      sizeScale: 8,
      priceScale: 5,
      assetType: "crypto",
    });
    assert.equal(eth.venueSymbol, "ETH/USD");
    assert.equal(eth.sizeScale, 8);
    assert.equal(eth.priceScale, 5);
    const again = await new InstrumentRegistry(store).getOrCreate("ETHUSD", "KRAKEN", {
      sizeScale: 2,
    });
    assert.deepEqual(again, eth);
  },

  "a real hash collision goes to the next attempt, identically in a second fresh database": async (
    store,
  ) => {
    const [a, b] = COLLIDING;
    assert.equal(hashInstrumentId(a, "TEST"), COLLIDING_ID);
    assert.equal(hashInstrumentId(b, "TEST"), COLLIDING_ID);
    const run = async (db: Queryable) => {
      const registry = new InstrumentRegistry(db);
      return [
        (await registry.getOrCreate(a, "TEST")).instrumentId,
        (await registry.getOrCreate(b, "TEST")).instrumentId,
      ];
    };
    const ids = await run(store);
    assert.deepEqual(ids, [COLLIDING_ID, hashInstrumentId(b, "TEST", 1)]);
    const other = await openOther(store);
    try {
      assert.deepEqual(await run(other), ids);
    } finally {
      await other.close();
    }
    // Later lookups of the loser find its stored id, not the colliding hash.
    assert.equal((await new InstrumentRegistry(store).get(b, "TEST"))?.instrumentId, ids[1]);
  },

  "an injected collision and a reserved candidate are skipped deterministically": async (store) => {
    const hash: InstrumentIdHash = (symbol, exchange, attempt) =>
      attempt === 0 ? 42 : attempt === 1 ? 0 : hashInstrumentId(symbol, exchange, attempt);
    const registry = new InstrumentRegistry(store, { hash });
    const btc = await registry.getOrCreate("BTCUSD", "BINANCE");
    const eth = await registry.getOrCreate("ETHUSD", "BINANCE");
    assert.equal(btc.instrumentId, 42);
    assert.equal(eth.instrumentId, hashInstrumentId("ETHUSD", "BINANCE", 2));
  },

  "getOrCreate() gives up with a one-line constraint error when every candidate is taken": async (
    store,
  ) => {
    const registry = new InstrumentRegistry(store, { hash: () => 7, maxAttempts: 3 });
    await registry.getOrCreate("BTCUSD", "BINANCE");
    await assert.rejects(
      registry.getOrCreate("ETHUSD", "BINANCE"),
      (e: unknown) =>
        e instanceof StorageError && e.code === "constraint" &&
        e.message === "no free instrument id for ETHUSD on BINANCE after 3 attempts",
    );
  },

  "concurrent getOrCreate() from several registries yields one id and one row": async (store) => {
    const registries = Array.from({ length: 8 }, () => new InstrumentRegistry(store));
    const results = await Promise.all(
      registries.flatMap((
        r,
      ) => [r.getOrCreate("SOLUSD", "KRAKEN"), r.getOrCreate("XRPUSD", "KRAKEN")]),
    );
    const sol = new Set(results.filter((i) => i.symbol === "SOLUSD").map((i) => i.instrumentId));
    const xrp = new Set(results.filter((i) => i.symbol === "XRPUSD").map((i) => i.instrumentId));
    assert.deepEqual([...sol], [hashInstrumentId("SOLUSD", "KRAKEN")]);
    assert.deepEqual([...xrp], [hashInstrumentId("XRPUSD", "KRAKEN")]);
    assert.equal(await instrumentCount(store), 2);
  },

  "concurrent colliding instruments both get an id, and they differ": async (store) => {
    const hash: InstrumentIdHash = (s, e, attempt) =>
      attempt === 0 ? 99 : hashInstrumentId(s, e, attempt);
    const results = await Promise.all(
      ["AAA", "BBB", "AAA", "BBB"].map((s) =>
        new InstrumentRegistry(store, { hash }).getOrCreate(s, "X")
      ),
    );
    const ids = new Map(results.map((i) => [i.symbol, i.instrumentId]));
    assert.equal(ids.size, 2);
    assert.notEqual(ids.get("AAA"), ids.get("BBB"));
    assert.ok([...ids.values()].includes(99));
    assert.equal(await instrumentCount(store), 2);
  },

  "registerDatabento() keeps Databento's id, and getOrCreate() then returns it": async (store) => {
    const registry = new InstrumentRegistry(store);
    const es = await registry.registerDatabento(5482, "ESH5", "CME", { assetType: "futures" });
    assert.equal(es.instrumentId, 5482);
    assert.equal(es.source, "databento");
    assert.deepEqual(await registry.registerDatabento(5482, "ESH5", "CME"), es);
    assert.deepEqual(await new InstrumentRegistry(store).getOrCreate("ESH5", "CME"), es);
    assert.deepEqual(await new InstrumentRegistry(store).byId(5482), es);
  },

  "registerDatabento() refuses an id or a name that belongs to another instrument": async (
    store,
  ) => {
    const registry = new InstrumentRegistry(store);
    await registry.registerDatabento(5482, "ESH5", "CME");
    const btc = await registry.getOrCreate("BTCUSD", "BINANCE");
    const oneLineConstraint = (pattern: RegExp) => (e: unknown) =>
      e instanceof StorageError && e.code === "constraint" && !e.message.includes("\n") &&
      pattern.test(e.message);
    await assert.rejects(
      new InstrumentRegistry(store).registerDatabento(5482, "NQH5", "CME"),
      oneLineConstraint(
        /^instrument id 5482 already belongs to ESH5 on CME; cannot register it for NQH5 on CME$/,
      ),
    );
    await assert.rejects(
      registry.registerDatabento(777, "BTCUSD", "BINANCE"),
      oneLineConstraint(
        new RegExp(`^BTCUSD on BINANCE already has instrument id ${btc.instrumentId} \\(hash\\)`),
      ),
    );
  },

  "list() returns every instrument by exchange then symbol": async (store) => {
    const registry = new InstrumentRegistry(store);
    await registry.getOrCreate("ETHUSD", "KRAKEN");
    await registry.getOrCreate("BTCUSD", "KRAKEN");
    await registry.getOrCreate("BTCUSD", "BINANCE");
    const listed = await new InstrumentRegistry(store).list();
    assert.deepEqual(listed.map((i) => `${i.exchange}:${i.symbol}`), [
      "BINANCE:BTCUSD",
      "KRAKEN:BTCUSD",
      "KRAKEN:ETHUSD",
    ]);
    assert.equal(await registry.byId(123), undefined);
    assert.equal(await registry.get("DOGEUSD", "KRAKEN"), undefined);
  },
});

/** A database that fails the test if any SQL reaches it. */
const NO_SQL: Queryable = {
  query: () => Promise.reject(new Error("SQL reached the database")),
  exec: () => Promise.reject(new Error("SQL reached the database")),
  copyFrom: () => Promise.reject(new Error("SQL reached the database")),
};

Deno.test("InstrumentRegistry validates symbol, exchange and options before any SQL", async () => {
  const registry = new InstrumentRegistry(NO_SQL);
  await assert.rejects(registry.getOrCreate("btc/usd", "BINANCE"), DataError);
  await assert.rejects(registry.getOrCreate("BTCUSD", "binance"), DataError);
  await assert.rejects(registry.getOrCreate("BTCUSD'; DROP TABLE x", "BINANCE"), DataError);
  await assert.rejects(registry.get("", "BINANCE"), DataError);
  await assert.rejects(registry.registerDatabento(1, "ES H5", "CME"), DataError);
  await assert.rejects(registry.registerDatabento(2 ** 32, "ESH5", "CME"), RangeError);
  await assert.rejects(registry.getOrCreate("BTCUSD", "BINANCE", { sizeScale: 10 }), RangeError);
  await assert.rejects(
    registry.getOrCreate("BTCUSD", "BINANCE", { assetType: "Crypto!" }),
    RangeError,
  );
});

Deno.test("InstrumentRegistry ids survive closing and reopening an embedded database", async () => {
  const dir = await Deno.makeTempDir({ prefix: "registry_test_" });
  try {
    let store = await openFreshPglite(dir);
    const before = await new InstrumentRegistry(store).getOrCreate("BTCUSD", "BINANCE");
    const [a, b] = COLLIDING;
    await new InstrumentRegistry(store).getOrCreate(a, "TEST");
    const loser = await new InstrumentRegistry(store).getOrCreate(b, "TEST");
    await store.close();
    store = await openFreshPglite(dir);
    try {
      const registry = new InstrumentRegistry(store);
      assert.deepEqual(await registry.getOrCreate("BTCUSD", "BINANCE"), before);
      assert.deepEqual(await registry.getOrCreate(b, "TEST"), loser);
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
