/**
 * Spend limits of historical requests (`[backfill]`): a per-job cap on the estimate and a budget
 * per UTC calendar month, in exact decimals (decimal.js), checked before anything is spent.
 * @module
 */
import { Decimal } from "./usd.ts";
import type { BackfillConfig } from "@shared/config/mod.ts";
import type { BackfillJob } from "@shared/storage/mod.ts";

/** Why a request was refused: the per-job cap or the monthly budget. */
export type SpendLimitCode = "job_limit" | "monthly_budget";

/** A request the spend limits do not allow; the message is one line starting "Refused:". */
export class SpendLimitError extends Error {
  override name = "SpendLimitError";
  readonly code: SpendLimitCode;
  /** The full assessment that failed. */
  readonly assessment: SpendAssessment;

  constructor(assessment: SpendAssessment) {
    super(assessment.reason ?? "Refused by the spend limits");
    this.code = assessment.code ?? "job_limit";
    this.assessment = assessment;
  }
}

/** What the limits say about one estimate (all amounts USD as exact decimal strings). */
export interface SpendAssessment {
  allowed: boolean;
  /** Set when refused. */
  code?: SpendLimitCode;
  /** One line, set when refused. */
  reason?: string;
  estimateUsd: string;
  maxJobCostUsd: string;
  monthlyBudgetUsd: string;
  /** The UTC month the budget is for, `YYYY-MM`. */
  month: string;
  /** Spend of the month so far (see {@linkcode jobSpendUsd}). */
  monthSpentUsd: string;
  /** monthSpentUsd + estimateUsd. */
  monthAfterUsd: string;
}

/** The `[backfill]` keys the checks read. */
export type SpendLimits = Pick<BackfillConfig, "max_job_cost_usd" | "monthly_budget_usd">;

const AMOUNT = /^\d+(\.\d+)?$/;

/** A plain non-negative decimal amount, or a RangeError naming what it is. */
export function parseUsd(what: string, text: string): Decimal {
  if (!AMOUNT.test(text.trim())) {
    throw new RangeError(
      `Invalid ${what} ${JSON.stringify(text)}: expected a USD amount like "12.34"`,
    );
  }
  return new Decimal(text.trim());
}

/**
 * What a job counts against the budget: a done job its actual cost (its estimate when none was
 * recorded), a pending or running one its estimate (actual when known), a failed or cancelled
 * one only an actual cost recorded for it (data delivered before it stopped), else nothing.
 * Refused jobs are recorded as cancelled without an actual cost, so they count nothing.
 */
export function jobSpendUsd(job: BackfillJob): Decimal {
  const actual = job.actualCostUsd === undefined ? undefined : new Decimal(job.actualCostUsd);
  const estimate = job.estimatedCostUsd === undefined
    ? undefined
    : new Decimal(job.estimatedCostUsd);
  switch (job.status) {
    case "done":
    case "pending":
    case "running":
      return actual ?? estimate ?? new Decimal(0);
    default:
      return actual ?? new Decimal(0);
  }
}

/** `YYYY-MM` of a date in UTC. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The spend of jobs created in the UTC month of `now`. */
export function monthSpendUsd(jobs: readonly BackfillJob[], now: Date): Decimal {
  const month = monthOf(now);
  let sum = new Decimal(0);
  for (const job of jobs) {
    if (monthOf(job.createdAt) === month) sum = sum.plus(jobSpendUsd(job));
  }
  return sum;
}

/**
 * Checks an estimate against the limits without throwing: refused when it is above
 * max_job_cost_usd, or when this month's spend plus it is above monthly_budget_usd.
 */
export function assessSpend(
  estimateUsd: string,
  jobs: readonly BackfillJob[],
  config: SpendLimits,
  now: Date,
): SpendAssessment {
  const estimate = parseUsd("estimated cost", estimateUsd);
  const maxJob = parseUsd("max_job_cost_usd", config.max_job_cost_usd);
  const budget = parseUsd("monthly_budget_usd", config.monthly_budget_usd);
  const spent = monthSpendUsd(jobs, now);
  const after = spent.plus(estimate);
  const month = monthOf(now);
  const base = {
    estimateUsd: estimate.toFixed(),
    maxJobCostUsd: maxJob.toFixed(),
    monthlyBudgetUsd: budget.toFixed(),
    month,
    monthSpentUsd: spent.toFixed(),
    monthAfterUsd: after.toFixed(),
  };
  if (estimate.greaterThan(maxJob)) {
    return {
      ...base,
      allowed: false,
      code: "job_limit",
      reason: `Refused: estimated cost ${formatUsd(estimate)} is above the per-job limit of ${
        formatUsd(maxJob)
      } ([backfill] max_job_cost_usd, or --max-cost for one run)`,
    };
  }
  if (after.greaterThan(budget)) {
    return {
      ...base,
      allowed: false,
      code: "monthly_budget",
      reason: `Refused: estimated cost ${formatUsd(estimate)} would bring ${month} spend to ${
        formatUsd(after)
      } (${formatUsd(spent)} so far), above the monthly budget of ${
        formatUsd(budget)
      } ([backfill] monthly_budget_usd)`,
    };
  }
  return { ...base, allowed: true };
}

/**
 * Throws a one-line {@linkcode SpendLimitError} when the limits refuse the estimate; returns the
 * assessment otherwise. Pass `{ ...config, max_job_cost_usd: flag }` for `--max-cost`.
 */
export function checkSpend(
  estimateUsd: string,
  jobs: readonly BackfillJob[],
  config: SpendLimits,
  now: Date,
): SpendAssessment {
  const assessment = assessSpend(estimateUsd, jobs, config, now);
  if (!assessment.allowed) throw new SpendLimitError(assessment);
  return assessment;
}

/** `$12.50`: exact, at least two decimals, no exponent. */
export function formatUsd(amount: Decimal | string): string {
  const d = new Decimal(amount);
  return `$${d.decimalPlaces() < 2 ? d.toFixed(2) : d.toFixed()}`;
}
