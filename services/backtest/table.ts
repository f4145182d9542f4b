/**
 * The results table: a BacktestReport as label/value rows, printed on stdout and reused by the
 * HTML report. Ratios as percentages with 2 decimals, money with 2 decimals, n/a for undefined.
 * @module
 */
import { Decimal } from "decimal.js";
import { count } from "@shared/cli/mod.ts";
import type { BacktestReport } from "@shared/engine/mod.ts";
import { formatNs } from "./_parse.ts";

/** One row of the table. */
export interface TableRow {
  label: string;
  value: string;
}

/** The rows of a report, in display order. */
export function reportRows(report: BacktestReport): TableRow[] {
  const m = report.metrics;
  const s = report.strategy;
  const params = Object.entries(s.params).map(([k, v]) => `${k}=${v}`).join(", ");
  const rows: TableRow[] = [];
  if (report.partial) {
    rows.push({ label: "Result", value: `PARTIAL: ${report.error ?? "stopped"}` });
  }
  rows.push(
    { label: "Strategy", value: `${s.id} (${s.name})` },
    { label: "Parameters", value: params === "" ? "none" : params },
  );
  if (s.file !== undefined) rows.push({ label: "Strategy file", value: s.file });
  if (s.sha256 !== undefined) rows.push({ label: "SHA-256", value: s.sha256 });
  rows.push(
    { label: "Symbol", value: report.symbol },
    { label: "Data", value: report.data.source },
    { label: "Range", value: rangeText(report.data.from, report.data.to) },
    { label: "Bars", value: `${report.barType}, ${report.mode}` },
    { label: "Account", value: report.accountId },
    { label: "Ticks", value: count(report.data.ticks) },
    { label: "Bars closed", value: count(report.data.bars) },
    { label: "Trades", value: `${count(m.tradeCount)} fills, ${count(m.closingTrades)} closing` },
  );
  if (report.rejected.length > 0) {
    rows.push({ label: "Rejected orders", value: count(report.rejected.length) });
  }
  rows.push(
    { label: "Initial equity", value: money(m.initialEquity) },
    { label: "Final equity", value: money(m.finalEquity) },
    { label: "Total P&L", value: money(m.totalPnl) },
    { label: "Total return", value: percent(m.totalReturn) },
    { label: "CAGR", value: percent(m.cagr) },
    { label: "Sharpe", value: ratio(m.sharpe) },
    { label: "Sortino", value: ratio(m.sortino) },
    {
      label: "Max drawdown",
      value: `${percent(m.maxDrawdown)} (${duration(BigInt(m.maxDrawdownDurationNs))})`,
    },
    { label: "Win rate", value: percent(m.winRate) },
    { label: "Profit factor", value: ratio(m.profitFactor) },
    { label: "Exposure", value: percent(m.exposure) },
    { label: "Fees", value: money(m.fees) },
  );
  return rows;
}

/** The table as text: labels padded to one column, one row per line. */
export function formatTable(report: BacktestReport): string {
  const rows = reportRows(report);
  const width = Math.max(...rows.map((r) => r.label.length));
  return rows.map((r) => `${r.label.padEnd(width)}  ${r.value}`).join("\n") + "\n";
}

/** "[2024-01-01T00:00:00Z, 2024-01-02T00:00:00Z)", open ends named. */
export function rangeText(from: string | undefined, to: string | undefined): string {
  const f = from === undefined ? "start of data" : formatNs(BigInt(from));
  const t = to === undefined ? "end of data" : formatNs(BigInt(to));
  return `[${f}, ${t})`;
}

/** A decimal string with 2 decimals (half even). */
export function money(text: string): string {
  return new Decimal(text).toFixed(2, Decimal.ROUND_HALF_EVEN);
}

/** A fraction as a percentage with 2 decimals; n/a for null. */
export function percent(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "n/a" : `${(x * 100).toFixed(2)}%`;
}

/** A ratio with 2 decimals; n/a for null. */
export function ratio(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "n/a" : x.toFixed(2);
}

/** ns as "2d 3h 4m" (seconds under a minute; "0s" for none). */
export function duration(ns: bigint): string {
  const seconds = Number(ns / 1_000_000_000n);
  if (seconds < 60) return `${seconds}s`;
  const parts: string[] = [];
  const units: [number, string][] = [[86_400, "d"], [3_600, "h"], [60, "m"]];
  let rest = seconds;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
  }
  return parts.join(" ").replace(/( 0[hm])+$/, "");
}
