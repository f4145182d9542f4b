import assert from "node:assert/strict";
import { join } from "node:path";
import { StorageError } from "../storage_error.ts";
import { storeSuite, type TestStore } from "../testing.ts";
import { ensureDayPartitions, listDayPartitions } from "../ticks/partitions.ts";
import { digest, insertRaw, makeTicks, withTempRoot } from "./_testing.ts";
import { readArchivedSlice } from "./archive_file.ts";
import { listArchivedSlices, sidecarPath } from "./catalog.ts";
import { compressDays } from "./compress.ts";

/** 2026-03-10, late: with olderThanDays 4 the days up to 2026-03-05 are archived. */
const NOW = new Date("2026-03-10T23:59:59Z");
const GROUPS = [
  { symbol: "BTCUSD", exchange: "BINANCE" },
  { symbol: "BTCUSD", exchange: "KRAKEN" },
  { symbol: "ETHUSD", exchange: "BINANCE" },
];
const FULL_DAYS = ["2026-03-01", "2026-03-02", "2026-03-05", "2026-03-06", "2026-03-10"];
const EMPTY_DAY = "2026-03-03";

/** Ticks of every group on every full day (sizes vary by day and group), plus an empty day. */
async function seed(store: TestStore): Promise<void> {
  for (const [d, day] of FULL_DAYS.entries()) {
    for (const [g, group] of GROUPS.entries()) {
      await insertRaw(store, makeTicks({ ...group, day, count: 20 + 7 * d + 3 * g, seed: g }));
    }
  }
  await ensureDayPartitions(store, [EMPTY_DAY], store);
}

async function partitionDays(store: TestStore): Promise<string[]> {
  return (await listDayPartitions(store)).map((p) => p.day);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string, prefix: string) => {
    for await (const entry of Deno.readDir(at)) {
      if (entry.isDirectory) await walk(join(at, entry.name), `${prefix}${entry.name}/`);
      else out.push(`${prefix}${entry.name}`);
    }
  };
  await walk(dir, "");
  return out.sort();
}

