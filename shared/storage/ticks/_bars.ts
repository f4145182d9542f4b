/**
 * Partial OHLC bars: per-bucket aggregates from SQL (tick_data) and from archived ticks (JS),
 * merged by bucket and finished into bars with synthetic fill. Open and close carry their
 * tick's sort key so partials of one bucket merge in the total order of compareTicks.
 */
import { Decimal } from "decimal.js";
import type { Tick } from "./tick.ts";

/** Sums of up to 38-digit quantities must not round (decimal.js defaults to 20 digits). */
const Exact = Decimal.clone({ precision: 200 });

/** The tick a bar opens or closes with: its sort key and price. */
export interface Edge {
  tsEvent: bigint;
  exchange: string;
  tradeId: string;
  price: bigint;
}

/** An aggregate of some of a bucket's ticks. */
export interface PartialBar {
  start: bigint;
  open: Edge;
  close: Edge;
  high: bigint;
  low: bigint;
  volume: Decimal;
  tradeCount: number;
}

/** One OHLC bar; synthetic bars fill intervals without trades (O=H=L=C=previous close). */
export interface Bar {
  /** Bucket start, ns (UTC; weeks start Monday 00:00). */
  start: bigint;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  /** Exact sum of the quantities, a plain decimal string without trailing zeros. */
  volume: string;
  tradeCount: number;
  synthetic: boolean;
}

/** Bucketing: bucket(ts) = ts - floorMod(ts - offset, width). */
export interface Buckets {
  width: bigint;
  offset: bigint;
}

/** The start of the bucket holding `ts`. */
export function bucketOf(ts: bigint, buckets: Buckets): bigint {
  const mod = (ts - buckets.offset) % buckets.width;
  return ts - (mod < 0n ? mod + buckets.width : mod);
}

/** A partial bar from its parts (volume as a decimal string). */
export function partialBar(
  start: bigint,
  open: Edge,
  close: Edge,
  stats: { high: bigint; low: bigint; volume: string; tradeCount: number },
): PartialBar {
  return { start, open, close, ...stats, volume: new Exact(stats.volume) };
}

/** Adds `ticks` (ascending by compareTicks) to the partial bars in `bars`. */
export function accumulateTicks(
  bars: Map<bigint, PartialBar>,
  ticks: readonly Tick[],
  buckets: Buckets,
): void {
  let bar: PartialBar | undefined;
  let barEnd = 0n;
  for (const tick of ticks) {
    if (bar === undefined || tick.tsEvent >= barEnd) {
      if (bar !== undefined) mergePartial(bars, bar);
      const start = bucketOf(tick.tsEvent, buckets);
      barEnd = start + buckets.width;
      bar = {
        start,
        open: tick,
        close: tick,
        high: tick.price,
        low: tick.price,
        volume: new Exact(0),
        tradeCount: 0,
      };
    }
    bar.close = tick;
    if (tick.price > bar.high) bar.high = tick.price;
    if (tick.price < bar.low) bar.low = tick.price;
    bar.volume = bar.volume.plus(tick.quantity);
    bar.tradeCount++;
  }
  if (bar !== undefined) mergePartial(bars, bar);
}

/** Merges `part` into the bar of its bucket. */
export function mergePartial(bars: Map<bigint, PartialBar>, part: PartialBar): void {
  const bar = bars.get(part.start);
  if (bar === undefined) {
    bars.set(part.start, part);
    return;
  }
  if (compareEdges(part.open, bar.open) < 0) bar.open = part.open;
  if (compareEdges(part.close, bar.close) > 0) bar.close = part.close;
  if (part.high > bar.high) bar.high = part.high;
  if (part.low < bar.low) bar.low = part.low;
  bar.volume = bar.volume.plus(part.volume);
  bar.tradeCount += part.tradeCount;
}

/**
 * The finished bars: real ones in bucket order, and from the first real bar up to the bucket
 * holding `end - 1`, synthetic bars at the previous close where a bucket has no trades.
 */
export function finishBars(bars: Map<bigint, PartialBar>, buckets: Buckets, end: bigint): Bar[] {
  const starts = [...bars.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (starts.length === 0) return [];
  const out: Bar[] = [];
  const last = bucketOf(end - 1n, buckets);
  let close = 0n;
  for (let start = starts[0]!; start <= last; start += buckets.width) {
    const bar = bars.get(start);
    if (bar === undefined) {
      out.push({
        start,
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
    close = bar.close.price;
    out.push({
      start,
      open: bar.open.price,
      high: bar.high,
      low: bar.low,
      close,
      volume: bar.volume.toFixed(),
      tradeCount: bar.tradeCount,
      synthetic: false,
    });
  }
  return out;
}

function compareEdges(a: Edge, b: Edge): number {
  if (a.tsEvent !== b.tsEvent) return a.tsEvent < b.tsEvent ? -1 : 1;
  if (a.exchange !== b.exchange) return a.exchange < b.exchange ? -1 : 1;
  return a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0;
}
