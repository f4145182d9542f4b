/**
 * Plain-text output of `backfill`: jobs, gaps, estimates, the spend verdict and the cost report.
 * @module
 */
import type { AppConfig } from "@shared/config/mod.ts";
import type { BackfillJob } from "@shared/storage/mod.ts";
import { type FetchPlan, isoOfNs } from "../historical/mod.ts";
import {
  type CostReport,
  type CostRow,
  type Estimate,
  formatUsd,
  type Gap,
  type SpendAssessment,
} from "../backfill/mod.ts";
import { formatBytes, formatCount, formatTable } from "./_table.ts";

/** A duration in seconds as `2d 3h`, `1h 05m`, `4m 10s` or `12s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d ${Math.floor(s % 86_400 / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s % 3600 / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${s}s`;
}

/** The spend verdict of an estimate, one or two lines. */
export function renderSpend(a: SpendAssessment, maxCostFlag: boolean): string {
  const cap = `${formatUsd(a.maxJobCostUsd)} per job${maxCostFlag ? " (--max-cost)" : ""}`;
  const month = `${formatUsd(a.monthSpentUsd)} of ${
    formatUsd(a.monthlyBudgetUsd)
  } spent in ${a.month}, ${formatUsd(a.monthAfterUsd)} after this`;
  return a.allowed ? `spend limits: allowed (${cap}; ${month})\n` : `spend limits: ${a.reason}\n`;
}

/** Gaps of one symbol as a table (or a line saying there are none). */
export function renderGaps(symbol: string, exchange: string, gaps: readonly Gap[]): string {
  if (gaps.length === 0) return `${symbol}@${exchange}: no gaps\n`;
  const total = gaps.reduce((sum, g) => sum + g.seconds, 0);
  return `${symbol}@${exchange}: ${gaps.length} gap${gaps.length === 1 ? "" : "s"}, ${
    formatDuration(total)
  } in all\n${
    formatTable(
      [{ header: "START (UTC)" }, { header: "END (UTC)" }, { header: "DURATION", right: true }],
      gaps.map((g) => [isoOfNs(g.startNs), isoOfNs(g.endNs), formatDuration(g.seconds)]),
    )
  }`;
}

/** The jobs table of `status`. */
export function renderJobs(jobs: readonly BackfillJob[]): string {
  if (jobs.length === 0) return "no backfill jobs\n";
  return formatTable(
    [
      { header: "ID", right: true },
      { header: "KIND" },
      { header: "STATUS" },
      { header: "SYMBOLS" },
      { header: "EXCHANGE" },
      { header: "DATASET" },
      { header: "SCHEMA" },
      { header: "START (UTC)" },
      { header: "END (UTC)" },
      { header: "RECORDS", right: true },
      { header: "INSERTED", right: true },
      { header: "ESTIMATED", right: true },
      { header: "ACTUAL", right: true },
      { header: "UPDATED (UTC)" },
    ],
    jobs.map((j) => [
      String(j.id),
      j.kind,
      j.status,
      j.symbols.join(","),
      j.exchange ?? "-",
      j.dataset,
      j.schema,
      isoOfNs(j.startNs),
      isoOfNs(j.endNs),
      formatCount(j.recordCount),
      formatCount(j.insertedCount),
      j.estimatedCostUsd === undefined ? "-" : formatUsd(j.estimatedCostUsd),
      j.actualCostUsd === undefined ? "-" : formatUsd(j.actualCostUsd),
      j.updatedAt.toISOString().replace(/\.\d+Z$/, "Z"),
    ]),
  );
}

