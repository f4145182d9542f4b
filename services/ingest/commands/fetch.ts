/**
 * `deno task ingest fetch`: download a historical range from Databento (routed by `[routing]`)
 * into the database and/or a DBN file, with a progress bar, checkpoints and resume: the same
 * command run again after Ctrl+C or a failure continues the unfinished job.
 * @module
 */
import { join } from "node:path";
import { parseFlags, Progress, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { createLogger } from "@shared/obs/mod.ts";
import { type Store, TickRepository } from "@shared/storage/mod.ts";
import { DatabentoError, DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import {
  checkFetchTargets,
  describePlan,
  FetchInterruptedError,
  type FetchPlan,
  type FetchResult,
  FileResumeError,
  findFetchJob,
  isoOfNs,
  rangeParams,
  resolveFetchPlan,
  runFetch,
} from "../historical/mod.ts";
import {
  CONFIG_HELP,
  CONFIG_OPTIONS,
  configFrom,
  expectPositionals,
  withStore,
} from "./_context.ts";
import { formatBytes, formatCount } from "./_table.ts";
import { checkSpend, type Estimate, estimatePlan, SpendLimitError } from "../backfill/mod.ts";
import { allJobs, limitsOf, REQUEST_OPTIONS } from "./_backfill_context.ts";

/** Help of `fetch`. */
export const FETCH_USAGE =
  `Usage: deno task ingest fetch --symbols A[,B] --exchange EX --start S --end E [options]

Downloads trades (or any schema into a file) from Databento's historical API. The provider and
dataset come from [routing] (asset type, exchange, symbol routes); each fetch is a job in
backfill_jobs, checkpointed as it goes: after Ctrl+C, a cut connection or a crash, running the
same command again resumes it. A finished identical fetch is not repeated unless --force.
A new fetch is costed first (metadata.get_cost) and refused above the [backfill] spend limits.

Options:
      --symbols A[,B]     raw symbols (ESH5, AAPL); all must route to one dataset
      --exchange EX       the exchange the ticks are stored under (CME, NASDAQ)
      --asset-type T      futures, equity, crypto, ... (default: inferred from the symbol)
      --start S           inclusive: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fffffffff]][Z] (UTC) or ns
      --end E             exclusive, same forms
      --schema S          default [backfill] default_schema; the database stores trades, tbbo
                          and the trades of mbp-1, other schemas need -o FILE --no-store
      --provider P        override routing (historical fetches need databento)
      --dataset D         override the dataset (GLBX.MDP3, XNAS.ITCH, ...)
      --stype-in T        symbology of --symbols (default raw_symbol)
  -o, --output FILE       also write the DBN stream as received to FILE.dbn or FILE.dbn.zst
      --no-store          write only the file, not the database
      --dry-run           print the plan and the estimate (records, bytes, USD); fetch nothing
      --verbose           print how the routing resolved (symbols, dataset, tier, range)
      --force             fetch again even if an identical fetch finished; overwrite FILE
      --max-cost USD      per-request spend limit for this run (default [backfill] max_job_cost_usd)
      --quiet             no progress bar

Needs DATABENTO_API_KEY (DATABENTO_HIST_URL overrides [databento] hist_url). Exit codes: 0 ok,
2 bad flags or no API key, 1 failure (the API's message), 130 interrupted (resumable).

${CONFIG_HELP}`;

/** Exit code of an interrupted fetch (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** Options of {@linkcode fetchCommand} (tests; the defaults are the real process). */
export interface FetchCommandOptions {
  /** Stops the fetch like Ctrl+C (default: SIGINT). */
  signal?: AbortSignal;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Draw the progress bar (default: stderr is a terminal). */
  isTerminal?: boolean;
  /** The config to use instead of loading it from the flags and the environment. */
  config?: AppConfig;
}

const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...REQUEST_OPTIONS,
  "stype-in": { type: "string" },
  output: { type: "string", short: "o" },
  "no-store": { type: "boolean" },
  "dry-run": { type: "boolean" },
  verbose: { type: "boolean" },
  force: { type: "boolean" },
  quiet: { type: "boolean" },
  "max-cost": { type: "string" },
} as const;

/** Runs `fetch <args>`; returns the exit code. */
export async function fetchCommand(
  args: string[],
  options: FetchCommandOptions = {},
): Promise<number> {
  const out = options.stdout ?? writeStdout;
  const err = options.stderr ?? writeStderr;
  const { values, positionals } = parseFlags(args, { options: OPTIONS, allowPositionals: true });
  if (values.help) {
    out(FETCH_USAGE);
    return 0;
  }
  expectPositionals(positionals, 0, "fetch --symbols A[,B] --exchange EX --start S --end E");
  for (const name of ["symbols", "exchange", "start", "end"] as const) {
    if (values[name] === undefined) throw new UsageError(`Option "--${name}" is required`);
  }
  const config = options.config ?? configFrom(values);
  const plan = resolveFetchPlan(config, {
    symbols: values.symbols!.split(","),
    exchange: values.exchange!,
    assetType: values["asset-type"],
    start: values.start!,
    end: values.end!,
    schema: values.schema,
    provider: values.provider,
    dataset: values.dataset,
    stypeIn: values["stype-in"],
  });
  const targets = { store: values["no-store"] !== true, outPath: values.output };
  const limits = limitsOf(config, values["max-cost"]);
  checkFetchTargets(plan, targets);
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    service: "ingest",
    sink: (line) => err(`${line}\n`),
  });
  if (values.verbose) out(`${describePlan(plan, targets).join("\n")}\n`);
  if (values["dry-run"]) {
    out(`${planLine(plan)}\n`);
    if (config.databento.api_key === undefined) {
      out("estimate skipped: DATABENTO_API_KEY is not set (no request was made)\n");
      return 0;
    }
    const client = DatabentoHistoricalClient.fromConfig(config.databento, logger);
    const params = rangeParams(plan);
    const [records, bytes, usd] = await Promise.all([
      client.getRecordCount(params),
      client.getBillableSize(params),
      client.getCost(params),
    ]);
    out(`estimate: ${formatCount(records)} records, ${formatBytes(bytes)} billable, $${usd}\n`);
    out("dry run: nothing fetched\n");
    return 0;
  }
  let client: DatabentoHistoricalClient;
  try {
    client = DatabentoHistoricalClient.fromConfig(config.databento, logger);
  } catch (e) {
    if (e instanceof DatabentoError && e.code === "no_api_key") {
      throw new UsageError(e.message, { cause: e });
    }
    throw e;
  }
  return await withStore(config, async (store) => {
    const force = values.force === true;
    if (!force) {
      const done = await findFetchJob(store, plan, targets, ["done"]);
      if (done !== undefined) {
        out(
          `already fetched: job ${done.id} (${formatCount(done.recordCount)} records, ${
            formatCount(done.insertedCount)
          } inserted); pass --force to fetch again\n`,
        );
        return 0;
      }
      await refuseExistingFile(store, plan, targets);
    }
    const resuming = force ? undefined : await findFetchJob(store, plan, targets);
    const estimate = resuming === undefined
      ? await checkLimits(store, client, plan, limits)
      : undefined;
    const progress = new Progress({
      unit: "records",
      write: err,
      enabled: values.quiet !== true && (options.isTerminal ?? Deno.stderr.isTerminal()),
    });
    const stop = new AbortController();
    // The first Ctrl+C stops at a checkpoint; a second one exits at once.
    const onInterrupt = () => stop.signal.aborted ? Deno.exit(EXIT_INTERRUPTED) : stop.abort();
    if (options.signal === undefined) Deno.addSignalListener("SIGINT", onInterrupt);
    let result: FetchResult;
    try {
      result = await runFetch(client, plan, {
        repo: targets.store ? TickRepository.forConfig(store, config.database) : undefined,
        outPath: targets.outPath,
      }, {
        store,
        fresh: force,
        estimate,
        batchSize: config.database.batch_size,
        retries: config.databento.retries,
        lockDir: join(config.database.data_dir, "locks"),
        logger,
        signal: options.signal ?? stop.signal,
        onProgress: (p) => progress.update(p.records, p.bytes),
        onResume: (info) =>
          out(
            `resuming job ${info.jobId ?? "-"} from ${isoOfNs(info.fromNs)} (${
              formatCount(info.records)
            } records already stored)\n`,
          ),
      });
    } catch (e) {
      progress.finish();
      if (e instanceof FetchInterruptedError) {
        const r = e.result;
        err(
          `interrupted: ${formatCount(r.records)} records stored; job ${
            r.jobId ?? "-"
          } is left resumable: run the same command again to continue\n`,
        );
        return EXIT_INTERRUPTED;
      }
      if (e instanceof FileResumeError) {
        throw new UsageError(`${e.message}; pass --force to start over`, { cause: e });
      }
      throw e;
    } finally {
      if (options.signal === undefined) Deno.removeSignalListener("SIGINT", onInterrupt);
    }
    out(`${summaryLine(result, progress.finish(), targets.store)}\n`);
    return 0;
  });
}

