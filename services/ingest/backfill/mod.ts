/**
 * Backfill support: trading sessions, gap detection over stored ticks, spend limits and the cost
 * report behind `deno task ingest backfill`.
 * @module
 */
export { type Interval, isOpen, openIntervals, zonedTimeToUtcNs } from "./sessions.ts";
export { findGaps, type FindGapsOptions, type Gap, GapFinder } from "./gaps.ts";
export { scanGaps, type ScanGapsOptions, storedTimes } from "./gap_scan.ts";
export {
  assessSpend,
  checkSpend,
  formatUsd,
  jobSpendUsd,
  monthOf,
  monthSpendUsd,
  parseUsd,
  type SpendAssessment,
  type SpendLimitCode,
  SpendLimitError,
  type SpendLimits,
} from "./budget.ts";
export { type CostReport, costReport, type CostRow, isRefused } from "./cost_report.ts";
export {
  createEstimatedJob,
  type Estimate,
  estimatePlan,
  recordRefusal,
  sumEstimates,
} from "./estimate.ts";
