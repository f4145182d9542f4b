// Spend limits: the per-job cap, the monthly budget with existing jobs of each status, exact
// decimals, and the one-line refusal.
import assert from "node:assert/strict";
import {
  assessSpend,
  checkSpend,
  formatUsd,
  jobSpendUsd,
  monthSpendUsd,
  SpendLimitError,
} from "./budget.ts";
import { job } from "./_testing.ts";

const NOW = new Date("2025-03-20T12:00:00Z");
const LIMITS = { max_job_cost_usd: "5", monthly_budget_usd: "20" };

Deno.test("checkSpend() refuses an estimate above the per-job limit with one line", () => {
  assert.throws(
    () => checkSpend("5.000000001", [], LIMITS, NOW),
    (e: unknown) => {
      assert.ok(e instanceof SpendLimitError);
      assert.equal(e.code, "job_limit");
      assert.equal(
        e.message,
        "Refused: estimated cost $5.000000001 is above the per-job limit of $5.00 " +
          "([backfill] max_job_cost_usd, or --max-cost for one run)",
      );
      return true;
    },
  );
  assert.equal(checkSpend("5", [], LIMITS, NOW).allowed, true);
});

Deno.test("checkSpend() counts done, running and pending jobs of this UTC month against the budget", () => {
  const jobs = [
    job({ status: "done", actualCostUsd: "4.5", estimatedCostUsd: "4.9" }), // 4.5
    job({ status: "done", estimatedCostUsd: "3" }), // no actual: its estimate
    job({ status: "running", estimatedCostUsd: "2.25" }),
    job({ status: "pending", estimatedCostUsd: "1.25" }),
    job({ status: "failed", estimatedCostUsd: "4" }), // nothing delivered: 0
    job({ status: "failed", estimatedCostUsd: "4", actualCostUsd: "0.5" }),
    job({ status: "cancelled", estimatedCostUsd: "50", error: "Refused: ..." }), // 0
    // Last month (UTC) and next month do not count.
    job({ status: "done", actualCostUsd: "100", createdAt: new Date("2025-02-28T23:59:59Z") }),
    job({ status: "done", actualCostUsd: "100", createdAt: new Date("2025-04-01T00:00:00Z") }),
  ];
  assert.equal(monthSpendUsd(jobs, NOW).toFixed(), "11.5");
  const ok = checkSpend("4", jobs, LIMITS, NOW);
  assert.deepEqual(ok, {
    allowed: true,
    estimateUsd: "4",
    maxJobCostUsd: "5",
    monthlyBudgetUsd: "20",
    month: "2025-03",
    monthSpentUsd: "11.5",
    monthAfterUsd: "15.5",
  });
  assert.equal(
    checkSpend("4", [...jobs, job({ status: "done", actualCostUsd: "4.5" })], LIMITS, NOW)
      .monthAfterUsd,
    "20",
  );
  assert.throws(
    () => checkSpend("4", [...jobs, job({ status: "done", actualCostUsd: "4.51" })], LIMITS, NOW),
    /^SpendLimitError: Refused: estimated cost \$4\.00 would bring 2025-03 spend to \$20\.01 \(\$16\.01 so far\), above the monthly budget of \$20\.00/,
  );
});

Deno.test("checkSpend() adds in exact decimals: 0.1 + 0.2 is 0.3, not 0.30000000000000004", () => {
  const limits = { max_job_cost_usd: "1", monthly_budget_usd: "0.3" };
  const jobs = [job({ status: "done", actualCostUsd: "0.1" })];
  const a = checkSpend("0.2", jobs, limits, NOW);
  assert.equal(a.monthAfterUsd, "0.3");
  assert.throws(() => checkSpend("0.2000000001", jobs, limits, NOW), SpendLimitError);
});

Deno.test("assessSpend() reports a refusal without throwing; --max-cost replaces the job cap", () => {
  const refused = assessSpend("12.5", [], LIMITS, NOW);
  assert.equal(refused.allowed, false);
  assert.equal(refused.code, "job_limit");
  const raised = assessSpend("12.5", [], { ...LIMITS, max_job_cost_usd: "15" }, NOW);
  assert.equal(raised.allowed, true);
  const overBudget = assessSpend("25", [], { ...LIMITS, max_job_cost_usd: "30" }, NOW);
  assert.equal(overBudget.code, "monthly_budget");
});

Deno.test("assessSpend() rejects an amount that is not a plain decimal", () => {
  assert.throws(() => assessSpend("1e3", [], LIMITS, NOW), /Invalid estimated cost "1e3"/);
  assert.throws(() => assessSpend("-1", [], LIMITS, NOW), RangeError);
});

Deno.test("jobSpendUsd() and formatUsd() keep exact amounts", () => {
  assert.equal(
    jobSpendUsd(job({ status: "running", estimatedCostUsd: "0.000123" })).toFixed(),
    "0.000123",
  );
  assert.equal(formatUsd("0.000123"), "$0.000123");
  assert.equal(formatUsd("12.5"), "$12.50");
  assert.equal(formatUsd("7"), "$7.00");
});
