/**
 * End to end across the storage modules: ticks written with batchInsert, read with the readers,
 * compressed into archives and written again: no tick is ever lost or duplicated.
 */
import assert from "node:assert/strict";
import { compressDays } from "./archive/compress.ts";
import { listArchivedSlices } from "./archive/catalog.ts";
import { getDataInfo } from "./ticks/data_info.ts";
import { getOhlc } from "./ticks/ohlc.ts";
import { listDayPartitions } from "./ticks/partitions.ts";
import { checksumTicks, dayStartNs, NS_PER_DAY, type Tick } from "./ticks/tick.ts";
import { getTicks, streamTicks } from "./ticks/tick_reader.ts";
import { StorageError } from "./storage_error.ts";
import { batchInsert } from "./ticks/tick_writer.ts";
import { storeSuite, type TestStore } from "./testing.ts";

const FIRST_DAY = "2026-10-01";
const DAYS = 6;
const SYMBOLS = [["BTCUSD", "BINANCE"], ["BTCUSD", "KRAKEN"], ["ETHUSD", "KRAKEN"]] as const;

/** A deterministic spread of ticks: every symbol, every day, several per hour. */
function fixtureTicks(): Tick[] {
  const ticks: Tick[] = [];
  let seed = 12345;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  const start = dayStartNs(FIRST_DAY);
  for (let day = 0; day < DAYS; day++) {
    for (const [s, [symbol, exchange]] of SYMBOLS.entries()) {
      for (let i = 0; i < 40; i++) {
        const ts = start + BigInt(day) * NS_PER_DAY + BigInt(next() % 86_400) * 1_000_000_000n;
        const units = next() % 100_000;
        ticks.push({
          tsEvent: ts,
          tsRecv: ts + 1_000n,
          instrumentId: 1000 + s,
          symbol,
          exchange,
          price: 60_000_000_000_000n + BigInt(next() % 1_000_000) * 1_000_000n,
          size: units,
          quantity: `${Math.floor(units / 10_000)}.${String(units % 10_000).padStart(4, "0")}`,
          side: next() % 2 === 0 ? "B" : "A",
          tradeId: `${exchange[0]}${day}-${i}-${next()}`,
          flags: 128,
          sequence: i,
        });
      }
    }
  }
  return ticks;
}

async function everything(store: TestStore, root: string) {
  const all: Tick[] = [];
  for (const symbol of ["BTCUSD", "ETHUSD"]) {
    all.push(...await getTicks(store, { symbol, order: "asc" }, { archiveRoot: root }));
  }
  return { count: all.length, checksum: checksumTicks(all) };
}

storeSuite("compress keeps every tick", {
  "counts, checksums, OHLC and data info are identical before and after compress": async (
    store,
  ) => {
    const root = await Deno.makeTempDir({ prefix: "archive_" });
    try {
      const ticks = fixtureTicks();
      const result = await batchInsert(store, ticks, { archiveRoot: root });
      assert.equal(result.inserted, ticks.length);
      const before = await everything(store, root);
      assert.equal(before.count, ticks.length);
      const range = { start: dayStartNs(FIRST_DAY), end: dayStartNs(FIRST_DAY) + 7n * NS_PER_DAY };
      const barsBefore = await getOhlc(store, { symbol: "BTCUSD", timeframe: "1h", ...range }, {
        archiveRoot: root,
      });
      const infoBefore = await getDataInfo(store);

      // Today is day 6, so days 0..2 are at least 3 whole days old.
      const now = new Date(Number((dayStartNs(FIRST_DAY) + 6n * NS_PER_DAY) / 1_000_000n));
      const report = await compressDays(store, { root, olderThanDays: 3, now });
      assert.deepEqual(report.days.map((d) => d.day), ["2026-10-01", "2026-10-02", "2026-10-03"]);
      assert.equal(report.rows, 3 * SYMBOLS.length * 40);
      assert.deepEqual((await listDayPartitions(store)).map((p) => p.day), [
        "2026-10-04",
        "2026-10-05",
        "2026-10-06",
      ]);
      assert.equal((await listArchivedSlices(store)).length, 3 * SYMBOLS.length);

      assert.deepEqual(await everything(store, root), before);
      assert.deepEqual(
        await getOhlc(store, { symbol: "BTCUSD", timeframe: "1h", ...range }, {
          archiveRoot: root,
        }),
        barsBefore,
      );
      const infoAfter = await getDataInfo(store);
      assert.deepEqual(
        infoAfter.map(({ symbol, exchange, count, firstTs, lastTs }) => ({
          symbol,
          exchange,
          count,
          firstTs,
          lastTs,
        })),
        infoBefore.map(({ symbol, exchange, count, firstTs, lastTs }) => ({
          symbol,
          exchange,
          count,
          firstTs,
          lastTs,
        })),
      );

      // Writing into an archived day again: duplicates are still recognised, new ticks land.
      const again = await batchInsert(store, ticks.slice(0, 50), { archiveRoot: root });
      assert.equal(again.inserted, 0);
      assert.equal(again.duplicates, 50);
      assert.deepEqual(await everything(store, root), before);
      const fresh = { ...ticks[0]!, tradeId: "late-arrival" };
      assert.equal((await batchInsert(store, [fresh], { archiveRoot: root })).inserted, 1);
      assert.equal((await everything(store, root)).count, before.count + 1);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
  "a compress that commits under a running read is a retryable error, never a silent gap": async (
    store,
  ) => {
    const root = await Deno.makeTempDir({ prefix: "archive_" });
    try {
      const ticks = fixtureTicks().filter((t) => t.symbol === "ETHUSD");
      await batchInsert(store, ticks, { archiveRoot: root });
      const reader = streamTicks(store, { symbol: "ETHUSD" }, { archiveRoot: root, batchSize: 10 });
      const first = await reader.next();
      assert.equal(first.value?.length, 10);
      const now = new Date(Number((dayStartNs(FIRST_DAY) + 6n * NS_PER_DAY) / 1_000_000n));
      await compressDays(store, { root, olderThanDays: 3, now });
      await assert.rejects(async () => {
        for (let next = await reader.next(); !next.done; next = await reader.next()) { /* drain */ }
      }, (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "conflict");
        assert.equal(error.retryable, true);
        assert.match(error.message, /ETHUSD on 2026-10-0\d were archived while being read/);
        return true;
      });
      // Read again: everything is there.
      assert.equal(
        (await getTicks(store, { symbol: "ETHUSD" }, { archiveRoot: root })).length,
        ticks.length,
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
