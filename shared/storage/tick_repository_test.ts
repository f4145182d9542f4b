import assert from "node:assert/strict";
import { TickRepository } from "./tick_repository.ts";
import { storeSuite } from "./testing.ts";
import { dayStartNs, NS_PER_DAY, type Tick } from "./ticks/tick.ts";

const DAY = dayStartNs("2026-09-01");

function tick(day: number, second: number, price: bigint, tradeId: string): Tick {
  const ts = DAY + BigInt(day) * NS_PER_DAY + BigInt(second) * 1_000_000_000n;
  return {
    tsEvent: ts,
    tsRecv: ts,
    instrumentId: 7,
    symbol: "SOLUSD",
    exchange: "KRAKEN",
    price,
    size: 15,
    quantity: "1.5",
    side: "A",
    tradeId,
    flags: 0,
    sequence: 0,
  };
}

storeSuite("TickRepository", {
  "one handle writes, reads, aggregates and archives with the archive root built in": async (
    store,
  ) => {
    const dataDir = await Deno.makeTempDir({ prefix: "repo_" });
    try {
      const repo = TickRepository.forConfig(store, { data_dir: dataDir });
      assert.ok(repo.archiveRoot.startsWith(dataDir));
      const ticks = [
        tick(0, 10, 150_000_000_000n, "a"),
        tick(0, 70, 151_000_000_000n, "b"),
        tick(2, 5, 149_000_000_000n, "c"),
      ];
      assert.deepEqual(await repo.batchInsert(ticks), {
        inserted: 3,
        duplicates: 0,
        rejected: [],
        path: "copy",
      });
      assert.equal(await repo.insertTick(ticks[0]!), false);
      const now = new Date(Number((DAY + 3n * NS_PER_DAY) / 1_000_000n));
      const report = await repo.compress(1, { now });
      assert.deepEqual(report.days.map((d) => d.day), ["2026-09-01"]);
      assert.deepEqual(await repo.getTicks({ symbol: "SOLUSD" }), ticks);
      assert.deepEqual(await repo.getLatestPrice("SOLUSD"), {
        price: 149_000_000_000n,
        tsEvent: ticks[2]!.tsEvent,
        exchange: "KRAKEN",
      });
      const bars = await repo.getOhlc({
        symbol: "SOLUSD",
        timeframe: "1d",
        start: DAY,
        end: DAY + 3n * NS_PER_DAY,
      });
      assert.deepEqual(bars.map((b) => [b.open, b.close, b.volume, b.synthetic]), [
        [150_000_000_000n, 151_000_000_000n, "3", false],
        [151_000_000_000n, 151_000_000_000n, "0", true],
        [149_000_000_000n, 149_000_000_000n, "1.5", false],
      ]);
      const streamed: Tick[] = [];
      for await (
        const batch of repo.getHistoricalDataForBacktest({
          symbol: "SOLUSD",
          start: DAY,
          end: DAY + 3n * NS_PER_DAY,
        })
      ) streamed.push(...batch);
      assert.deepEqual(streamed, ticks);
      const [info] = await repo.getDataInfo("SOLUSD");
      assert.equal(info?.count, 3);
      assert.equal(info?.archivedCount, 2);
      const stats = await repo.stats();
      assert.equal(stats.archives.length, 1);
      assert.ok(stats.archives[0]!.bytes > 0);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