/** Nothing is spent before the estimate has passed the spend limits (one line when refused). */
async function checkLimits(
  store: Store,
  client: DatabentoHistoricalClient,
  plan: FetchPlan,
  limits: ReturnType<typeof limitsOf>,
): Promise<Estimate> {
  const estimate = await estimatePlan(client, plan);
  try {
    checkSpend(estimate.costUsd, await allJobs(store), limits, new Date());
    return estimate;
  } catch (e) {
    if (!(e instanceof SpendLimitError)) throw e;
    throw new UsageError(`${e.message}; nothing was fetched`, { cause: e });
  }
}

/** A file in the way of a new fetch: refused unless an unfinished job of this request owns it. */
async function refuseExistingFile(
  store: Store,
  plan: FetchPlan,
  targets: { store: boolean; outPath?: string },
): Promise<void> {
  if (targets.outPath === undefined) return;
  try {
    await Deno.stat(targets.outPath);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (await findFetchJob(store, plan, targets) !== undefined) return;
  throw new UsageError(`Output file "${targets.outPath}" exists; pass --force to overwrite it`);
}

function planLine(plan: FetchPlan): string {
  return `plan: ${
    plan.symbols.join(",")
  } on ${plan.exchange} -> ${plan.provider} ${plan.dataset} ${plan.schema}, ${
    isoOfNs(plan.startNs)
  } .. ${isoOfNs(plan.endNs)}`;
}

function summaryLine(r: FetchResult, seconds: number, stored: boolean): string {
  const parts = [
    `fetched ${formatCount(r.records)} records (${formatBytes(r.bytes)} received) in ${
      seconds.toFixed(1)
    } s`,
  ];
  if (stored) {
    const counts = [
      `${formatCount(r.inserted)} inserted`,
      `${formatCount(r.duplicates)} duplicates`,
    ];
    if (r.notStored > 0) counts.push(`${formatCount(r.notStored)} not stored (not trades)`);
    parts.push(counts.join(", "));
  }
  if (r.outPath !== undefined) parts.push(`file ${r.outPath}`);
  if (r.jobId !== undefined) parts.push(`job ${r.jobId}`);
  return parts.join("; ");
}
