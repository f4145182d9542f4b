import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { storeSuite } from "../testing.ts";
import { getOhlc } from "./ohlc.ts";
import { NS_PER_DAY, type Tick } from "./tick.ts";
import {
  getHistoricalDataForBacktest,
  getLatestPrice,
  getTicks,
  streamTicks,
} from "./tick_reader.ts";
import { fixtureTicks, insertTicks, MONDAY, px, SEC, sorted, tick } from "./_reader_fixtures.ts";

const ALL = fixtureTicks();
const btc = (ticks: readonly Tick[]) => ticks.filter((t) => t.symbol === "BTCUSD");
const keys = (ticks: readonly Tick[]) =>
  ticks.map((t) => `${t.tsEvent}/${t.exchange}/${t.tradeId}`);

storeSuite("tick reader", {
  "getTicks() returns a symbol's ticks ASC in compareTicks order, all fields intact": async (
    store,
  ) => {
    await insertTicks(store, ALL);
    assert.deepEqual(await getTicks(store, { symbol: "BTCUSD" }), sorted(btc(ALL)));
  },

  "order desc is the exact reverse of asc": async (store) => {
    await insertTicks(store, ALL);
    const desc = await getTicks(store, { symbol: "BTCUSD", order: "desc" }, { batchSize: 7 });
    assert.deepEqual(desc, sorted(btc(ALL)).reverse());
  },

  "equal timestamps are ordered by exchange, then trade_id byte-wise": async (store) => {
    const ts = MONDAY + 5n * SEC;
    const ticks = ["b", "B", "10", "9", "a", "A-1"].flatMap((id) => [
      tick({ tsEvent: ts, exchange: "KRAKEN", tradeId: id }),
      tick({ tsEvent: ts, exchange: "BINANCE", tradeId: id }),
    ]);
    await insertTicks(store, ticks);
    const got = await getTicks(store, { symbol: "BTCUSD" }, { batchSize: 5 });
    assert.deepEqual(keys(got), [
      ...["10", "9", "A-1", "B", "a", "b"].map((id) => `${ts}/BINANCE/${id}`),
      ...["10", "9", "A-1", "B", "a", "b"].map((id) => `${ts}/KRAKEN/${id}`),
    ]);
    const desc = await getTicks(store, { symbol: "BTCUSD", order: "desc" }, { batchSize: 5 });
    assert.deepEqual(keys(desc), keys(got).reverse());
  },

  "exchange narrows to one venue": async (store) => {
    await insertTicks(store, ALL);
    const got = await getTicks(store, { symbol: "BTCUSD", exchange: "KRAKEN" });
    assert.deepEqual(
      got,
      sorted(ALL.filter((t) => t.symbol === "BTCUSD" && t.exchange === "KRAKEN")),
    );
  },

  "start is inclusive and end exclusive, across day partitions": async (store) => {
    await insertTicks(store, ALL);
    const all = sorted(btc(ALL));
    const start = all[40]!.tsEvent;
    const end = all[all.length - 30]!.tsEvent;
    const want = all.filter((t) => t.tsEvent >= start && t.tsEvent < end);
    assert.ok(want.some((t) => t.tsEvent === start) && !want.some((t) => t.tsEvent === end));
    for (const order of ["asc", "desc"] as const) {
      const got = await getTicks(store, { symbol: "BTCUSD", start, end, order }, { batchSize: 4 });
      assert.deepEqual(got, order === "asc" ? want : [...want].reverse());
    }
    assert.deepEqual(await getTicks(store, { symbol: "BTCUSD", start: end, end: start }), []);
    assert.deepEqual(await getTicks(store, { symbol: "BTCUSD", start, end: start }), []);
  },

  "limit keeps the first N in either order, even mid-batch": async (store) => {
    await insertTicks(store, ALL);
    const all = sorted(btc(ALL));
    for (const [limit, batchSize] of [[1, 10], [5, 2], [23, 10], [0, 10], [100_000, 50]]) {
      const asc = await getTicks(store, { symbol: "BTCUSD", limit }, { batchSize });
      assert.deepEqual(asc, all.slice(0, limit));
      const desc = await getTicks(store, { symbol: "BTCUSD", limit, order: "desc" }, { batchSize });
      assert.deepEqual(desc, [...all].reverse().slice(0, limit));
    }
  },

  "streamTicks yields batches of at most batchSize covering every row once": async (store) => {
    await insertTicks(store, ALL);
    const seen: Tick[] = [];
    let batches = 0;
    for await (const batch of streamTicks(store, { symbol: "BTCUSD" }, { batchSize: 3 })) {
      assert.ok(batch.length >= 1 && batch.length <= 3);
      seen.push(...batch);
      batches++;
    }
    assert.deepEqual(seen, sorted(btc(ALL)));
    assert.equal(new Set(keys(seen)).size, seen.length);
    assert.equal(batches, Math.ceil(seen.length / 3));
  },

  "a consumer that stops early ends the stream cleanly": async (store) => {
    await insertTicks(store, ALL);
    let n = 0;
    for await (const _ of streamTicks(store, { symbol: "BTCUSD" }, { batchSize: 2 })) {
      if (++n === 3) break;
    }
    assert.equal((await getTicks(store, { symbol: "ETHUSD", limit: 1 })).length, 1);
  },

  "getLatestPrice() returns the newest tick overall or on one exchange": async (store) => {
    await insertTicks(store, ALL);
    const newest = sorted(btc(ALL)).at(-1)!;
    assert.deepEqual(await getLatestPrice(store, "BTCUSD"), {
      price: newest.price,
      tsEvent: newest.tsEvent,
      exchange: newest.exchange,
    });
    const kraken = sorted(ALL.filter((t) => t.symbol === "BTCUSD" && t.exchange === "KRAKEN"))
      .at(-1)!;
    assert.deepEqual(await getLatestPrice(store, "BTCUSD", { exchange: "KRAKEN" }), {
      price: kraken.price,
      tsEvent: kraken.tsEvent,
      exchange: "KRAKEN",
    });
    assert.equal(await getLatestPrice(store, "SOLUSD"), undefined);
  },

  "getLatestPrice() breaks a timestamp tie by the total order": async (store) => {
    const ts = MONDAY + SEC;
    await insertTicks(store, [
      tick({ tsEvent: ts, exchange: "KRAKEN", tradeId: "1", price: px(1) }),
      tick({ tsEvent: ts, exchange: "KRAKEN", tradeId: "2", price: px(2) }),
      tick({ tsEvent: ts, exchange: "BINANCE", tradeId: "3", price: px(3) }),
    ]);
    assert.equal((await getLatestPrice(store, "BTCUSD"))?.price, px(2));
  },

  "getHistoricalDataForBacktest() streams [start, end) ascending": async (store) => {
    await insertTicks(store, ALL);
    const start = MONDAY + NS_PER_DAY / 2n;
    const end = MONDAY + 2n * NS_PER_DAY + NS_PER_DAY / 3n;
    const got: Tick[] = [];
    const stream = getHistoricalDataForBacktest(store, { symbol: "BTCUSD", start, end }, {
      batchSize: 8,
    });
    for await (const batch of stream) got.push(...batch);
    assert.deepEqual(got, sorted(btc(ALL)).filter((t) => t.tsEvent >= start && t.tsEvent < end));
    assert.throws(
      () => getHistoricalDataForBacktest(store, { symbol: "BTCUSD", start: end, end }),
      RangeError,
    );
  },

  "bad symbols, exchanges, limits and batch sizes fail before any SQL": async (store) => {
    const noSql = {
      ...store,
      query: () => Promise.reject(new Error("SQL reached")),
    } as typeof store;
    await assert.rejects(getTicks(noSql, { symbol: "btc'; DROP TABLE tick_data; --" }), DataError);
    await assert.rejects(getTicks(noSql, { symbol: "BTCUSD", exchange: "binance" }), DataError);
    await assert.rejects(getTicks(noSql, { symbol: "BTCUSD", limit: -1 }), RangeError);
    await assert.rejects(getTicks(noSql, { symbol: "BTCUSD" }, { batchSize: 0 }), RangeError);
    await assert.rejects(getLatestPrice(noSql, "../etc"), DataError);
    assert.throws(() => streamTicks(noSql, { symbol: "BTC/USD" }), DataError);
    assert.throws(() => streamTicks(noSql, { symbol: "BTCUSD", order: "up" as "asc" }), RangeError);
  },
});