storeSuite("compressDays()", {
  "moves old days into archives; count and checksum of all ticks are unchanged": async (store) => {
    await withTempRoot(async (root) => {
      await seed(store);
      const before = await digest(store, root);
      assert.equal(before.count, 555); // sum of 20 + 7d + 3g over 5 days and 3 groups
      const report = await compressDays(store, { root, olderThanDays: 4, now: NOW });
      assert.deepEqual(
        report.days.map(({ day, slices, rows }) => ({ day, slices, rows })),
        [
          { day: "2026-03-01", slices: 3, rows: 20 + 23 + 26 },
          { day: "2026-03-02", slices: 3, rows: 27 + 30 + 33 },
          { day: EMPTY_DAY, slices: 0, rows: 0 },
          { day: "2026-03-05", slices: 3, rows: 34 + 37 + 40 },
        ],
      );
      assert.equal(report.rows, 69 + 90 + 111);
      assert.equal(report.dryRun, false);
      assert.deepEqual(await partitionDays(store), ["2026-03-06", "2026-03-10"]);
      assert.deepEqual(await digest(store, root), before);

      const slices = await listArchivedSlices(store);
      assert.equal(slices.length, 9);
      let onDisk = 0;
      for (const slice of slices) {
        const ticks = await readArchivedSlice(root, slice);
        assert.equal(ticks.length, slice.rowCount);
        assert.ok(ticks.every((t) => t.symbol === slice.symbol && t.exchange === slice.exchange));
        const path = join(root, slice.path);
        onDisk += (await Deno.stat(path)).size + (await Deno.stat(sidecarPath(path))).size;
      }
      assert.equal(report.bytes, onDisk);
      assert.equal(report.days.reduce((sum, d) => sum + d.bytes, 0), onDisk);
      assert.equal((await filesUnder(root)).length, 18);
    });
  },

  "a dry run reports the same days and changes nothing": async (store) => {
    await withTempRoot(async (root) => {
      await seed(store);
      const before = await digest(store, root);
      const plan = await compressDays(store, { root, olderThanDays: 4, now: NOW, dryRun: true });
      assert.equal(plan.dryRun, true);
      assert.equal(plan.bytes, 0);
      assert.deepEqual(
        await partitionDays(store),
        [...FULL_DAYS.slice(0, 2), EMPTY_DAY, ...FULL_DAYS.slice(2)].sort(),
      );
      assert.deepEqual(await listArchivedSlices(store), []);
      assert.deepEqual(await filesUnder(root), []);
      assert.deepEqual(await digest(store, root), before);
      const done = await compressDays(store, { root, olderThanDays: 4, now: NOW });
      assert.deepEqual(
        plan.days.map(({ day, slices, rows }) => ({ day, slices, rows })),
        done.days.map(({ day, slices, rows }) => ({ day, slices, rows })),
      );
    });
  },

  "a second run is a no-op": async (store) => {
    await withTempRoot(async (root) => {
      await seed(store);
      await compressDays(store, { root, olderThanDays: 4, now: NOW });
      const after = await digest(store, root);
      const files = await filesUnder(root);
      const again = await compressDays(store, { root, olderThanDays: 4, now: NOW });
      assert.deepEqual(again, { days: [], rows: 0, bytes: 0, dryRun: false });
      assert.deepEqual(await digest(store, root), after);
      assert.deepEqual(await filesUnder(root), files);
    });
  },

  "olderThanDays counts the whole UTC days between a day and today": async (store) => {
    await withTempRoot(async (root) => {
      await seed(store);
      const run = (olderThanDays: number, now: string) =>
        compressDays(store, { root, olderThanDays, now: new Date(now), dryRun: true });
      const days = async (olderThanDays: number, now: string) =>
        (await run(olderThanDays, now)).days.map((d) => d.day);
      const all = [...FULL_DAYS.slice(0, 2), EMPTY_DAY, ...FULL_DAYS.slice(2)];
      assert.deepEqual(await days(4, "2026-03-10T00:00:00Z"), all.slice(0, 4));
      assert.deepEqual(await days(4, "2026-03-10T23:59:59.999Z"), all.slice(0, 4));
      assert.deepEqual(await days(3, "2026-03-10T00:00:00Z"), all.slice(0, 5));
      assert.deepEqual(await days(4, "2026-03-09T23:59:59.999Z"), all.slice(0, 3));
      assert.deepEqual(await days(0, "2026-03-10T23:59:59.999Z"), all.slice(0, 5));
      assert.deepEqual(await days(0, "2026-03-11T00:00:00Z"), all);
      assert.deepEqual(await days(30, "2026-03-10T00:00:00Z"), []);
      await assert.rejects(run(-1, "2026-03-10T00:00:00Z"), RangeError);
      await assert.rejects(run(1.5, "2026-03-10T00:00:00Z"), RangeError);
    });
  },

  "a failure mid-day rolls back: partition kept, nothing catalogued, its files removed": async (
    store,
  ) => {
    await withTempRoot(async (root) => {
      await seed(store);
      const before = await digest(store, root);
      // A file where the KRAKEN folder of 2026-03-01 must go: its slice (the 2nd) cannot be written.
      await Deno.mkdir(join(root, "2026/03/01"), { recursive: true });
      await Deno.writeFile(join(root, "2026/03/01/KRAKEN"), new Uint8Array());
      await assert.rejects(compressDays(store, { root, olderThanDays: 4, now: NOW }));
      assert.deepEqual(await listArchivedSlices(store), []);
      assert.ok((await partitionDays(store)).includes("2026-03-01"));
      assert.deepEqual(await filesUnder(root), ["2026/03/01/KRAKEN"]);
      assert.deepEqual(await digest(store, root), before);
      // Once the obstacle is gone the same run succeeds.
      await Deno.remove(join(root, "2026/03/01/KRAKEN"));
      await compressDays(store, { root, olderThanDays: 4, now: NOW });
      assert.deepEqual(await digest(store, root), before);
    });
  },

  "a slice found both in tick_data and in the archive stops the day before any file is written":
    async (store) => {
      await withTempRoot(async (root) => {
        await seed(store);
        await compressDays(store, { root, olderThanDays: 4, now: NOW });
        const [slice] = await listArchivedSlices(store, { symbol: "BTCUSD", exchange: "BINANCE" });
        const archived = await readArchivedSlice(root, slice!);
        // Break the invariant on purpose: rows of an archived slice back in tick_data.
        await insertRaw(store, makeTicks({ day: slice!.day, count: 5, seed: 99 }));
        await assert.rejects(
          compressDays(store, { root, olderThanDays: 4, now: NOW }),
          (error: unknown) =>
            error instanceof StorageError && error.code === "archive" &&
            /BTCUSD@BINANCE is both in tick_data_p20260301 and in the archive/.test(error.message),
        );
        assert.deepEqual(await readArchivedSlice(root, slice!), archived);
        assert.ok((await partitionDays(store)).includes(slice!.day));
      });
    },
});
