/**
 * Performance figures of a run from its equity curve and fills (ReportMetrics).
 *
 * Rules, so the numbers can be checked by hand:
 * - money (equity, P&L, fees) stays Decimal and is written with `toFixed()`; sums use
 *   {@linkcode LedgerDecimal} (40 digits);
 * - total return = final / initial - 1 (0 when initial <= 0); the final equity is the last
 *   sample's (the initial equity when there is none);
 * - CAGR over the calendar span [startNs, endNs] in 365.25-day years; null when the span is
 *   under a day or the initial or final equity is <= 0;
 * - returns are simple returns between consecutive samples (a sample after one with equity <= 0
 *   gives none); Sharpe = mean / sample std (n - 1) * sqrt(samples per year), samples per year =
 *   (samples - 1) / years the samples span (first to last); Sortino uses the downside deviation
 *   sqrt(sum(min(r, 0)^2) / n) over all n returns; both null with < 2 returns, a zero deviation or
 *   samples spanning no time; no risk-free rate;
 * - max drawdown is a positive fraction of the running peak; its duration is the longest time from
 *   a peak (the last sample at it) to the first sample back at or above it, or to
 *   max(endNs, last sample) when never recovered;
 * - closing trades are fills with a non-zero realised P&L (fees excluded); win rate = winners /
 *   closing (null with none); profit factor = gross profit / gross loss, null when no closing
 *   trade lost (no finite value to report);
 * - exposure = samples with a non-zero position / samples (0 with none).
 * Ratios use plain float math in a fixed order, so the same input gives the same bits.
 * @module
 */
import type { Decimal } from "decimal.js";
import { type Fill, LedgerDecimal } from "./exchange/mod.ts";
import type { ReportMetrics } from "./report_types.ts";

/** One point of the equity curve. */
export interface EquitySample {
  tsNs: bigint;
  equity: Decimal;
  /** Position of the run's symbol at that time, base units. */
  position: Decimal;
}

/** Input of {@linkcode computeMetrics}. */
export interface MetricsInput {
  /** The curve, oldest first (at every bar close and at the end). */
  equity: readonly EquitySample[];
  fills: readonly Pick<Fill, "fee" | "realizedPnl">[];
  initialEquity: Decimal;
  /** The run's span, ns. */
  startNs: bigint;
  endNs: bigint;
  /** Realised P&L; default: the sum over `fills`. */
  realizedPnl?: Decimal;
  /** Fees; default: the sum over `fills`. */
  fees?: Decimal;
  /** Unrealised P&L; default: final - initial - realised + fees (what the curve implies). */
  unrealizedPnl?: Decimal;
}

/** Nanoseconds per day. */
export const DAY_NS = 86_400_000_000_000n;
/** Nanoseconds per 365.25-day year, as a float. */
export const YEAR_NS = 365.25 * 86_400e9;

/** Computes the report's metrics from an equity curve and its fills. */
export function computeMetrics(input: MetricsInput): ReportMetrics {
  const initial = new LedgerDecimal(input.initialEquity);
  const last = input.equity.at(-1);
  const final = last === undefined ? initial : new LedgerDecimal(last.equity);
  const sum = (pick: (f: Pick<Fill, "fee" | "realizedPnl">) => Decimal) =>
    input.fills.reduce((total, fill) => total.plus(pick(fill)), new LedgerDecimal(0));
  const fees = input.fees ?? sum((f) => f.fee);
  const realized = input.realizedPnl ?? sum((f) => f.realizedPnl);
  const totalPnl = final.minus(initial);
  const unrealized = input.unrealizedPnl ?? totalPnl.minus(realized).plus(fees);
  const { sharpe, sortino } = riskRatios(input.equity);
  const drawdown = maxDrawdown(input.equity, input.endNs);
  const trades = tradeStats(input.fills);
  const exposed = input.equity.filter((s) => !s.position.isZero()).length;
  return {
    initialEquity: initial.toFixed(),
    finalEquity: final.toFixed(),
    totalPnl: totalPnl.toFixed(),
    realizedPnl: new LedgerDecimal(realized).toFixed(),
    unrealizedPnl: new LedgerDecimal(unrealized).toFixed(),
    fees: new LedgerDecimal(fees).toFixed(),
    totalReturn: initial.gt(0) ? final.div(initial).minus(1).toNumber() : 0,
    cagr: cagr(initial, final, input.endNs - input.startNs),
    sharpe,
    sortino,
    maxDrawdown: drawdown.depth,
    maxDrawdownDurationNs: drawdown.durationNs.toString(),
    winRate: trades.winRate,
    profitFactor: trades.profitFactor,
    tradeCount: input.fills.length,
    closingTrades: trades.closing,
    exposure: input.equity.length === 0 ? 0 : exposed / input.equity.length,
  };
}

