import assert from "node:assert/strict";
import { join } from "node:path";
import { storeSuite } from "../testing.ts";
import { ensureDayPartitions } from "../ticks/partitions.ts";
import { insertRaw, makeTicks, withTempRoot } from "./_testing.ts";
import { listArchivedSlices, sidecarPath } from "./catalog.ts";
import { compressDays } from "./compress.ts";
import { storageStats } from "./stats.ts";

storeSuite("storageStats()", {
  "lists tables, day partitions with exact row counts, and archived slices with file sizes": async (
    store,
  ) => {
    await withTempRoot(async (root) => {
      await insertRaw(store, makeTicks({ day: "2026-03-01", count: 30 }));
      await insertRaw(store, makeTicks({ symbol: "ETHUSD", day: "2026-03-01", count: 12 }));
      await insertRaw(store, makeTicks({ day: "2026-03-08", count: 17 }));
      await insertRaw(store, makeTicks({ day: "2026-03-09", count: 1_234 }));
      await ensureDayPartitions(store, ["2026-03-10"], store);
      await compressDays(store, { root, olderThanDays: 5, now: new Date("2026-03-10T08:00:00Z") });

      const stats = await storageStats(store, { root });
      assert.deepEqual(stats.tables.map((t) => t.name), [
        "instruments",
        "symbols",
        "tick_data",
        "tick_archives",
        "live_strategy_log",
        "backfill_jobs",
      ]);
      assert.ok(stats.tables.every((t) => Number.isSafeInteger(t.bytes) && t.bytes >= 0));
      assert.ok(stats.tables.find((t) => t.name === "tick_archives")!.bytes > 0);
      assert.deepEqual(
        stats.partitions.map(({ name, day, rows }) => ({ name, day, rows })),
        [
          { name: "tick_data_p20260308", day: "2026-03-08", rows: 17 },
          { name: "tick_data_p20260309", day: "2026-03-09", rows: 1_234 },
          { name: "tick_data_p20260310", day: "2026-03-10", rows: 0 },
        ],
      );
      assert.ok(stats.partitions.every((p) => p.bytes > 0));
      assert.equal(
        stats.tables.find((t) => t.name === "tick_data")!.bytes,
        stats.partitions.reduce((sum, p) => sum + p.bytes, 0),
      );
      const slices = await listArchivedSlices(store);
      const sizes = await Promise.all(slices.map(async (slice) => {
        const path = join(root, slice.path);
        return (await Deno.stat(path)).size + (await Deno.stat(sidecarPath(path))).size;
      }));
      assert.deepEqual(stats.archives, [
        { day: "2026-03-01", symbol: "BTCUSD", exchange: "BINANCE", rows: 30, bytes: sizes[0] },
        { day: "2026-03-01", symbol: "ETHUSD", exchange: "BINANCE", rows: 12, bytes: sizes[1] },
      ]);

      // Missing files count as 0 bytes; the catalogue still lists the slice.
      const path = join(root, slices[0]!.path);
      const sidecarBytes = (await Deno.stat(sidecarPath(path))).size;
      await Deno.remove(path);
      assert.equal((await storageStats(store, { root })).archives[0]!.bytes, sidecarBytes);
      await Deno.remove(sidecarPath(path));
      assert.equal((await storageStats(store, { root })).archives[0]!.bytes, 0);
    });
  },

  "an empty store has tables, no partitions and no archives": async (store) => {
    await withTempRoot(async (root) => {
      const stats = await storageStats(store, { root });
      assert.equal(stats.tables.length, 6);
      assert.deepEqual(stats.partitions, []);
      assert.deepEqual(stats.archives, []);
      assert.equal(stats.tables.find((t) => t.name === "tick_data")!.bytes, 0);
    });
  },
});
