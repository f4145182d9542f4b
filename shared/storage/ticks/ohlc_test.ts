import assert from "node:assert/strict";
import { Decimal } from "decimal.js";
import { DataError } from "@shared/domain/mod.ts";
import { storeSuite } from "../testing.ts";
import { dayStartNs, NS_PER_DAY, type Tick } from "./tick.ts";
import { type Bar, getOhlc, type Timeframe, TIMEFRAMES } from "./ohlc.ts";
import { fixtureTicks, insertTicks, MONDAY, px, SEC, sorted, tick } from "./_reader_fixtures.ts";

const MIN = 60n * SEC;
const WIDTH: Record<Timeframe, bigint> = {
  "1m": MIN,
  "5m": 5n * MIN,
  "15m": 15n * MIN,
  "30m": 30n * MIN,
  "1h": 60n * MIN,
  "4h": 240n * MIN,
  "1d": NS_PER_DAY,
  "1w": 7n * NS_PER_DAY,
};

/** Straightforward bars: bucket by division from a Monday, then fill gaps walking forward. */
function referenceBars(ticks: readonly Tick[], tf: Timeframe, start: bigint, end: bigint): Bar[] {
  const w = WIDTH[tf];
  const origin = tf === "1w" ? dayStartNs("1969-12-29") : 0n; // a Monday before the epoch
  const bucket = (ts: bigint) => origin + ((ts - origin) / w) * w;
  const inRange = sorted(ticks).filter((t) => t.tsEvent >= start && t.tsEvent < end);
  const groups = new Map<bigint, Tick[]>();
  for (const t of inRange) {
    groups.set(bucket(t.tsEvent), [...groups.get(bucket(t.tsEvent)) ?? [], t]);
  }
  const out: Bar[] = [];
  if (inRange.length === 0) return out;
  let close = 0n;
  for (let b = bucket(inRange[0]!.tsEvent); b < end; b += w) {
    const group = groups.get(b);
    if (group === undefined) {
      out.push({
        start: b,
        open: close,
        high: close,
        low: close,
        close,
        volume: "0",
        tradeCount: 0,
        synthetic: true,
      });
      continue;
    }
    const prices = group.map((t) => t.price);
    close = group.at(-1)!.price;
    out.push({
      start: b,
      open: group[0]!.price,
      high: prices.reduce((a, p) => (p > a ? p : a)),
      low: prices.reduce((a, p) => (p < a ? p : a)),
      close,
      volume: group.reduce((sum, t) => sum.plus(t.quantity), new Decimal(0)).toFixed(),
      tradeCount: group.length,
      synthetic: false,
    });
  }
  return out;
}

const ALL = fixtureTicks();
const BTC = ALL.filter((t) => t.symbol === "BTCUSD");

