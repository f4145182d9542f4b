// costReport(): groups, exact decimal sums, refused jobs, the --since filter.
import assert from "node:assert/strict";
import { costReport, isRefused } from "./cost_report.ts";
import { job } from "./_testing.ts";

const MARCH = new Date("2025-03-05T10:00:00Z");
const APRIL = new Date("2025-04-01T00:00:00Z");

const JOBS = [
  job({
    status: "done",
    estimatedCostUsd: "0.1",
    actualCostUsd: "0.1",
    estimatedBytes: 1000n,
    recordCount: 10,
    insertedCount: 9,
    createdAt: MARCH,
  }),
  job({
    status: "done",
    estimatedCostUsd: "0.2",
    actualCostUsd: "0.2",
    estimatedBytes: 2000n,
    recordCount: 20,
    insertedCount: 20,
    createdAt: APRIL,
  }),
  job({
    status: "failed",
    dataset: "XNAS.ITCH",
    schema: "mbp-1",
    estimatedCostUsd: "1.5",
    estimatedBytes: 500n,
    error: "Databento 503",
    createdAt: APRIL,
  }),
  job({
    status: "cancelled",
    estimatedCostUsd: "99",
    estimatedBytes: 10n ** 12n,
    error: "Refused: estimated cost $99.00 is above the per-job limit of $5.00",
    createdAt: APRIL,
  }),
];

Deno.test("costReport() totals jobs per provider, dataset, schema and month in exact decimals", () => {
  const report = costReport(JOBS);
  assert.deepEqual(report.total, {
    key: "total",
    jobs: 4,
    done: 2,
    failed: 1,
    refused: 1,
    records: 30,
    inserted: 29,
    bytes: 3500,
    estimatedUsd: "1.8", // 0.1 + 0.2 + 1.5; the refused 99 is not an estimate of spend
    actualUsd: "0.3",
  });
  assert.deepEqual(report.byProvider.map((r) => [r.key, r.jobs]), [["databento", 4]]);
  assert.deepEqual(report.byDataset.map((r) => [r.key, r.jobs, r.estimatedUsd]), [
    ["GLBX.MDP3", 3, "0.3"],
    ["XNAS.ITCH", 1, "1.5"],
  ]);
  assert.deepEqual(report.bySchema.map((r) => [r.key, r.failed]), [["mbp-1", 1], ["trades", 0]]);
  assert.deepEqual(report.byMonth.map((r) => [r.key, r.jobs, r.actualUsd, r.refused]), [
    ["2025-03", 1, "0.1", 0],
    ["2025-04", 3, "0.2", 1],
  ]);
  assert.equal("since" in report, false);
});

Deno.test("costReport() with since counts only jobs created in or after that month", () => {
  const report = costReport(JOBS, { since: "2025-04" });
  assert.equal(report.since, "2025-04");
  assert.equal(report.total.jobs, 3);
  assert.equal(report.total.actualUsd, "0.2");
  assert.deepEqual(costReport(JOBS, { since: "2025-05" }).total.jobs, 0);
  assert.throws(() => costReport(JOBS, { since: "2025-13" }), /expected YYYY-MM/);
});

Deno.test("isRefused() is a cancelled job with a refusal reason only", () => {
  assert.equal(isRefused(JOBS[3]!), true);
  assert.equal(isRefused(job({ status: "cancelled", error: "interrupted" })), false);
  assert.equal(isRefused(job({ status: "failed", error: "Refused: x" })), false);
});
