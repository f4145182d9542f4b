import assert from "node:assert/strict";
import { join } from "node:path";
import { StorageError } from "../storage_error.ts";
import { storeSuite, type TestStore } from "../testing.ts";
import { listDayPartitions } from "../ticks/partitions.ts";
import { queryTicks, TICK_LINE } from "../ticks/tick.ts";
import { digest, insertRaw, makeTicks, withTempRoot } from "./_testing.ts";
import { listArchivedSlices, sidecarPath } from "./catalog.ts";
import { compressDays } from "./compress.ts";
import { restoreArchivedSlices } from "./restore.ts";

const NOW = new Date("2026-03-10T12:00:00Z");
const KEY = { symbol: "BTCUSD", exchange: "BINANCE", day: "2026-03-01" };

/** Two archived days of two symbols, and one day still in tick_data. */
async function seedArchived(store: TestStore, root: string): Promise<void> {
  for (const day of ["2026-03-01", "2026-03-02", "2026-03-09"]) {
    await insertRaw(store, makeTicks({ day, count: 40 }));
    await insertRaw(store, makeTicks({ symbol: "ETHUSD", day, count: 25, seed: 3 }));
  }
  await compressDays(store, { root, olderThanDays: 3, now: NOW });
}

async function tickDataRows(store: TestStore, symbol: string, day: string) {
  const ticks = await queryTicks(
    store,
    `SELECT ${TICK_LINE} AS line FROM tick_data WHERE symbol = $1
      AND ts_event >= $2 AND ts_event < $2 + 86400000000000 ORDER BY ts_event, trade_id COLLATE "C"`,
    [symbol, BigInt(Date.parse(`${day}T00:00:00Z`)) * 1_000_000n],
  );
  return ticks;
}

storeSuite("restoreArchivedSlices()", {
  "brings a slice back into tick_data and out of the catalogue; all ticks unchanged": async (
    store,
  ) => {
    await withTempRoot(async (root) => {
      await seedArchived(store, root);
      const before = await digest(store, root);
      assert.equal(before.count, 3 * 65);
      const [slice] = await listArchivedSlices(store, {
        symbol: "BTCUSD",
        fromDay: KEY.day,
        toDay: KEY.day,
      });
      const restored = await store.transaction((tx) =>
        restoreArchivedSlices(
          tx,
          root,
          [KEY, { ...KEY }, { symbol: "XRPUSD", exchange: "BINANCE", day: KEY.day }, {
            ...KEY,
            day: "2026-03-09",
          }],
          store,
        )
      );
      assert.equal(restored, 40);
      assert.deepEqual(
        await tickDataRows(store, "BTCUSD", KEY.day),
        makeTicks({ day: KEY.day, count: 40 }),
      );
      const left = await listArchivedSlices(store);
      assert.equal(left.length, 3);
      assert.ok(!left.some((s) => s.symbol === KEY.symbol && s.day === KEY.day));
      assert.deepEqual(await digest(store, root), before);
      // The files stay: the catalogue, not the disk, says where a slice lives.
      await Deno.stat(join(root, slice!.path));
      await Deno.stat(sidecarPath(join(root, slice!.path)));
      // The day can be compressed again, and the same slice restored again.
      await compressDays(store, { root, olderThanDays: 3, now: NOW });
      assert.equal((await listArchivedSlices(store)).length, 4);
      assert.deepEqual(await digest(store, root), before);
    });
  },

  "a rolled-back restore leaves the slice archived, and a later restore still works": async (
    store,
  ) => {
    await withTempRoot(async (root) => {
      await seedArchived(store, root);
      const before = await digest(store, root);
      await assert.rejects(
        store.transaction(async (tx) => {
          assert.equal(await restoreArchivedSlices(tx, root, [KEY], store), 40);
          throw new Error("writer failed after the restore");
        }),
        /writer failed/,
      );
      assert.equal((await listArchivedSlices(store)).length, 4);
      assert.deepEqual(
        (await listDayPartitions(store)).map((p) => p.day),
        ["2026-03-09"],
      );
      assert.deepEqual(await digest(store, root), before);
      const restored = await store.transaction((tx) =>
        restoreArchivedSlices(tx, root, [KEY], store)
      );
      assert.equal(restored, 40);
      assert.deepEqual(await digest(store, root), before);
    });
  },

  "a corrupt archive fails the restore with StorageError archive and keeps the catalogue": async (
    store,
  ) => {
    await withTempRoot(async (root) => {
      await seedArchived(store, root);
      const [slice] = await listArchivedSlices(store, { symbol: "ETHUSD", fromDay: "2026-03-02" });
      const path = sidecarPath(join(root, slice!.path));
      await Deno.writeFile(path, (await Deno.readFile(path)).subarray(0, 12));
      await assert.rejects(
        store.transaction((tx) =>
          restoreArchivedSlices(tx, root, [{
            symbol: "ETHUSD",
            exchange: "BINANCE",
            day: "2026-03-02",
          }], store)
        ),
        (error: unknown) =>
          error instanceof StorageError && error.code === "archive" && error.message.includes(path),
      );
      assert.equal((await listArchivedSlices(store)).length, 4);
      assert.deepEqual(await tickDataRows(store, "ETHUSD", "2026-03-02"), []);
    });
  },
});