storeSuite("ohlc", {
  "every timeframe matches a reference aggregation, synthetic bars included": async (store) => {
    await insertTicks(store, ALL);
    const start = MONDAY - 3n * 3600n * SEC + 17n * SEC;
    const end = MONDAY + 4n * NS_PER_DAY - 45n * MIN;
    for (const timeframe of TIMEFRAMES) {
      const bars = await getOhlc(store, { symbol: "BTCUSD", timeframe, start, end });
      assert.deepEqual(bars, referenceBars(BTC, timeframe, start, end), timeframe);
      assert.ok(bars.length > 0 && bars.every((b) => b.start % MIN === 0n));
      const trades = bars.reduce((n, b) => n + b.tradeCount, 0);
      assert.equal(trades, BTC.filter((t) => t.tsEvent >= start && t.tsEvent < end).length);
    }
    const kraken = await getOhlc(store, {
      symbol: "BTCUSD",
      exchange: "KRAKEN",
      timeframe: "1h",
      start,
      end,
    });
    assert.deepEqual(
      kraken,
      referenceBars(BTC.filter((t) => t.exchange === "KRAKEN"), "1h", start, end),
    );
  },

  "empty minutes become synthetic bars at the previous close; none before the first trade": async (
    store,
  ) => {
    await insertTicks(store, [
      tick({ tsEvent: MONDAY + 10n * SEC, tradeId: "1", price: px(10) }),
      tick({ tsEvent: MONDAY + 50n * SEC, tradeId: "2", price: px(12) }),
      tick({ tsEvent: MONDAY + 3n * MIN + 5n * SEC, tradeId: "3", price: px(11) }),
    ]);
    const bars = await getOhlc(store, {
      symbol: "BTCUSD",
      timeframe: "1m",
      start: MONDAY - 5n * MIN,
      end: MONDAY + 5n * MIN,
    });
    assert.deepEqual(bars.map((b) => [b.start - MONDAY, b.open, b.close, b.synthetic]), [
      [0n, px(10), px(12), false],
      [MIN, px(12), px(12), true],
      [2n * MIN, px(12), px(12), true],
      [3n * MIN, px(11), px(11), false],
      [4n * MIN, px(11), px(11), true],
    ]);
    const gap = bars[1]!;
    assert.equal(gap.high, px(12));
    assert.equal(gap.low, px(12));
    assert.equal(gap.volume, "0");
    assert.equal(gap.tradeCount, 0);
  },

  "volume is the exact decimal sum of the quantities": async (store) => {
    const big = "12345678901234567890.123456789012345678";
    await insertTicks(store, [
      tick({ tsEvent: MONDAY, tradeId: "1", quantity: "0.1" }),
      tick({ tsEvent: MONDAY + 1n, tradeId: "2", quantity: "0.2" }),
      tick({ tsEvent: MONDAY + MIN, tradeId: "3", quantity: big }),
      tick({ tsEvent: MONDAY + MIN + 1n, tradeId: "4", quantity: big }),
      tick({ tsEvent: MONDAY + 2n * MIN, tradeId: "5", quantity: "1.50" }),
      tick({ tsEvent: MONDAY + 2n * MIN + 1n, tradeId: "6", quantity: "2.5" }),
    ]);
    const bars = await getOhlc(store, {
      symbol: "BTCUSD",
      timeframe: "1m",
      start: MONDAY,
      end: MONDAY + 3n * MIN,
    });
    assert.deepEqual(bars.map((b) => b.volume), [
      "0.3",
      "24691357802469135780.246913578024691356",
      "4",
    ]);
  },

  "open and close follow the total order when timestamps tie": async (store) => {
    await insertTicks(store, [
      tick({ tsEvent: MONDAY, exchange: "KRAKEN", tradeId: "1", price: px(1) }),
      tick({ tsEvent: MONDAY, exchange: "BINANCE", tradeId: "9", price: px(2) }),
      tick({ tsEvent: MONDAY, exchange: "BINANCE", tradeId: "10", price: px(3) }),
      tick({ tsEvent: MONDAY + SEC, exchange: "BINANCE", tradeId: "b", price: px(4) }),
      tick({ tsEvent: MONDAY + SEC, exchange: "BINANCE", tradeId: "B", price: px(5) }),
    ]);
    const [bar] = await getOhlc(store, {
      symbol: "BTCUSD",
      timeframe: "5m",
      start: MONDAY,
      end: MONDAY + 5n * MIN,
    });
    assert.equal(bar?.open, px(3));
    assert.equal(bar?.close, px(4));
    assert.equal(bar?.high, px(5));
    assert.equal(bar?.low, px(1));
  },

  "weeks start on Monday 00:00 UTC": async (store) => {
    await insertTicks(store, [
      tick({ tsEvent: MONDAY - SEC, tradeId: "sun", price: px(1) }),
      tick({ tsEvent: MONDAY, tradeId: "mon", price: px(2) }),
      tick({
        tsEvent: MONDAY + 6n * NS_PER_DAY + 23n * 3600n * SEC,
        tradeId: "sun2",
        price: px(3),
      }),
    ]);
    const bars = await getOhlc(store, {
      symbol: "BTCUSD",
      timeframe: "1w",
      start: MONDAY - 3n * NS_PER_DAY,
      end: MONDAY + 8n * NS_PER_DAY,
    });
    assert.deepEqual(bars.map((b) => [b.start, b.open, b.close, b.tradeCount]), [
      [dayStartNs("2025-12-29"), px(1), px(1), 1],
      [MONDAY, px(2), px(3), 2],
      [MONDAY + 7n * NS_PER_DAY, px(3), px(3), 0],
    ]);
    for (const bar of bars) assert.equal(new Date(Number(bar.start / 1_000_000n)).getUTCDay(), 1);
  },

  "a range starting mid-bucket counts only ticks from start; end is exclusive": async (store) => {
    await insertTicks(store, [
      tick({ tsEvent: MONDAY + 10n * SEC, tradeId: "1", price: px(1) }),
      tick({ tsEvent: MONDAY + 30n * SEC, tradeId: "2", price: px(2) }),
      tick({ tsEvent: MONDAY + 3600n * SEC, tradeId: "3", price: px(3) }),
    ]);
    const bars = await getOhlc(store, {
      symbol: "BTCUSD",
      timeframe: "1h",
      start: MONDAY + 30n * SEC,
      end: MONDAY + 3600n * SEC,
    });
    assert.deepEqual(bars.map((b) => [b.start, b.open, b.tradeCount]), [[MONDAY, px(2), 1]]);
  },

  "no ticks, no bars; a bad timeframe or range is a one-line error": async (store) => {
    const query = {
      symbol: "BTCUSD",
      timeframe: "1m" as Timeframe,
      start: MONDAY,
      end: MONDAY + MIN,
    };
    assert.deepEqual(await getOhlc(store, query), []);
    await assert.rejects(
      getOhlc(store, { ...query, timeframe: "2m" as Timeframe }),
      (error: Error) =>
        error instanceof DataError && !error.message.includes("\n") &&
        error.message.includes("1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w"),
    );
    await assert.rejects(getOhlc(store, { ...query, end: MONDAY }), RangeError);
    await assert.rejects(getOhlc(store, { ...query, end: MONDAY + 10n ** 16n * MIN }), RangeError);
    await assert.rejects(getOhlc(store, { ...query, symbol: "btc usd" }), DataError);
  },
});
