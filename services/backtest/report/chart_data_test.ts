import assert from "node:assert/strict";
import type { ReportCandle, ReportTrade } from "@shared/engine/mod.ts";
import { sampleReport } from "../_testing.ts";
import { chartData, mergeCandles } from "./chart_data.ts";

const MIN = 60_000_000_000n;

function candle(i: number, close: number, ts = BigInt(i) * MIN): ReportCandle {
  return {
    ts: ts.toString(),
    open: close - 1,
    high: close + 2,
    low: close - 2,
    close,
    volume: 1,
    synthetic: false,
  };
}

function trade(ts: bigint, side: "BUY" | "SELL"): ReportTrade {
  return {
    orderId: "O-1",
    accountId: "SIM-001",
    symbol: "BTCUSD",
    side,
    type: "market",
    ts: ts.toString(),
    quantity: "0.5",
    price: "100",
    fee: "0",
    realizedPnl: "0",
  };
}

Deno.test("chartData() puts candles in seconds and each trade on the candle that holds it", () => {
  const report = sampleReport({
    candles: [candle(0, 10), candle(1, 11), candle(2, 12)],
    trades: [trade(MIN + 5n, "BUY"), trade(3n * MIN, "SELL")],
    equity: [{ ts: MIN.toString(), equity: "100000.5", position: "0" }],
  });
  const data = chartData(report);
  assert.deepEqual(data.candles.map((c) => c.time), [0, 60, 120]);
  assert.deepEqual(data.markers, [
    { time: 60, side: "BUY", text: "B 0.5" },
    { time: 120, side: "SELL", text: "S 0.5" },
  ]);
  assert.deepEqual(data.equity, [{ time: 60, value: 100000.5 }]);
  assert.equal(data.candleStep, 1);
});

Deno.test("chartData() keeps times strictly increasing for bars inside one second", () => {
  const report = sampleReport({
    candles: [candle(0, 1, 5n), candle(1, 2, 6n), candle(2, 3, 2_000_000_000n)],
  });
  assert.deepEqual(chartData(report).candles.map((c) => c.time), [0, 1, 2]);
});

Deno.test("chartData() thins long runs to the point limit", () => {
  const candles = Array.from({ length: 95 }, (_, i) => candle(i, 100 + (i % 10)));
  const equity = candles.map((c) => ({ ts: c.ts, equity: "1", position: "0" }));
  const data = chartData(sampleReport({ candles, equity }), 20);
  assert.equal(data.candleStep, 5);
  assert.equal(data.candles.length, 19);
  assert.equal(data.equityStep, 5);
  assert.equal(data.equity.length, 20, "every 5th point and the last");
  assert.equal(data.equity.at(-1)!.time, 94 * 60);
});

Deno.test("mergeCandles() keeps first open, extremes, last close and the summed volume", () => {
  const merged = mergeCandles([candle(0, 10), candle(1, 20), candle(2, 5)], 2);
  assert.deepEqual(merged, [
    { ts: "0", open: 9, high: 22, low: 8, close: 20, volume: 2, synthetic: false },
    candle(2, 5),
  ]);
});
