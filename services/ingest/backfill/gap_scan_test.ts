// scanGaps() on stored ticks with holes, one day of them archived to .dbn.zst, on PGlite (and
// Postgres when DATABASE_URL is set).
import assert from "node:assert/strict";
import { type Tick, TickRepository } from "@shared/storage/mod.ts";
import { storeSuite } from "@shared/storage/testing.ts";
import { findGaps } from "./gaps.ts";
import { scanGaps } from "./gap_scan.ts";
import { isOpen } from "./sessions.ts";

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const MIN = 60_000_000_000n;
const START = ns("2025-03-10T00:00Z"); // Monday, CDT
const END = ns("2025-03-12T00:00Z");
const HOLE_A = { from: ns("2025-03-10T10:00Z"), to: ns("2025-03-10T10:30Z") }; // archived day
const HOLE_B = { from: ns("2025-03-11T15:00Z"), to: ns("2025-03-11T16:00Z") };

function tickAt(tsEvent: bigint, symbol = "ESH5"): Tick {
  return {
    tsEvent,
    tsRecv: tsEvent,
    instrumentId: 5002,
    symbol,
    exchange: "CME",
    price: 5_000_250_000_000n,
    size: 1,
    quantity: "1",
    side: "B",
    tradeId: `t${tsEvent}`,
    flags: 0,
    sequence: 0,
  };
}

/** One ESH5 trade a minute while Globex is open, none in the two holes. */
function sessionTimes(): bigint[] {
  const out: bigint[] = [];
  for (let ts = START; ts < END; ts += MIN) {
    if (!isOpen("futures", ts)) continue;
    if (ts >= HOLE_A.from && ts < HOLE_A.to) continue;
    if (ts >= HOLE_B.from && ts < HOLE_B.to) continue;
    out.push(ts);
  }
  return out;
}

async function seed(repo: TickRepository, times: bigint[]): Promise<void> {
  const ticks = times.map((ts) => tickAt(ts));
  // Another symbol trading inside ESH5's holes must not hide them.
  ticks.push(tickAt(HOLE_A.from + MIN, "NQH5"), tickAt(HOLE_B.from + MIN, "NQH5"));
  for (let i = 0; i < ticks.length; i += 1000) {
    await repo.batchInsert(ticks.slice(i, i + 1000));
  }
}

async function withRepo(
  store: Parameters<typeof seed>[0]["store"],
  fn: (r: TickRepository) => Promise<void>,
) {
  const root = await Deno.makeTempDir({ prefix: "gap_scan_" });
  try {
    await fn(new TickRepository(store, root));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

storeSuite("scanGaps()", {
  "finds exactly the holes inside sessions, archived day included": (store) =>
    withRepo(store, async (repo) => {
      const times = sessionTimes();
      await seed(repo, times);
      const report = await repo.compress(0, { now: new Date("2025-03-11T12:00Z") });
      assert.deepEqual(report.days.map((d) => d.day), ["2025-03-10"]);

      const options = {
        symbol: "ESH5",
        exchange: "CME",
        startNs: START,
        endNs: times[times.length - 1]! + 1n,
        maxGapNs: 5n * MIN,
        assetType: "futures",
        sessions: true,
        batchSize: 500,
      };
      const gaps = await scanGaps(repo, options);
      assert.deepEqual(gaps.map((g) => [g.startNs, g.endNs]), [
        [HOLE_A.from - MIN + 1n, HOLE_A.to],
        [HOLE_B.from - MIN + 1n, HOLE_B.to],
      ]);
      assert.equal(gaps[1]!.seconds, 3600 + 60 - 1e-9);
    }),

  "without sessions the daily halt counts too, as findGaps over the same times says": (store) =>
    withRepo(store, async (repo) => {
      const times = sessionTimes();
      await seed(repo, times);
      await repo.compress(0, { now: new Date("2025-03-11T12:00Z") });
      const options = {
        startNs: START,
        endNs: END,
        maxGapNs: 5n * MIN,
      };
      const gaps = await scanGaps(repo, {
        ...options,
        symbol: "ESH5",
        exchange: "CME",
        assetType: "futures",
        sessions: false,
      });
      assert.deepEqual(gaps, findGaps(times, options));
      // The two holes and the two 16:00-17:00 CDT halts (20:59Z -> 22:00Z)
      assert.equal(gaps.length, 4);
      assert.equal(gaps[1]!.endNs, ns("2025-03-10T22:00Z"));
    }),

  "gaps are in receive time (what get_range filters on), kept non-decreasing": (store) =>
    withRepo(store, async (repo) => {
      const SEC = 1_000_000_000n;
      // Received 5 s after the event; the third arrives before the second (out of order).
      const recv = [START + 5n * SEC, START + 65n * SEC, START + 64n * SEC, START + 605n * SEC];
      const events = [START, START + 60n * SEC, START + 61n * SEC, START + 600n * SEC];
      await repo.batchInsert(events.map((ts, i) => ({ ...tickAt(ts), tsRecv: recv[i]! })));
      const gaps = await scanGaps(repo, {
        symbol: "ESH5",
        exchange: "CME",
        startNs: START,
        endNs: START + 700n * SEC,
        maxGapNs: 5n * MIN,
        assetType: "crypto",
        sessions: false,
      });
      assert.deepEqual(gaps.map((g) => [g.startNs, g.endNs]), [
        [START + 65n * SEC + 1n, START + 605n * SEC],
      ]);
    }),

  "an unknown symbol is one gap over the whole range, an empty range none": (store) =>
    withRepo(store, async (repo) => {
      const base = {
        symbol: "CLJ5",
        exchange: "CME",
        maxGapNs: MIN,
        assetType: "crypto",
        sessions: true,
      };
      assert.deepEqual(
        (await scanGaps(repo, { ...base, startNs: START, endNs: END })).map((g) => g.endNs),
        [END],
      );
      assert.deepEqual(await scanGaps(repo, { ...base, startNs: END, endNs: START }), []);
    }),

  "pages of equal times end and yield the same gaps as the whole list": (store) =>
    withRepo(store, async (repo) => {
      const times = [START, START, START, START, START + 10n * MIN, START + 10n * MIN];
      await repo.batchInsert(times.map((ts, i) => ({ ...tickAt(ts), tradeId: `dup${i}` })));
      const options = { startNs: START, endNs: START + 20n * MIN, maxGapNs: MIN };
      const gaps = await scanGaps(repo, {
        ...options,
        symbol: "ESH5",
        exchange: "CME",
        assetType: "crypto",
        sessions: true,
        batchSize: 2,
      });
      assert.deepEqual(gaps, findGaps(times, options));
      assert.equal(gaps.length, 2);
    }),
});