/** The `--detailed` part of `status`: routing, limits, this month's spend, job errors. */
export function renderDetails(
  config: AppConfig,
  spend: { month: string; spentUsd: string },
  jobs: readonly BackfillJob[],
): string {
  const r = config.routing;
  const out = ["Routing ([routing])", `  default provider: ${r.default_provider}`];
  const types = Object.entries(r.asset_types);
  out.push(
    types.length === 0 ? "  asset types: none" : "  asset types:",
    ...types.map(([t, p]) => `    ${t}: historical ${p.historical}, realtime ${p.realtime}`),
  );
  const datasets = Object.entries(r.databento.datasets);
  out.push(
    datasets.length === 0 ? "  databento datasets: none" : "  databento datasets:",
    ...datasets.map(([key, dataset]) => `    "${key}" = "${dataset}"`),
  );
  out.push(
    r.symbols.length === 0 ? "  symbol routes: none" : "  symbol routes:",
    ...r.symbols.map((s) =>
      `    ${s.symbol}@${s.exchange} -> ${s.provider}${s.dataset ? ` ${s.dataset}` : ""}`
    ),
  );
  const b = config.backfill;
  out.push(
    "",
    "Spend limits ([backfill])",
    `  per job: ${formatUsd(b.max_job_cost_usd)}`,
    `  monthly budget: ${formatUsd(b.monthly_budget_usd)}`,
    `  spent in ${spend.month} (UTC): ${formatUsd(spend.spentUsd)}`,
    `  gap detection: silences over ${b.max_gap_secs}s, sessions ${b.sessions ? "on" : "off"}`,
    `  databento: ${config.databento.hist_url}, key ${
      config.databento.api_key === undefined ? "not set (DATABENTO_API_KEY)" : "set"
    }`,
  );
  const failed = jobs.filter((j) => j.error !== undefined);
  if (failed.length > 0) {
    out.push("", "Errors");
    for (const j of failed) out.push(`  job ${j.id} (${j.status}): ${j.error}`);
  }
  return out.join("\n") + "\n";
}

/** The cost report as tables, one per grouping, each ending with the grand total. */
export function renderCostReport(report: CostReport): string {
  if (report.total.jobs === 0) {
    return `no backfill jobs${report.since === undefined ? "" : ` since ${report.since}`}\n`;
  }
  const section = (title: string, header: string, rows: CostRow[]) =>
    `${title}\n${
      formatTable(
        [
          { header },
          { header: "JOBS", right: true },
          { header: "DONE", right: true },
          { header: "FAILED", right: true },
          { header: "REFUSED", right: true },
          { header: "RECORDS", right: true },
          { header: "INSERTED", right: true },
          { header: "BYTES", right: true },
          { header: "ESTIMATED", right: true },
          { header: "ACTUAL", right: true },
        ],
        [...rows, report.total].map((r) => [
          r.key,
          formatCount(r.jobs),
          formatCount(r.done),
          formatCount(r.failed),
          formatCount(r.refused),
          formatCount(r.records),
          formatCount(r.inserted),
          formatBytes(r.bytes),
          formatUsd(r.estimatedUsd),
          formatUsd(r.actualUsd),
        ]),
      )
    }`;
  const head = report.since === undefined ? "" : `jobs created since ${report.since} (UTC)\n\n`;
  return head + [
    section("By provider", "PROVIDER", report.byProvider),
    section("By dataset", "DATASET", report.byDataset),
    section("By schema", "SCHEMA", report.bySchema),
    section("By month (UTC, of creation)", "MONTH", report.byMonth),
  ].join("\n");
}

/** The plan as JSON. */
export function planJson(plan: FetchPlan) {
  return {
    provider: plan.provider,
    dataset: plan.dataset,
    schema: plan.schema,
    symbols: plan.symbols,
    exchange: plan.exchange,
    assetType: plan.assetType,
    startNs: plan.startNs,
    endNs: plan.endNs,
    start: isoOfNs(plan.startNs),
    end: isoOfNs(plan.endNs),
    stypeIn: plan.stypeIn,
  };
}

/** The estimate lines of a plan. */
export function renderEstimate(plan: FetchPlan, e: Estimate): string {
  return [
    `${plan.symbols.join(",")} on ${plan.exchange}: ${plan.dataset} ${plan.schema}, ${
      isoOfNs(plan.startNs)
    } .. ${isoOfNs(plan.endNs)}`,
    `records: ${formatCount(e.records)}`,
    `bytes:   ${formatBytes(e.bytes)} (${formatCount(e.bytes)} billable)`,
    `cost:    ${formatUsd(e.costUsd)}`,
  ].join("\n") + "\n";
}
