/**
 * The cost report of `backfill cost-report`: historical jobs totalled per provider, dataset,
 * schema and UTC month (of creation), estimated against actual USD in exact decimals.
 * @module
 */
import { Decimal } from "./usd.ts";
import type { BackfillJob } from "@shared/storage/mod.ts";
import { isRefused } from "@shared/storage/mod.ts";
import { monthOf } from "./budget.ts";

export { isRefused };

/** Totals of one group of jobs. */
export interface CostRow {
  /** The provider, dataset, schema or month (`YYYY-MM`); "total" for the grand total. */
  key: string;
  jobs: number;
  done: number;
  failed: number;
  /** Refused by the spend limits (recorded as cancelled, nothing spent). */
  refused: number;
  /** Records received and ticks newly stored. */
  records: number;
  inserted: number;
  /** Billable bytes estimated before the jobs ran (refused jobs excluded). */
  bytes: number;
  /** Exact decimal USD: estimates of the jobs that ran, and the recorded actual costs. */
  estimatedUsd: string;
  actualUsd: string;
}

/** The whole report. */
export interface CostReport {
  /** `YYYY-MM` when only jobs created since that month are counted. */
  since?: string;
  byProvider: CostRow[];
  byDataset: CostRow[];
  bySchema: CostRow[];
  byMonth: CostRow[];
  total: CostRow;
}

interface Acc {
  jobs: number;
  done: number;
  failed: number;
  refused: number;
  records: number;
  inserted: number;
  bytes: bigint;
  estimated: Decimal;
  actual: Decimal;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Totals of `jobs` (of those created in or after `since`, `YYYY-MM`, when given). */
export function costReport(
  jobs: readonly BackfillJob[],
  options: { since?: string } = {},
): CostReport {
  const since = options.since;
  if (since !== undefined && !MONTH.test(since)) {
    throw new RangeError(`Invalid month ${JSON.stringify(since)}: expected YYYY-MM`);
  }
  const groups = {
    provider: new Map<string, Acc>(),
    dataset: new Map<string, Acc>(),
    schema: new Map<string, Acc>(),
    month: new Map<string, Acc>(),
  };
  const total = emptyAcc();
  for (const job of jobs) {
    const month = monthOf(job.createdAt);
    if (since !== undefined && month < since) continue;
    add(total, job);
    add(accOf(groups.provider, job.provider), job);
    add(accOf(groups.dataset, job.dataset), job);
    add(accOf(groups.schema, job.schema), job);
    add(accOf(groups.month, month), job);
  }
  const rows = (map: Map<string, Acc>) =>
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, acc]) => row(key, acc));
  return {
    ...(since === undefined ? {} : { since }),
    byProvider: rows(groups.provider),
    byDataset: rows(groups.dataset),
    bySchema: rows(groups.schema),
    byMonth: rows(groups.month),
    total: row("total", total),
  };
}

function emptyAcc(): Acc {
  return {
    jobs: 0,
    done: 0,
    failed: 0,
    refused: 0,
    records: 0,
    inserted: 0,
    bytes: 0n,
    estimated: new Decimal(0),
    actual: new Decimal(0),
  };
}

function accOf(map: Map<string, Acc>, key: string): Acc {
  let acc = map.get(key);
  if (acc === undefined) map.set(key, acc = emptyAcc());
  return acc;
}

function add(acc: Acc, job: BackfillJob): void {
  acc.jobs++;
  if (job.status === "done") acc.done++;
  if (job.status === "failed") acc.failed++;
  acc.records += job.recordCount;
  acc.inserted += job.insertedCount;
  if (job.actualCostUsd !== undefined) acc.actual = acc.actual.plus(job.actualCostUsd);
  if (isRefused(job)) {
    acc.refused++;
    return;
  }
  acc.bytes += job.estimatedBytes ?? 0n;
  if (job.estimatedCostUsd !== undefined) acc.estimated = acc.estimated.plus(job.estimatedCostUsd);
}

function row(key: string, acc: Acc): CostRow {
  return {
    key,
    jobs: acc.jobs,
    done: acc.done,
    failed: acc.failed,
    refused: acc.refused,
    records: acc.records,
    inserted: acc.inserted,
    bytes: Number(acc.bytes),
    estimatedUsd: acc.estimated.toFixed(),
    actualUsd: acc.actual.toFixed(),
  };
}
