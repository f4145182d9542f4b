/**
 * Estimates and job rows of `backfill`: what Databento says a plan will deliver and cost (record
 * count, billable bytes, USD) before anything is spent, and the backfill_jobs rows that carry
 * the estimate (a job about to run, or one the spend limits refused).
 * @module
 */
import { Decimal } from "./usd.ts";
import {
  type BackfillJob,
  type BackfillKind,
  createBackfillJob,
  type Queryable,
  updateBackfillJob,
} from "@shared/storage/mod.ts";
import type { DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { type FetchPlan, jobRequest, rangeParams } from "../historical/mod.ts";

/** What a request will deliver and cost, by the provider's metadata calls. */
export interface Estimate {
  records: number;
  /** Billable (uncompressed DBN) bytes. */
  bytes: number;
  /** USD, exact decimal string, rounded up to 10 decimals (what backfill_jobs holds). */
  costUsd: string;
}

/** get_record_count, get_billable_size and get_cost of a plan's range (spends nothing). */
export async function estimatePlan(
  client: DatabentoHistoricalClient,
  plan: FetchPlan,
): Promise<Estimate> {
  const params = rangeParams(plan);
  const [records, bytes, costUsd] = await Promise.all([
    client.getRecordCount(params),
    client.getBillableSize(params),
    client.getCost(params),
  ]);
  // Rounded up, never down: a budget check must not under-count.
  const cost = new Decimal(costUsd).toDecimalPlaces(10, Decimal.ROUND_UP).toFixed();
  return { records, bytes, costUsd: cost };
}

/** The sum of several estimates (exact USD). */
export function sumEstimates(estimates: readonly Estimate[]): Estimate {
  let cost = new Decimal(0);
  let records = 0;
  let bytes = 0;
  for (const e of estimates) {
    records += e.records;
    bytes += e.bytes;
    cost = cost.plus(e.costUsd);
  }
  return { records, bytes, costUsd: cost.toFixed() };
}

/** A pending job for `plan` carrying its estimate, for runFetch to run. */
export function createEstimatedJob(
  db: Queryable,
  plan: FetchPlan,
  estimate: Estimate,
  kind: BackfillKind,
): Promise<BackfillJob> {
  return createBackfillJob(db, {
    ...jobRequest(plan),
    kind,
    estimatedCostUsd: estimate.costUsd,
    estimatedBytes: BigInt(estimate.bytes),
  });
}

/**
 * Records a request the spend limits refused: a job in status cancelled with the estimate and
 * the one-line reason, so `status` and `cost-report` show it; nothing was downloaded.
 */
export async function recordRefusal(
  db: Queryable,
  plan: FetchPlan,
  estimate: Estimate,
  o: { kind: BackfillKind; reason: string },
): Promise<BackfillJob> {
  const job = await createEstimatedJob(db, plan, estimate, o.kind);
  return await updateBackfillJob(db, job.id, { status: "cancelled", error: o.reason });
}
