/**
 * `deno task ingest backfill estimate|fetch|fill-gaps|status|cost-report`: historical downloads
 * from Databento with cost tracking (seed 001, "Backfill with cost tracking").
 * @module
 */
import { intFlag, parseFlags, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { formatBytes, formatCount } from "./_table.ts";
import {
  assessSpend,
  checkSpend,
  costReport,
  createEstimatedJob,
  estimatePlan,
  formatUsd,
  monthOf,
  monthSpendUsd,
  recordRefusal,
  SpendLimitError,
} from "../backfill/mod.ts";
import {
  checkFetchTargets,
  describePlan,
  findFetchJob,
  resolveFetchPlan,
} from "../historical/mod.ts";
import { EXIT_INTERRUPTED } from "./fetch.ts";
import { CONFIG_HELP, CONFIG_OPTIONS, expectPositionals, toJson } from "./_context.ts";
import {
  allJobs,
  type BackfillCommandOptions,
  backfillContext,
  confirmed,
  limitsOf,
  REQUEST_OPTIONS,
  requestOf,
  runJob,
} from "./_backfill_context.ts";
import {
  planJson,
  renderCostReport,
  renderDetails,
  renderEstimate,
  renderJobs,
  renderSpend,
} from "./_backfill_render.ts";
import { fillGaps } from "./_backfill_fill_gaps.ts";

export type { BackfillCommandOptions } from "./_backfill_context.ts";

/** Help of `backfill`. */
export const BACKFILL_USAGE = `Usage: deno task ingest backfill <command> [options]

Commands:
  estimate --symbols A[,B] --exchange EX --start S --end E [--asset-type T] [--schema S]
           [--provider P] [--dataset D] [--max-cost USD] [--verbose] [--json]
                                      records, billable bytes and USD of a request by
                                      Databento's metadata calls, and whether the spend limits
                                      allow it; spends nothing, writes no job
  fetch    (the estimate options) [--max-cost USD] [--yes] [--force] [--quiet] [--json]
                                      estimate, check the spend limits, then download into the
                                      database as a job carrying the estimate and, when done,
                                      the actual cost; an interrupted job resumes when the same
                                      command runs again; a done one is not fetched again
                                      unless --force
  fill-gaps --symbols A[,B] --exchange EX [--asset-type T] [--start S --end E] [--max-gap D]
           [--schema trades] [--all-hours] [--dry-run] [--max-cost USD] [--yes] [--json]
                                      find silences longer than --max-gap (default [backfill]
                                      max_gap_secs) in the stored ticks inside trading sessions
                                      (default range: each symbol's first..last stored tick),
                                      estimate them, then fetch exactly those ranges, one job
                                      each (--dry-run: list and estimate only)
  status [--detailed] [--limit N] [--json]
                                      jobs and running/failed counts; --detailed adds the
                                      routing, the spend limits, this month's spend and errors
  cost-report [--since YYYY-MM] [--json]
                                      jobs, records, bytes, estimated and actual USD per
                                      provider, dataset, schema and month (UTC)

Times: YYYY-MM-DD (UTC midnight), YYYY-MM-DDTHH:MM[:SS[.fffffffff]][Z] (UTC) or integer ns;
--end is exclusive. --max-gap: 90s, 5m, 2h.
Spend limits ([backfill]): a request estimated above max_job_cost_usd is refused (--max-cost
replaces that cap for one run; a fill-gaps run is one request: its gaps together), and so is
one that would take this UTC month's spend (actual cost of done jobs and of what failed or
interrupted ones delivered, estimate of running and pending ones; by the month a job was
created) above monthly_budget_usd. A refusal
exits 2, downloads nothing and is recorded as a cancelled job with the reason (see status and
cost-report). On a terminal, fetch and fill-gaps ask before spending unless --yes.
Trading sessions of gap detection (--all-hours ignores them): futures Sunday 17:00 to Friday
16:00 America/Chicago with a daily 16:00-17:00 halt; equities Monday-Friday 09:30-16:00
America/New_York; crypto and other types around the clock. Exchange holidays and early closes
are not modelled: a holiday may be listed as a gap, and fetching it finds no records.
The API key comes from DATABENTO_API_KEY; DATABENTO_HIST_URL overrides [databento] hist_url.

${CONFIG_HELP}`;

/** Runs `backfill <args>`; returns the exit code. `options` replace dependencies in tests. */
export async function backfillCommand(
  args: string[],
  options: BackfillCommandOptions = {},
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "estimate":
      return await estimate(rest, options);
    case "fetch":
      return await fetch(rest, options);
    case "fill-gaps":
      return await fillGaps(rest, options, help);
    case "status":
      return await status(rest, options);
    case "cost-report":
      return await report(rest, options);
    case undefined:
      throw new UsageError(
        "Missing command: backfill estimate|fetch|fill-gaps|status|cost-report (see --help)",
      );
    case "-h":
    case "--help":
      return help(options);
    default:
      throw new UsageError(
        `Unknown command "backfill ${command}" (expected estimate, fetch, fill-gaps, status or cost-report)`,
      );
  }
}

