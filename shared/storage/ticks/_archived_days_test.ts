import assert from "node:assert/strict";
import type { ArchiveSlice } from "../archive/catalog.ts";
import { storeSuite, type TestStore } from "../testing.ts";
import { getDataInfo } from "./data_info.ts";
import { getOhlc, TIMEFRAMES } from "./ohlc.ts";
import { dayStartNs, NS_PER_DAY, type Tick } from "./tick.ts";
import { getLatestPrice, getTicks, streamTicks, type TickReadOptions } from "./tick_reader.ts";
import { planSegments } from "./_archived_days.ts";
import { archiveSlice, fixtureTicks, insertTicks, MONDAY, SEC } from "./_reader_fixtures.ts";

const D1 = "2026-01-06";
const D2 = "2026-01-07";
const D3 = "2026-01-08";
const slice = (day: string, exchange = "BINANCE"): ArchiveSlice => ({
  symbol: "BTCUSD",
  exchange,
  day,
  path: "",
  rowCount: 1,
  firstTs: dayStartNs(day) + 10n,
  lastTs: dayStartNs(day) + 20n,
  checksum: "",
});

Deno.test("planSegments() cuts a range around archived days, clipped to the range", () => {
  const d1 = dayStartNs(D1);
  const d3 = dayStartNs(D3);
  assert.deepEqual(planSegments(5n, 9n, []), [{ from: 5n, to: 9n, slices: [] }]);
  assert.deepEqual(planSegments(undefined, undefined, []), [
    { from: undefined, to: undefined, slices: [] },
  ]);
  const a = slice(D1);
  const b = slice(D1, "KRAKEN");
  const c = slice(D2);
  const e = slice(D3);
  assert.deepEqual(planSegments(undefined, undefined, [a, b, c, e]), [
    { from: undefined, to: d1, slices: [] },
    { from: d1, to: d1 + NS_PER_DAY, slices: [a, b] },
    { from: d1 + NS_PER_DAY, to: d1 + 2n * NS_PER_DAY, slices: [c] },
    { from: d3, to: d3 + NS_PER_DAY, slices: [e] },
    { from: d3 + NS_PER_DAY, to: undefined, slices: [] },
  ]);
  // Clipped at both ends; a slice whose ticks all lie outside the range is not read.
  assert.deepEqual(planSegments(d1 + 15n, d3 + 5n, [a, c, e]), [
    { from: d1 + 15n, to: d1 + NS_PER_DAY, slices: [a] },
    { from: d1 + NS_PER_DAY, to: d3, slices: [c] },
    { from: d3, to: d3 + 5n, slices: [] },
  ]);
});

/** Everything the readers return for the fixture, to compare before and after archiving. */
async function snapshot(store: TestStore, options: TickReadOptions) {
  const mid = MONDAY + NS_PER_DAY + 7n * 3600n * SEC; // inside D1
  const late = MONDAY + 3n * NS_PER_DAY + 2n * 3600n * SEC; // inside D3
  const streamed: Tick[] = [];
  const stream = streamTicks(store, { symbol: "BTCUSD" }, { ...options, batchSize: 7 });
  for await (const batch of stream) {
    assert.ok(batch.length >= 1 && batch.length <= 7);
    streamed.push(...batch);
  }
  const ohlc = [];
  for (const timeframe of TIMEFRAMES) {
    const query = { symbol: "BTCUSD", timeframe, start: mid, end: late + NS_PER_DAY };
    ohlc.push(await getOhlc(store, query, options));
    ohlc.push(await getOhlc(store, { ...query, exchange: "KRAKEN" }, options));
  }
  return {
    streamed,
    asc: await getTicks(store, { symbol: "BTCUSD" }, options),
    desc: await getTicks(store, { symbol: "BTCUSD", order: "desc" }, { ...options, batchSize: 5 }),
    range: await getTicks(store, { symbol: "BTCUSD", start: mid, end: late }, options),
    rangeDesc: await getTicks(
      store,
      { symbol: "BTCUSD", start: mid, end: late, order: "desc", limit: 77 },
      { ...options, batchSize: 10 },
    ),
    kraken: await getTicks(store, { symbol: "BTCUSD", exchange: "KRAKEN", limit: 150 }, options),
    eth: await getTicks(store, { symbol: "ETHUSD", order: "desc" }, options),
    latest: await getLatestPrice(store, "BTCUSD", options),
    latestKraken: await getLatestPrice(store, "BTCUSD", { ...options, exchange: "KRAKEN" }),
    latestEth: await getLatestPrice(store, "ETHUSD", options),
    ohlc,
    info: (await getDataInfo(store)).map((i) => ({ ...i, archivedCount: 0, archivedDays: 0 })),
  };
}

storeSuite("reading archived days", {
  "archived slices read back exactly as they were in tick_data": async (store) => {
    const root = await Deno.makeTempDir({ prefix: "tick_reader_archive_" });
    try {
      const ticks = fixtureTicks();
      await insertTicks(store, ticks);
      const before = await snapshot(store, { archiveRoot: root });
      // D1: BINANCE archived, KRAKEN still in tick_data the same day. D2: both exchanges.
      // D3 (the newest day): only KRAKEN. ETHUSD: every day, so tick_data has none of it.
      const keys: [string, string, string][] = [
        ["BTCUSD", "BINANCE", D1],
        ["BTCUSD", "BINANCE", D2],
        ["BTCUSD", "KRAKEN", D2],
        ["BTCUSD", "KRAKEN", D3],
        ...["2026-01-05", D1, D2, D3].map((
          day,
        ): [string, string, string] => ["ETHUSD", "BINANCE", day]),
      ];
      const slices: ArchiveSlice[] = [];
      for (const [symbol, exchange, day] of keys) {
        slices.push(await archiveSlice(store, root, { symbol, exchange, day }));
      }
      const { rows } = await store.query<{ n: bigint }>("SELECT count(*) AS n FROM tick_data");
      const archived = slices.reduce((n, s) => n + s.rowCount, 0);
      assert.equal(Number(rows[0]!.n), ticks.length - archived);
      assert.ok(archived > 0);

      const after = await snapshot(store, { archiveRoot: root });
      for (const key of Object.keys(before) as (keyof typeof before)[]) {
        assert.deepEqual(after[key], before[key], key);
      }

      const info = await getDataInfo(store);
      assert.deepEqual(
        info.map((i) => [i.symbol, i.exchange, i.archivedCount, i.archivedDays]),
        [["BTCUSD", "BINANCE"], ["BTCUSD", "KRAKEN"], ["ETHUSD", "BINANCE"]].map(([s, e]) => {
          const own = slices.filter((x) => x.symbol === s && x.exchange === e);
          return [s, e, own.reduce((n, x) => n + x.rowCount, 0), own.length];
        }),
      );

      // Without the archive root only tick_data is read.
      const live = await getTicks(store, { symbol: "BTCUSD" });
      const btcArchived = slices.filter((x) => x.symbol === "BTCUSD");
      assert.equal(
        live.length,
        before.asc.length - btcArchived.reduce((n, x) => n + x.rowCount, 0),
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
