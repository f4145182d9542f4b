/**
 * What the HTML report's charts draw: candles, trade markers and the equity curve in chart units
 * (whole UTC seconds, strictly increasing), thinned to at most MAX_POINTS points per series.
 * @module
 */
import type { BacktestReport, ReportCandle } from "@shared/engine/mod.ts";

/** Most points per series in a page; longer runs are thinned (candles merged, equity sampled). */
export const MAX_POINTS = 20_000;

/** A candle in chart units. */
export interface ChartCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A buy or sell marker, placed on the candle holding the fill. */
export interface ChartMarker {
  time: number;
  side: "BUY" | "SELL";
  text: string;
}

/** The series of the page. */
export interface ChartData {
  candles: ChartCandle[];
  markers: ChartMarker[];
  equity: { time: number; value: number }[];
  /** Source candles per drawn candle, and equity points per drawn point (1: not thinned). */
  candleStep: number;
  equityStep: number;
  markerStep: number;
}

const NS_PER_SECOND = 1_000_000_000n;

/** Builds the chart series of a report (deterministic). */
export function chartData(report: BacktestReport, maxPoints = MAX_POINTS): ChartData {
  const candleStep = Math.max(1, Math.ceil(report.candles.length / maxPoints));
  const merged = mergeCandles(report.candles, candleStep);
  const starts = merged.map((c) => BigInt(c.ts));
  const candleTimes = increasing(starts.map(seconds));
  const candles = merged.map((c, i) => ({
    time: candleTimes[i]!,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
  }));

  const markerStep = Math.max(1, Math.ceil(report.trades.length / maxPoints));
  const markers: ChartMarker[] = [];
  if (candles.length > 0) {
    for (let i = 0; i < report.trades.length; i += markerStep) {
      const trade = report.trades[i]!;
      const at = Math.max(0, upperBound(starts, BigInt(trade.ts)) - 1);
      markers.push({
        time: candleTimes[at]!,
        side: trade.side,
        text: `${trade.side === "BUY" ? "B" : "S"} ${trade.quantity}`,
      });
    }
  }

  const equityStep = Math.max(1, Math.ceil(report.equity.length / maxPoints));
  const sampled = report.equity.filter((_, i) =>
    i % equityStep === 0 || i === report.equity.length - 1
  );
  const equityTimes = increasing(sampled.map((e) => seconds(BigInt(e.ts))));
  const equity = sampled.map((e, i) => ({ time: equityTimes[i]!, value: Number(e.equity) }));
  return { candles, markers, equity, candleStep, equityStep, markerStep };
}

/** Merges each run of `step` candles into one (first open, extremes, last close, summed volume). */
export function mergeCandles(candles: readonly ReportCandle[], step: number): ReportCandle[] {
  if (step <= 1) return [...candles];
  const out: ReportCandle[] = [];
  for (let i = 0; i < candles.length; i += step) {
    const group = candles.slice(i, i + step);
    out.push({
      ts: group[0]!.ts,
      open: group[0]!.open,
      high: Math.max(...group.map((c) => c.high)),
      low: Math.min(...group.map((c) => c.low)),
      close: group[group.length - 1]!.close,
      volume: group.reduce((sum, c) => sum + c.volume, 0),
      synthetic: group.every((c) => c.synthetic),
    });
  }
  return out;
}

/** ns -> whole seconds. */
function seconds(ns: bigint): number {
  return Number(ns / NS_PER_SECOND);
}

/** The chart needs strictly increasing times: a time not after the previous moves 1 s past it. */
function increasing(times: readonly number[]): number[] {
  const out: number[] = [];
  let previous = -Infinity;
  for (const t of times) {
    const time = t > previous ? t : previous + 1;
    out.push(time);
    previous = time;
  }
  return out;
}

/** First index whose value is > x in a non-decreasing array. */
function upperBound(values: readonly bigint[], x: bigint): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