function help(options: BackfillCommandOptions): number {
  (options.write ?? writeStdout)(BACKFILL_USAGE);
  return 0;
}

const ESTIMATE_OPTIONS = {
  ...CONFIG_OPTIONS,
  ...REQUEST_OPTIONS,
  "max-cost": { type: "string" },
  verbose: { type: "boolean" },
  json: { type: "boolean" },
} as const;

async function estimate(args: string[], options: BackfillCommandOptions): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: ESTIMATE_OPTIONS,
    allowPositionals: true,
  });
  if (values.help) return help(options);
  expectPositionals(
    positionals,
    0,
    "backfill estimate --symbols A --exchange EX --start S --end E",
  );
  const ctx = backfillContext(values, options);
  const plan = resolveFetchPlan(ctx.config, requestOf(values, undefined));
  const limits = limitsOf(ctx.config, values["max-cost"]);
  const e = await estimatePlan(ctx.client(), plan);
  const jobs = await ctx.withStore(allJobs);
  const spend = assessSpend(e.costUsd, jobs, limits, ctx.now());
  if (values.json) {
    ctx.write(toJson({ plan: planJson(plan), ...e, spend }));
    return 0;
  }
  if (values.verbose) ctx.write(describePlan(plan, { store: true }).join("\n") + "\n");
  ctx.write(renderEstimate(plan, e) + renderSpend(spend, values["max-cost"] !== undefined));
  return 0;
}

async function fetch(args: string[], options: BackfillCommandOptions): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: {
      ...ESTIMATE_OPTIONS,
      yes: { type: "boolean", short: "y" },
      force: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
    },
    allowPositionals: true,
  });
  if (values.help) return help(options);
  expectPositionals(positionals, 0, "backfill fetch --symbols A --exchange EX --start S --end E");
  const ctx = backfillContext(values, options);
  const plan = resolveFetchPlan(ctx.config, requestOf(values, undefined));
  checkFetchTargets(plan, { store: true });
  const limits = limitsOf(ctx.config, values["max-cost"]);
  const quiet = values.quiet === true || values.json === true;
  const client = ctx.client();
  // Always estimated first: nothing is spent before the limits have seen the estimate.
  const e = await estimatePlan(client, plan);
  if (values.verbose && !values.json) {
    ctx.write(describePlan(plan, { store: true }).join("\n") + "\n");
  }
  if (!quiet) ctx.write(renderEstimate(plan, e));
  return await ctx.withStore(async (store) => {
    const force = values.force === true;
    const done = force ? undefined : await findFetchJob(store, plan, { store: true }, ["done"]);
    if (done !== undefined) {
      ctx.write(
        values.json
          ? toJson({ plan: planJson(plan), ...e, job: done, skipped: true })
          : `already fetched by job ${done.id} (${
            formatCount(done.recordCount)
          } records); --force fetches again\n`,
      );
      return 0;
    }
    let job = force ? undefined : await findFetchJob(store, plan, { store: true });
    // A job being resumed is already counted at its estimate: count it once.
    const jobs = (await allJobs(store)).filter((j) => j.id !== job?.id);
    let spend;
    try {
      spend = checkSpend(e.costUsd, jobs, limits, ctx.now());
    } catch (error) {
      if (!(error instanceof SpendLimitError)) throw error;
      const refused = await recordRefusal(store, plan, e, {
        kind: "backfill",
        reason: error.message,
      });
      throw new UsageError(`${error.message} (recorded as job ${refused.id})`, { cause: error });
    }
    if (!quiet) ctx.write(renderSpend(spend, values["max-cost"] !== undefined));
    if (
      !confirmed(
        `Fetch ${formatCount(e.records)} records for ${formatUsd(e.costUsd)}?`,
        values.yes === true,
      )
    ) {
      ctx.write("not fetched\n");
      return 1;
    }
    job ??= await createEstimatedJob(store, plan, e, "backfill");
    const outcome = await runJob(ctx, store, plan, { job, client, quiet, total: e.records });
    const r = outcome.result;
    if (values.json) {
      ctx.write(toJson({ plan: planJson(plan), ...e, spend, job: outcome.job, result: r }));
    } else {
      ctx.write(
        `job ${outcome.job.id} ${outcome.job.status}: ${formatCount(r.records)} records, ${
          formatCount(r.inserted)
        } inserted, ${formatCount(r.duplicates)} duplicates, ${
          formatBytes(r.bytes)
        } received, estimated ${formatUsd(e.costUsd)}, actual ${
          outcome.job.actualCostUsd === undefined ? "-" : formatUsd(outcome.job.actualCostUsd)
        }, ${outcome.seconds.toFixed(1)}s\n`,
      );
    }
    if (outcome.interrupted) {
      if (!values.json) {
        ctx.write(`interrupted: job ${outcome.job.id} resumes when the same command runs again\n`);
      }
      return EXIT_INTERRUPTED;
    }
    return 0;
  });
}

