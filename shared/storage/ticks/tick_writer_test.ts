import assert from "node:assert/strict";
import postgres from "postgres";
import { DataError } from "@shared/domain/mod.ts";
import { writeArchiveSlice } from "../archive/archive_file.ts";
import { addArchivedSlice, listArchivedSlices } from "../archive/catalog.ts";
import { StorageError } from "../storage_error.ts";
import { storeSuite, type TestStore } from "../testing.ts";
import { listDayPartitions, partitionName } from "./partitions.ts";
import { compareTicks, dayStartNs, NS_PER_DAY, queryTicks, type Tick, TICK_LINE } from "./tick.ts";
import { batchInsert, insertTick } from "./tick_writer.ts";

const DAY = "2026-11-20";
const START = dayStartNs(DAY);
const SYMBOLS = ["BTCUSD", "ETHUSD", "SOLUSD"] as const;
const SIDES = ["A", "B", "N"] as const;

/** Tick number `i`: a distinct row, 1 ms apart from its neighbours, on `DAY`. */
function tick(i: number, overrides: Partial<Tick> = {}): Tick {
  return {
    tsEvent: START + BigInt(i) * 1_000_000n,
    tsRecv: START + BigInt(i) * 1_000_000n + 25_000n,
    instrumentId: 1000 + (i % 3),
    symbol: SYMBOLS[i % 3]!,
    exchange: i % 2 === 0 ? "BINANCE" : "KRAKEN",
    price: 42_150_250_000_000n + BigInt(i) * 10_000_000n,
    size: 1 + i,
    quantity: `${i}.${(i % 9) + 1}0`,
    side: SIDES[i % 3]!,
    tradeId: `T${i}`,
    flags: (i * 7) % 256,
    sequence: i,
    ...overrides,
  };
}

function ticks(from: number, count: number): Tick[] {
  return Array.from({ length: count }, (_, k) => tick(from + k));
}

async function storedTicks(store: TestStore): Promise<Tick[]> {
  const ticks = await queryTicks(
    store,
    `SELECT ${TICK_LINE} AS line FROM tick_data ORDER BY ts_event, exchange, trade_id`,
  );
  return ticks;
}

async function rowCount(store: TestStore): Promise<number> {
  const { rows } = await store.query<{ n: bigint }>("SELECT count(*)::int8 AS n FROM tick_data");
  return Number(rows[0]!.n);
}

/** The same store under a new identity: fresh per-store writer state (adaptive path, cache). */
function fresh(store: TestStore): TestStore {
  return { ...store };
}

