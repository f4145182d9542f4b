/**
 * What the `backfill` subcommands share: injected dependencies (tests), the request flags, the
 * Databento client, the spend limits, and running one estimated job with progress and Ctrl+C.
 * @module
 */
import { join } from "node:path";
import { Progress, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { createLogger, type Logger } from "@shared/obs/mod.ts";
import {
  type BackfillJob,
  getBackfillJob,
  listBackfillJobs,
  type Store,
  TickRepository,
} from "@shared/storage/mod.ts";
import { parseUsd, type SpendLimits } from "../backfill/mod.ts";
import {
  FetchInterruptedError,
  type FetchPlan,
  type FetchRequest,
  type FetchResult,
  isoOfNs,
  runFetch,
} from "../historical/mod.ts";
import { DatabentoError, DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { configFrom, withStore } from "./_context.ts";

/** Dependencies of `backfillCommand` that tests replace. */
export interface BackfillCommandOptions {
  /** Use this config instead of loading the one the flags name. */
  config?: AppConfig;
  /** Use this (open, migrated) store instead of opening the configured one; it is not closed. */
  store?: Store;
  /** Where the output goes (default stdout). */
  write?: (text: string) => void;
  /** The clock of the monthly budget (default: now). */
  now?: () => Date;
  /** Use this client instead of one from `[databento]`. */
  client?: DatabentoHistoricalClient;
}

/** One subcommand run: config, output and the injected parts. */
export interface BackfillContext {
  config: AppConfig;
  write: (text: string) => void;
  now: () => Date;
  logger: Logger;
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  client(): DatabentoHistoricalClient;
}

/** The context of one subcommand, from its flags and the injected options. */
export function backfillContext(
  values: { config?: string; mode?: string; dir?: string },
  options: BackfillCommandOptions,
): BackfillContext {
  const config = options.config ?? configFrom(values);
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    service: "ingest",
  });
  return {
    config,
    write: options.write ?? writeStdout,
    now: options.now ?? (() => new Date()),
    logger,
    withStore: (fn) => options.store !== undefined ? fn(options.store) : withStore(config, fn),
    client: () => options.client ?? databentoClient(config, logger),
  };
}

/** The client of `[databento]`; a missing key is a UsageError naming DATABENTO_API_KEY. */
function databentoClient(config: AppConfig, logger: Logger): DatabentoHistoricalClient {
  try {
    return DatabentoHistoricalClient.fromConfig(config.databento, logger);
  } catch (e) {
    if (e instanceof DatabentoError && e.code === "no_api_key") {
      throw new UsageError(e.message, { cause: e });
    }
    throw e;
  }
}

/** Flags of a request (estimate, fetch, fill-gaps). */
export const REQUEST_OPTIONS = {
  symbols: { type: "string" },
  exchange: { type: "string" },
  "asset-type": { type: "string" },
  start: { type: "string" },
  end: { type: "string" },
  schema: { type: "string" },
  provider: { type: "string" },
  dataset: { type: "string" },
} as const;

/** The request the flags describe, with --symbols and --exchange required. */
export function requestOf(
  values: {
    symbols?: string;
    exchange?: string;
    "asset-type"?: string;
    start?: string;
    end?: string;
    schema?: string;
    provider?: string;
    dataset?: string;
  },
  range: { start: string; end: string } | undefined,
): FetchRequest {
  if (values.symbols === undefined) throw new UsageError(`Option "--symbols" is required`);
  if (values.exchange === undefined) throw new UsageError(`Option "--exchange" is required`);
  const start = range?.start ?? values.start;
  const end = range?.end ?? values.end;
  if (start === undefined) throw new UsageError(`Option "--start" is required`);
  if (end === undefined) throw new UsageError(`Option "--end" is required`);
  return {
    symbols: values.symbols.split(","),
    exchange: values.exchange,
    assetType: values["asset-type"],
    start,
    end,
    schema: values.schema,
    provider: values.provider,
    dataset: values.dataset,
  };
}

/** `[backfill]` limits, with `--max-cost` replacing the per-job cap for this run. */
export function limitsOf(config: AppConfig, maxCost: string | undefined): SpendLimits {
  if (maxCost === undefined) return config.backfill;
  try {
    parseUsd("--max-cost", maxCost);
  } catch {
    throw new UsageError(
      `Option "--max-cost" expects a USD amount like "12.50", got ${JSON.stringify(maxCost)}`,
    );
  }
  return { ...config.backfill, max_job_cost_usd: maxCost };
}

/** Every job (newest first): the monthly budget and the cost report need them all. */
export function allJobs(store: Store): Promise<BackfillJob[]> {
  return listBackfillJobs(store, { limit: 1_000_000 });
}

/** Asks on a terminal unless `yes`; without a terminal there is no one to ask (proceeds). */
export function confirmed(question: string, yes: boolean): boolean {
  if (yes || !Deno.stdin.isTerminal()) return true;
  return confirm(question);
}

/** What {@linkcode runJob} ended with. */
export interface JobOutcome {
  job: BackfillJob;
  result: FetchResult;
  /** Ctrl+C stopped it (the job is left resumable). */
  interrupted: boolean;
  seconds: number;
}

/**
 * Runs `job` (created with its estimate) through runFetch into the database, with a progress bar
 * on a terminal and Ctrl+C leaving the job resumable. Provider errors propagate (the job is
 * marked failed by runFetch).
 */
export async function runJob(
  ctx: BackfillContext,
  store: Store,
  plan: FetchPlan,
  o: { job: BackfillJob; client: DatabentoHistoricalClient; quiet: boolean; total?: number },
): Promise<JobOutcome> {
  const progress = new Progress({
    total: o.total,
    unit: "records",
    write: writeStderr,
    enabled: !o.quiet && Deno.stderr.isTerminal(),
  });
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  Deno.addSignalListener("SIGINT", onSigint);
  let result: FetchResult;
  let interrupted = false;
  let seconds = 0;
  try {
    result = await runFetch(o.client, plan, {
      repo: TickRepository.forConfig(store, ctx.config.database),
    }, {
      store,
      job: o.job,
      kind: o.job.kind,
      signal: controller.signal,
      logger: ctx.logger,
      batchSize: ctx.config.database.batch_size,
      retries: ctx.config.databento.retries,
      lockDir: join(ctx.config.database.data_dir, "locks"),
      onProgress: (p) => progress.update(p.records, p.bytes),
      onResume: (r) => {
        if (!o.quiet) {
          writeStderr(
            `resuming job ${o.job.id} from ${
              isoOfNs(r.fromNs)
            } (${r.records} records already stored)\n`,
          );
        }
      },
    });
  } catch (e) {
    if (!(e instanceof FetchInterruptedError)) throw e;
    result = e.result;
    interrupted = true;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    seconds = progress.finish();
  }
  const job = await getBackfillJob(store, o.job.id) ?? o.job;
  return { job, result, interrupted, seconds };
}