storeSuite("tick reader under a linguistic collation", {
  "ticks and OHLC open/close still follow byte order of exchange and trade_id": async (store) => {
    await store.exec(
      `ALTER TABLE tick_data ALTER COLUMN trade_id TYPE text COLLATE "und-x-icu",
                             ALTER COLUMN exchange TYPE text COLLATE "und-x-icu"`,
    );
    const ts = MONDAY + SEC;
    const ids = ["a", "B", "b", "A", "10", "9", "a-1", "a1", "_x"];
    const priceOf = (id: string) => px(ids.indexOf(id) + 1);
    await insertTicks(
      store,
      ids.map((tradeId) => tick({ tsEvent: ts, tradeId, price: priceOf(tradeId) })),
    );
    const { rows } = await store.query<{ trade_id: string }>(
      "SELECT trade_id FROM tick_data ORDER BY trade_id",
    );
    const byteOrder = [...ids].sort();
    assert.notDeepEqual(rows.map((r) => r.trade_id), byteOrder, "ICU order differs");
    const asc = await getTicks(store, { symbol: "BTCUSD" }, { batchSize: 2 });
    assert.deepEqual(asc.map((t) => t.tradeId), byteOrder);
    const desc = await getTicks(store, { symbol: "BTCUSD", order: "desc" }, { batchSize: 2 });
    assert.deepEqual(desc.map((t) => t.tradeId), [...byteOrder].reverse());
    const [bar] = await getOhlc(store, {
      symbol: "BTCUSD",
      timeframe: "1m",
      start: MONDAY,
      end: ts + 1n,
    });
    assert.equal(bar?.open, priceOf(byteOrder[0]!));
    assert.equal(bar?.close, priceOf(byteOrder.at(-1)!));
  },
});