storeSuite("tick_writer", {
  async "batchInsert() writes every valid tick and reads back the exact rows"(store) {
    const batch = ticks(0, 250).reverse();
    const result = await batchInsert(fresh(store), batch);
    assert.deepEqual(result, { inserted: 250, duplicates: 0, rejected: [], path: "copy" });
    assert.deepEqual(await storedTicks(store), batch.toSorted(compareTicks));
  },

  async "batchInsert() counts rows already stored as duplicates and writes only the new ones"(
    store,
  ) {
    const s = fresh(store);
    await batchInsert(s, ticks(0, 10));
    const again = [...ticks(5, 10), ...ticks(0, 3)]; // 5..14 and 0..2: 8 stored, 5 new
    const result = await batchInsert(s, again);
    assert.deepEqual(result, { inserted: 5, duplicates: 8, rejected: [], path: "staged" });
    assert.deepEqual(await storedTicks(store), ticks(0, 15));
  },

  async "batchInsert() writes a tick given twice in one batch once and counts the other"(store) {
    const batch = [...ticks(0, 4), tick(1), tick(3), tick(3)];
    const result = await batchInsert(fresh(store), batch);
    assert.deepEqual(result, { inserted: 4, duplicates: 3, rejected: [], path: "staged" });
    assert.deepEqual(await storedTicks(store), ticks(0, 4));
  },

  async "batchInsert() rejects invalid ticks with a one-line reason and writes the valid ones"(
    store,
  ) {
    const batch = [
      tick(0),
      tick(1, { symbol: "btc usd" }),
      tick(2),
      tick(3, { size: -1 }),
      tick(4, { side: "X" as Tick["side"] }),
      tick(5, { tradeId: "has space" }),
      tick(6, { quantity: "1e5" }),
      tick(7),
    ];
    const result = await batchInsert(fresh(store), batch);
    assert.equal(result.inserted, 3);
    assert.equal(result.duplicates, 0);
    assert.equal(result.path, "copy");
    assert.deepEqual(result.rejected.map((r) => r.index), [1, 3, 4, 5, 6]);
    const reasons = result.rejected.map((r) => r.reason);
    assert.match(reasons[0]!, /invalid symbol "btc usd"/);
    assert.match(reasons[1]!, /trade T3: size is not a u32/);
    assert.match(reasons[2]!, /trade T4: side is not A, B or N/);
    assert.match(reasons[3]!, /trade has space: trade_id is not 1-64 printable ASCII/);
    assert.match(reasons[4]!, /trade T6: quantity is not a plain non-negative decimal/);
    for (const reason of reasons) assert.doesNotMatch(reason, /\n/);
    assert.deepEqual(await storedTicks(store), [tick(0), tick(2), tick(7)]);
  },

  async "batchInsert() of nothing valid writes nothing and says so"(store) {
    const result = await batchInsert(fresh(store), [tick(0, { price: 1n << 63n })]);
    assert.equal(result.path, "empty");
    assert.equal(result.inserted, 0);
    assert.deepEqual(result.rejected.map((r) => r.index), [0]);
    assert.deepEqual(await batchInsert(store, []), {
      inserted: 0,
      duplicates: 0,
      rejected: [],
      path: "empty",
    });
    assert.equal(await rowCount(store), 0);
  },

  async "a batch spanning 3 UTC days creates 3 day partitions holding their rows"(store) {
    const days = ["2026-11-20", "2026-11-21", "2026-11-22"];
    const batch = ticks(0, 30).map((t, i) => ({
      ...t,
      tsEvent: t.tsEvent + BigInt(i % 3) * NS_PER_DAY,
    }));
    const result = await batchInsert(fresh(store), batch);
    assert.equal(result.inserted, 30);
    const partitions = await listDayPartitions(store);
    assert.deepEqual(partitions.map((p) => p.day), days);
    for (const day of days) {
      const { rows } = await store.query<{ n: bigint }>(
        `SELECT count(*)::int8 AS n FROM ${partitionName(day)}`,
      );
      assert.equal(rows[0]!.n, 10n, day);
    }
    assert.deepEqual(await storedTicks(store), batch.toSorted(compareTicks));
  },

  async "after a batch with duplicates the next 8 batches go staged, then COPY is tried again"(
    store,
  ) {
    const s = fresh(store);
    assert.equal((await batchInsert(s, ticks(0, 10))).path, "copy");
    assert.equal((await batchInsert(s, ticks(5, 10))).path, "staged"); // 5 duplicates
    const paths: string[] = [];
    for (let k = 0; k < 9; k++) {
      const result = await batchInsert(s, ticks(100 + k * 10, 10));
      assert.equal(result.inserted, 10);
      assert.equal(result.duplicates, 0);
      paths.push(result.path);
    }
    assert.deepEqual(paths, [...Array(8).fill("staged"), "copy"]);
    assert.equal(await rowCount(store), 15 + 90);
    // Another store object has its own history: straight to COPY.
    assert.equal((await batchInsert(fresh(store), ticks(500, 10))).path, "copy");
  },

  async "insertTick() returns true for a new row and false for a duplicate"(store) {
    assert.equal(await insertTick(store, tick(7)), true);
    assert.equal(await insertTick(store, tick(7)), false);
    assert.equal(await insertTick(store, tick(7, { price: 1n })), false); // same key
    assert.equal(await insertTick(store, tick(8)), true);
    assert.deepEqual(await storedTicks(store), [tick(7), tick(8)]);
    await assert.rejects(insertTick(store, tick(9, { exchange: "binance" })), DataError);
    assert.equal(await rowCount(store), 2);
  },

  async "writers recreate a day partition that was dropped under their cache"(store) {
    const s = fresh(store);
    assert.equal((await batchInsert(s, ticks(0, 5))).inserted, 5);
    assert.equal(await insertTick(s, tick(5)), true);
    // What `db compress` does to an old day, behind this store's partition cache.
    await store.exec(`DROP TABLE ${partitionName(DAY)}`);
    assert.equal((await batchInsert(s, ticks(10, 5))).inserted, 5);
    await store.exec(`DROP TABLE ${partitionName(DAY)}`);
    assert.equal(await insertTick(s, tick(20)), true);
    assert.deepEqual(await storedTicks(store), [tick(20)]);
  },

  async "writers refuse to write into an archived slice without an archive root"(store) {
    await addArchivedSlice(store, {
      symbol: "BTCUSD",
      exchange: "BINANCE",
      day: DAY,
      path: "2026/11/20/BINANCE/BTCUSD.trades.dbn.zst",
      rowCount: 1,
      firstTs: START,
      lastTs: START,
      checksum: "0".repeat(64),
    });
    // tick(0) is BTCUSD@BINANCE; tick(1) is ETHUSD@KRAKEN.
    await assert.rejects(
      batchInsert(fresh(store), ticks(0, 2)),
      (error) =>
        error instanceof StorageError && error.code === "archive" &&
        /archived slice BTCUSD@BINANCE 2026-11-20/.test(error.message),
    );
    await assert.rejects(insertTick(store, tick(0)), (e) => (e as StorageError).code === "archive");
    assert.equal(await insertTick(store, tick(1)), true);
    assert.equal((await batchInsert(store, [tick(7)])).inserted, 1); // ETHUSD@KRAKEN
    assert.deepEqual(await storedTicks(store), [tick(1), tick(7)]);
  },

  async "writers restore an archived slice they write into, in the same transaction"(store) {
    const root = await Deno.makeTempDir({ prefix: "tick_writer_test_" });
    try {
      // tick(i) is BTCUSD@BINANCE when i % 6 === 0.
      const nextDay = (t: Tick) => ({ ...t, tsEvent: t.tsEvent + NS_PER_DAY });
      const { bytes: _, ...first } = await writeArchiveSlice(root, [tick(0), tick(6), tick(12)]);
      const { bytes: __, ...second } = await writeArchiveSlice(
        root,
        [24, 30].map((i) => nextDay(tick(i))),
      );
      await addArchivedSlice(store, first);
      await addArchivedSlice(store, second);
      const result = await batchInsert(fresh(store), [tick(6), tick(18), tick(1)], {
        archiveRoot: root,
      });
      assert.deepEqual(result, { inserted: 2, duplicates: 1, rejected: [], path: "staged" });
      assert.deepEqual(await storedTicks(store), [0, 1, 6, 12, 18].map((i) => tick(i)));
      assert.deepEqual((await listArchivedSlices(store)).map((s) => s.day), ["2026-11-21"]);
      assert.equal(await insertTick(store, nextDay(tick(24)), { archiveRoot: root }), false);
      assert.equal(await insertTick(store, nextDay(tick(36)), { archiveRoot: root }), true);
      assert.deepEqual(await listArchivedSlices(store), []);
      assert.equal(await rowCount(store), 5 + 3);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },

  async "a connection killed mid-batch gives a retryable error and writes nothing (postgres)"(
    store,
  ) {
    if (store.kind !== "postgres") return; // PGlite runs in-process: no connection to lose
    const batch = ticks(0, 400_000);
    const killer = postgres(store.url!, { max: 1, onnotice: () => {} });
    try {
      let settled = false;
      const outcome = batchInsert(store, batch).then(
        (result) => result,
        (error: unknown) => error,
      ).finally(() => settled = true);
      let killed = 0;
      while (!settled && killed === 0) {
        const rows = await killer`
          SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND query LIKE 'COPY "tick_data"%' AND state = 'active'`;
        killed = rows.length;
      }
      const error = await outcome;
      assert.equal(killed, 1, "the batch finished before its COPY could be found");
      assert.ok(error instanceof StorageError, `expected a StorageError, got ${error}`);
      assert.equal(error.code, "connection_lost");
      assert.equal(error.retryable, true);
      assert.doesNotMatch(error.message, /\n/);
      assert.equal(await rowCount(store), 0);
      // The store reconnects: a retry writes the whole batch.
      const retry = await batchInsert(store, batch.slice(0, 1000));
      assert.equal(retry.inserted, 1000);
    } finally {
      await killer.end();
    }
  },
});
