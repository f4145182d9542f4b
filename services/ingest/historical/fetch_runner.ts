/**
 * Runs a historical fetch: one get_range download of a plan into the database (trades ->
 * tick_data) and/or a DBN file, recorded as a backfill_jobs row with checkpoints. A cut stream
 * or transient error is retried from the last checkpoint; an interrupted run (Ctrl+C, a crash)
 * is continued by running the same request again, which finds the unfinished job.
 * @module
 */
import { resolve } from "node:path";
import { Decimal } from "decimal.js";
import { createNullLogger, type Logger } from "@shared/obs/mod.ts";
import {
  type BackfillJob,
  type BackfillKind,
  createBackfillJob,
  findBackfillJob,
  InstrumentRegistry,
  type Store,
  type TickRepository,
  UNFINISHED_STATUSES,
  updateBackfillJob,
} from "@shared/storage/mod.ts";
import type { DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { download } from "./_download.ts";
import { FetchRun } from "./_fetch_run.ts";
import { JobLock } from "./job_lock.ts";
import { checkFetchTargets, type FetchPlan, rangeParams } from "./fetch_plan.ts";
import { DbnFileSink, hasSidecar } from "./file_sink.ts";

/** Where the records go: the database (trades), a DBN file, or both. */
export interface FetchTargets {
  repo?: TickRepository;
  /** Default: a registry over `repo`'s store. */
  registry?: InstrumentRegistry;
  /** A `.dbn` or `.dbn.zst` path (zstd by extension). */
  outPath?: string;
}

/** Progress of a running fetch. */
export interface FetchProgress {
  /** Records handled so far (of the whole job, a resumed part included). */
  records: number;
  /** Compressed bytes received by this run. */
  bytes: number;
}

/** What a fetch did. Counts are of the whole job (earlier runs of a resumed job included). */
export interface FetchResult {
  records: number;
  /** Compressed bytes received by this run. */
  bytes: number;
  inserted: number;
  duplicates: number;
  /** Records of this run that tick_data cannot hold (not trades, no price), when storing. */
  notStored: number;
  /** Set when the run continued an earlier one: the index time it started from. */
  resumedFromNs?: bigint;
  /** Records the earlier runs had handled. */
  resumedRecords?: number;
  jobId?: number;
  outPath?: string;
}

/** Options of {@linkcode runFetch}. */
export interface FetchOptions {
  /** For backfill_jobs checkpoints; when given, the fetch is a job row. */
  store?: Store;
  /** Continue this job instead of finding one (e.g. one `backfill` created with its estimate). */
  job?: BackfillJob;
  /** The kind of a job created here (default "fetch"). */
  kind?: BackfillKind;
  /** Where job lock files go (`<data_dir>/locks`); without it the job is not claimed. */
  lockDir?: string;
  /** Recorded on a job created here: what the limits were checked against. */
  estimate?: { costUsd: string; bytes: number };
  /** Start over: neither an unfinished job nor a file's checkpoint is continued. */
  fresh?: boolean;
  /** Told once when the run continues an earlier one. */
  onResume?: (info: { jobId?: number; fromNs: bigint; records: number }) => void;
  onProgress?: (progress: FetchProgress) => void;
  /** Aborting stops the download, keeps the checkpoint, and throws a FetchInterruptedError. */
  signal?: AbortSignal;
  logger?: Logger;
  /** Ticks per database insert (and checkpoint); config `[database] batch_size` (default 1000). */
  batchSize?: number;
  /** Downloads after a cut stream or transient error (default 3, config `[databento] retries`). */
  retries?: number;
  /** Wait before the n-th new download: n times this (default 1000 ms). */
  retryDelayMs?: number;
  /** File-only fetches checkpoint after this many bytes of records (default 8 MiB). */
  checkpointBytes?: number;
}

/** A fetch stopped by its AbortSignal; the job is left resumable (status cancelled). */
export class FetchInterruptedError extends Error {
  override readonly name = "FetchInterruptedError";
  /** What was durable when it stopped. */
  readonly result: FetchResult;

  constructor(result: FetchResult, options?: ErrorOptions) {
    super(
      `Fetch interrupted after ${result.records} records${
        result.jobId === undefined ? "" : `; job ${result.jobId} can be resumed`
      }`,
      options,
    );
    this.result = result;
  }
}

/** What a backfill_jobs row records of a plan (and finds it by). */
export function jobRequest(plan: FetchPlan) {
  return {
    provider: plan.provider,
    dataset: plan.dataset,
    schema: plan.schema,
    symbols: plan.symbols,
    startNs: plan.startNs,
    endNs: plan.endNs,
    exchange: plan.exchange,
  };
}

/** The job row of a plan and targets, if one exists in these statuses (for --force checks). */
export async function findFetchJob(
  store: Store,
  plan: FetchPlan,
  targets: { store: boolean; outPath?: string },
  statuses: Parameters<typeof findBackfillJob>[2] = UNFINISHED_STATUSES,
): Promise<BackfillJob | undefined> {
  return await findBackfillJob(store, {
    ...jobRequest(plan),
    outputPath: targets.outPath === undefined ? undefined : resolve(targets.outPath),
    storeTicks: targets.store,
  }, statuses);
}

/** Runs `plan` into `targets`; see the module doc. */
export async function runFetch(
  client: DatabentoHistoricalClient,
  plan: FetchPlan,
  targets: FetchTargets,
  options: FetchOptions = {},
): Promise<FetchResult> {
  const { store, signal } = options;
  const logger = options.logger ?? createNullLogger();
  const repo = targets.repo;
  const outPath = targets.outPath === undefined ? undefined : resolve(targets.outPath);
  checkFetchTargets(plan, { store: repo !== undefined, outPath });
  if (options.job?.status === "done") throw new RangeError(`Job ${options.job.id} is done already`);
  let job = options.job;
  if (job === undefined && store !== undefined) {
    const targetsKey = { store: repo !== undefined, outPath };
    job = options.fresh ? undefined : await findFetchJob(store, plan, targetsKey);
    job ??= await createBackfillJob(store, {
      ...jobRequest(plan),
      kind: options.kind ?? "fetch",
      ...(options.estimate === undefined ? {} : {
        estimatedCostUsd: options.estimate.costUsd,
        estimatedBytes: BigInt(options.estimate.bytes),
      }),
      outputPath: outPath,
      storeTicks: repo !== undefined,
    });
  }
  // Claimed before the file is touched: a second identical fetch stops here with one line.
  const lock = job !== undefined && options.lockDir !== undefined
    ? await JobLock.acquire(options.lockDir, job.id)
    : undefined;
  try {
    const sink = outPath === undefined ? undefined : await openSink(outPath, plan, job, options);
    const run = new FetchRun(plan, {
      repo,
      registry: repo === undefined
        ? undefined
        : targets.registry ?? new InstrumentRegistry(repo.store),
      sink,
      store,
      job,
      batchSize: options.batchSize ?? 1000,
      checkpointBytes: options.checkpointBytes ?? 8 * 1024 * 1024,
      logger,
      onProgress: options.onProgress,
      signal,
    });
    const resumed = run.start;
    if (resumed !== undefined) {
      options.onResume?.({ jobId: job?.id, fromNs: resumed.ts, records: resumed.records });
    }
    const result = (): FetchResult => ({
      records: run.records,
      bytes: run.bytes,
      inserted: run.inserted,
      duplicates: run.duplicates,
      notStored: run.notStored,
      ...(resumed === undefined
        ? {}
        : { resumedFromNs: resumed.ts, resumedRecords: resumed.records }),
      ...(job === undefined ? {} : { jobId: job.id }),
      ...(outPath === undefined ? {} : { outPath }),
    });
    const setJob = async (update: Parameters<typeof updateBackfillJob>[2]) => {
      if (store !== undefined && job !== undefined) await updateBackfillJob(store, job.id, update);
    };
    /**
     * get_cost of [start, untilNs): what Databento billed for the data delivered (downloads
     * repeated after a cut are not counted). Undefined without a job or when the API cannot say.
     */
    const deliveredCost = async (untilNs: bigint): Promise<string | undefined> => {
      if (job === undefined) return undefined;
      const end = untilNs < plan.endNs ? untilNs : plan.endNs;
      try {
        const params = { ...rangeParams(plan), end };
        const usd = await client.getCost(params, { signal: AbortSignal.timeout(15_000) });
        // At most 20 places (the column's check); a fraction of a 1e-20 cent rounds up.
        return new Decimal(usd).toDecimalPlaces(20, Decimal.ROUND_UP).toFixed();
      } catch (e) {
        logger.warn("Cannot get the actual cost of the job", {
          jobId: job.id,
          error: e instanceof Error ? e.message : String(e),
        });
        return undefined;
      }
    };
    try {
      await setJob({ status: "running", error: null });
      await download(client, plan, run, {
        retries: options.retries ?? 3,
        retryDelayMs: options.retryDelayMs ?? 1000,
        signal,
        logger,
      });
      await run.checkpoint();
      await sink?.finish();
    } catch (e) {
      await sink?.close();
      // What was delivered before the stop was billed: its cost counts against the budget too.
      const reached = run.reachedNs;
      const spent = reached === undefined ? undefined : await deliveredCost(reached + 1n);
      const cost = spent === undefined ? {} : { actualCostUsd: spent };
      if (signal?.aborted) {
        await setJob({ status: "cancelled", error: "interrupted", ...cost }).catch(() => {});
        throw new FetchInterruptedError(result(), { cause: e });
      }
      const message = e instanceof Error ? e.message : String(e);
      await setJob({ status: "failed", error: message, ...cost }).catch(() => {});
      throw e;
    }
    // Databento bills what it delivers: the actual cost of a finished job is get_cost of its range.
    const actualCostUsd = await deliveredCost(plan.endNs);
    await setJob({
      status: "done",
      recordCount: run.records,
      insertedCount: run.inserted,
      duplicateCount: run.duplicates,
      ...(actualCostUsd === undefined ? {} : { actualCostUsd }),
    });
    return result();
  } finally {
    await lock?.release();
  }
}

async function openSink(
  outPath: string,
  plan: FetchPlan,
  job: BackfillJob | undefined,
  options: FetchOptions,
): Promise<DbnFileSink> {
  const identity = {
    dataset: plan.dataset,
    schema: plan.schema,
    symbols: plan.symbols,
    stypeIn: plan.stypeIn,
    startNs: plan.startNs,
    endNs: plan.endNs,
    jobId: job?.id,
  };
  const resume = options.fresh
    ? false
    : job !== undefined
    ? job.checkpointNs !== undefined
    : await hasSidecar(outPath);
  return resume
    ? await DbnFileSink.resume(outPath, identity)
    : await DbnFileSink.create(outPath, identity);
}
