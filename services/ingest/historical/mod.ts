/**
 * Historical fetches: a request routed to a Databento dataset (`resolveFetchPlan`), downloaded
 * with get_range into tick_data and/or a DBN file (`runFetch`), checkpointed in backfill_jobs so
 * that an interrupted fetch continues where it stopped.
 * @module
 */
export {
  checkFetchTargets,
  describePlan,
  type FetchPlan,
  type FetchRequest,
  type FetchTargetsSpec,
  RANGE_SCHEMAS,
  rangeParams,
  resolveFetchPlan,
  type ResolveFetchPlanOptions,
} from "./fetch_plan.ts";
export {
  FetchInterruptedError,
  type FetchOptions,
  type FetchProgress,
  type FetchResult,
  type FetchTargets,
  findFetchJob,
  jobRequest,
  runFetch,
} from "./fetch_runner.ts";
export { DbnFileSink, FileResumeError, hasSidecar, sidecarPath } from "./file_sink.ts";
export { JobBusyError, JobLock } from "./job_lock.ts";
export { isoOfNs, parseTimeNs } from "./_time.ts";
export { SymbolDirectory, TICK_SCHEMAS, TradeIds } from "./trade_ticks.ts";