function cagr(initial: Decimal, final: Decimal, spanNs: bigint): number | null {
  if (spanNs < DAY_NS || initial.lte(0) || final.lte(0)) return null;
  const years = Number(spanNs) / YEAR_NS;
  return Math.pow(final.div(initial).toNumber(), 1 / years) - 1;
}

/** Simple returns between consecutive samples, in order. */
export function sampleReturns(equity: readonly EquitySample[]): number[] {
  const returns: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1]!.equity.toNumber();
    if (previous > 0) returns.push(equity[i]!.equity.toNumber() / previous - 1);
  }
  return returns;
}

function riskRatios(equity: readonly EquitySample[]): {
  sharpe: number | null;
  sortino: number | null;
} {
  const returns = sampleReturns(equity);
  const n = returns.length;
  const spanNs = equity.length < 2 ? 0n : equity.at(-1)!.tsNs - equity[0]!.tsNs;
  if (n < 2 || spanNs <= 0n) return { sharpe: null, sortino: null };
  const annualise = Math.sqrt((equity.length - 1) / (Number(spanNs) / YEAR_NS));
  let total = 0;
  for (const r of returns) total += r;
  const mean = total / n;
  let squares = 0;
  let downside = 0;
  for (const r of returns) {
    squares += (r - mean) * (r - mean);
    if (r < 0) downside += r * r;
  }
  const std = Math.sqrt(squares / (n - 1));
  const downsideDeviation = Math.sqrt(downside / n);
  return {
    sharpe: std === 0 ? null : (mean / std) * annualise,
    sortino: downsideDeviation === 0 ? null : (mean / downsideDeviation) * annualise,
  };
}

function maxDrawdown(
  equity: readonly EquitySample[],
  endNs: bigint,
): { depth: number; durationNs: bigint } {
  const first = equity[0];
  if (first === undefined) return { depth: 0, durationNs: 0n };
  let peak = first.equity;
  let peakNs = first.tsNs;
  let under = false;
  let depth = 0;
  let durationNs = 0n;
  for (const sample of equity) {
    if (sample.equity.gte(peak)) {
      if (under && sample.tsNs - peakNs > durationNs) durationNs = sample.tsNs - peakNs;
      under = false;
      peak = sample.equity;
      peakNs = sample.tsNs;
    } else {
      under = true;
      if (peak.gt(0)) {
        const drop = new LedgerDecimal(peak).minus(sample.equity).div(peak).toNumber();
        if (drop > depth) depth = drop;
      }
    }
  }
  if (under) {
    const lastNs = equity.at(-1)!.tsNs;
    const end = endNs > lastNs ? endNs : lastNs;
    if (end - peakNs > durationNs) durationNs = end - peakNs;
  }
  return { depth, durationNs };
}

function tradeStats(fills: readonly Pick<Fill, "realizedPnl">[]): {
  closing: number;
  winRate: number | null;
  profitFactor: number | null;
} {
  let closing = 0;
  let wins = 0;
  let profit = new LedgerDecimal(0);
  let loss = new LedgerDecimal(0);
  for (const { realizedPnl } of fills) {
    if (realizedPnl.isZero()) continue;
    closing++;
    if (realizedPnl.gt(0)) {
      wins++;
      profit = profit.plus(realizedPnl);
    } else {
      loss = loss.minus(realizedPnl);
    }
  }
  return {
    closing,
    winRate: closing === 0 ? null : wins / closing,
    profitFactor: loss.isZero() ? null : profit.div(loss).toNumber(),
  };
}