async function status(args: string[], options: BackfillCommandOptions): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: {
      ...CONFIG_OPTIONS,
      detailed: { type: "boolean" },
      limit: { type: "string" },
      json: { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (values.help) return help(options);
  expectPositionals(positionals, 0, "backfill status [--detailed] [--limit N] [--json]");
  const limit = values.limit === undefined ? 50 : intFlag("limit", values.limit, 1, 100_000);
  const ctx = backfillContext(values, options);
  const jobs = await ctx.withStore(allJobs);
  const shown = jobs.slice(0, limit);
  const counts: Record<string, number> = {
    pending: 0,
    running: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const job of jobs) counts[job.status] = (counts[job.status] ?? 0) + 1;
  const now = ctx.now();
  const spend = { month: monthOf(now), spentUsd: monthSpendUsd(jobs, now).toFixed() };
  if (values.json) {
    const c = ctx.config;
    ctx.write(toJson({
      jobs: shown,
      total: jobs.length,
      counts,
      ...(values.detailed
        ? {
          routing: c.routing,
          limits: {
            maxJobCostUsd: c.backfill.max_job_cost_usd,
            monthlyBudgetUsd: c.backfill.monthly_budget_usd,
            maxGapSecs: c.backfill.max_gap_secs,
            sessions: c.backfill.sessions,
          },
          month: spend.month,
          monthSpentUsd: spend.spentUsd,
        }
        : {}),
    }));
    return 0;
  }
  ctx.write(renderJobs(shown));
  if (jobs.length > shown.length) {
    ctx.write(`(${jobs.length - shown.length} older jobs not shown; --limit N)\n`);
  }
  ctx.write(
    `${formatCount(jobs.length)} job${
      jobs.length === 1 ? "" : "s"
    }: ${counts.running} running, ${counts.failed} failed, ${counts.done} done, ${counts.pending} pending, ${counts.cancelled} cancelled\n`,
  );
  if (values.detailed) ctx.write("\n" + renderDetails(ctx.config, spend, shown));
  return 0;
}

async function report(args: string[], options: BackfillCommandOptions): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: { ...CONFIG_OPTIONS, since: { type: "string" }, json: { type: "boolean" } },
    allowPositionals: true,
  });
  if (values.help) return help(options);
  expectPositionals(positionals, 0, "backfill cost-report [--since YYYY-MM] [--json]");
  const since = values.since;
  if (since !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(since)) {
    throw new UsageError(`Option "--since" expects a month YYYY-MM, got ${JSON.stringify(since)}`);
  }
  const ctx = backfillContext(values, options);
  const r = costReport(await ctx.withStore(allJobs), { since });
  ctx.write(values.json ? toJson(r) : renderCostReport(r));
  return 0;
}
