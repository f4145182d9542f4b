/**
 * `backfill fill-gaps`: scan the stored ticks of each symbol for gaps inside its trading
 * sessions, estimate the gap ranges, check the spend limits, then fetch exactly those ranges,
 * one job per gap. Gaps are found on stored ts_event while get_range filters on ts_recv: a trade
 * whose receive time falls just outside the gap it happened in is not asked for again (a few
 * records at the edges of a gap, at most; the next run reports what is still missing).
 * @module
 */
import { durationFlag, listFlag, parseFlags, UsageError } from "@shared/cli/mod.ts";
import { getDataInfo, type Store, TickRepository } from "@shared/storage/mod.ts";
import {
  assessSpend,
  createEstimatedJob,
  type Estimate,
  estimatePlan,
  formatUsd,
  type Gap,
  recordRefusal,
  scanGaps,
  type SpendAssessment,
  sumEstimates,
} from "../backfill/mod.ts";
import { checkFetchTargets, type FetchPlan, isoOfNs, resolveFetchPlan } from "../historical/mod.ts";
import { EXIT_INTERRUPTED } from "./fetch.ts";
import { CONFIG_OPTIONS, expectPositionals, toJson } from "./_context.ts";
import {
  allJobs,
  type BackfillCommandOptions,
  type BackfillContext,
  backfillContext,
  confirmed,
  limitsOf,
  REQUEST_OPTIONS,
  requestOf,
  runJob,
} from "./_backfill_context.ts";
import { renderGaps, renderSpend } from "./_backfill_render.ts";
import { formatBytes, formatCount } from "./_table.ts";

const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...REQUEST_OPTIONS,
  "max-gap": { type: "string" },
  "all-hours": { type: "boolean" },
  "dry-run": { type: "boolean" },
  "max-cost": { type: "string" },
  yes: { type: "boolean", short: "y" },
  quiet: { type: "boolean", short: "q" },
  json: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseFlags<{ options: typeof OPTIONS }>>["values"];

/** The scan of one symbol. */
interface Scan {
  symbol: string;
  plan: FetchPlan;
  assetType: string;
  gaps: Gap[];
}

/** One gap to fill: its plan and estimate. */
interface Item {
  symbol: string;
  gap: Gap;
  plan: FetchPlan;
  estimate: Estimate;
}

/** Runs `backfill fill-gaps <args>`; returns the exit code. */
export async function fillGaps(
  args: string[],
  options: BackfillCommandOptions,
  help: (options: BackfillCommandOptions) => number,
): Promise<number> {
  const { values, positionals } = parseFlags(args, { options: OPTIONS, allowPositionals: true });
  if (values.help) return help(options);
  expectPositionals(positionals, 0, "backfill fill-gaps --symbols A --exchange EX");
  if (values.symbols === undefined) throw new UsageError(`Option "--symbols" is required`);
  const symbols = listFlag("symbols", values.symbols);
  if ((values.start === undefined) !== (values.end === undefined)) {
    throw new UsageError(`Give both --start and --end, or neither (each symbol's stored range)`);
  }
  const ctx = backfillContext(values, options);
  const maxGapNs = values["max-gap"] === undefined
    ? BigInt(ctx.config.backfill.max_gap_secs) * 1_000_000_000n
    : BigInt(Math.round(durationFlag("max-gap", values["max-gap"]) * 1000)) * 1000n;
  const sessions = ctx.config.backfill.sessions && values["all-hours"] !== true;
  const limits = limitsOf(ctx.config, values["max-cost"]);
  const quiet = values.quiet === true || values.json === true;
  return await ctx.withStore(async (store) => {
    const notes: string[] = [];
    const scans = await scanAll(ctx, store, values, symbols, { maxGapNs, sessions, notes });
    const client = scans.some((s) => s.gaps.length > 0) ? ctx.client() : undefined;
    const items: Item[] = [];
    for (const scan of scans) {
      for (const gap of scan.gaps) {
        const range = { start: String(gap.startNs), end: String(gap.endNs) };
        const plan = resolveFetchPlan(
          ctx.config,
          requestOf({ ...values, symbols: scan.symbol }, range),
        );
        items.push({ symbol: scan.symbol, gap, plan, estimate: await estimatePlan(client!, plan) });
      }
    }
    const total = sumEstimates(items.map((i) => i.estimate));
    const spend = items.length === 0
      ? undefined
      : assessSpend(total.costUsd, await allJobs(store), limits, ctx.now());
    const json = {
      maxGapNs,
      sessions,
      dryRun: values["dry-run"] === true,
      notes,
      symbols: scans.map((s) => ({
        symbol: s.symbol,
        exchange: s.plan.exchange,
        assetType: s.assetType,
        startNs: s.plan.startNs,
        endNs: s.plan.endNs,
        gaps: s.gaps,
      })),
      estimate: items.length === 0 ? undefined : total,
      spend,
      filled: [] as Record<string, unknown>[],
    };
    if (!values.json) {
      for (const note of notes) ctx.write(`${note}\n`);
      for (const s of scans) ctx.write(renderGaps(s.symbol, s.plan.exchange, s.gaps));
      if (spend !== undefined) ctx.write(renderTotal(items.length, total, spend, values));
    }
    if (values["dry-run"] || spend === undefined) {
      if (values.json) ctx.write(toJson(json));
      else if (spend === undefined) ctx.write("nothing to fill\n");
      return 0;
    }
    if (!spend.allowed) {
      const ids: number[] = [];
      for (const item of items) {
        const kind = "fill-gaps";
        ids.push(
          (await recordRefusal(store, item.plan, item.estimate, { kind, reason: spend.reason! }))
            .id,
        );
      }
      throw new UsageError(
        `${spend.reason} (recorded as job${ids.length === 1 ? "" : "s"} ${ids.join(", ")})`,
      );
    }
    const question = `Fetch ${items.length} gap range(s), ${
      formatCount(total.records)
    } records for ${formatUsd(total.costUsd)}?`;
    if (!confirmed(question, values.yes === true)) {
      ctx.write("not fetched\n");
      return 1;
    }
    for (const item of items) {
      const job = await createEstimatedJob(store, item.plan, item.estimate, "fill-gaps");
      const outcome = await runJob(ctx, store, item.plan, {
        job,
        client: client!,
        quiet,
        total: item.estimate.records,
      });
      const r = outcome.result;
      json.filled.push({
        symbol: item.symbol,
        startNs: item.gap.startNs,
        endNs: item.gap.endNs,
        jobId: outcome.job.id,
        status: outcome.job.status,
        records: r.records,
        inserted: r.inserted,
        duplicates: r.duplicates,
        estimatedCostUsd: item.estimate.costUsd,
        actualCostUsd: outcome.job.actualCostUsd,
      });
      if (!values.json) {
        const what = r.records === 0
          ? "0 records (the provider has no data there; it stays a gap)"
          : `${formatCount(r.records)} records, ${formatCount(r.inserted)} inserted`;
        ctx.write(
          `filled ${item.symbol} ${isoOfNs(item.gap.startNs)} .. ${
            isoOfNs(item.gap.endNs)
          }: ${what} (job ${outcome.job.id})\n`,
        );
      }
      if (outcome.interrupted) {
        if (values.json) ctx.write(toJson(json));
        else {ctx.write(
            `interrupted: job ${outcome.job.id} resumes with backfill fetch of its range, or run fill-gaps again\n`,
          );}
        return EXIT_INTERRUPTED;
      }
    }
    if (values.json) ctx.write(toJson(json));
    return 0;
  });
}

/** Scans each symbol over --start/--end or its stored first..last tick. */
async function scanAll(
  ctx: BackfillContext,
  store: Store,
  values: Values,
  symbols: string[],
  o: { maxGapNs: bigint; sessions: boolean; notes: string[] },
): Promise<Scan[]> {
  const repo = TickRepository.forConfig(store, ctx.config.database);
  const scans: Scan[] = [];
  for (const symbol of symbols) {
    let range = values.start === undefined ? undefined : { start: values.start, end: values.end! };
    if (range === undefined) {
      if (values.exchange === undefined) throw new UsageError(`Option "--exchange" is required`);
      const info = (await getDataInfo(store, { symbol })).find((i) =>
        i.exchange === values.exchange
      );
      if (info === undefined) {
        o.notes.push(
          `${symbol}@${values.exchange}: no stored ticks; give --start and --end to scan a range`,
        );
        continue;
      }
      range = { start: String(info.firstTs), end: String(info.lastTs + 1n) };
    }
    const plan = resolveFetchPlan(ctx.config, requestOf({ ...values, symbols: symbol }, range));
    checkFetchTargets(plan, { store: true });
    const assetType = plan.assetTypes[symbol] ?? plan.assetType;
    const gaps = await scanGaps(repo, {
      symbol,
      exchange: plan.exchange,
      startNs: plan.startNs,
      endNs: plan.endNs,
      maxGapNs: o.maxGapNs,
      assetType,
      sessions: o.sessions,
    });
    scans.push({ symbol, plan, assetType, gaps });
  }
  return scans;
}

function renderTotal(n: number, total: Estimate, spend: SpendAssessment, values: Values): string {
  return `estimate of ${n} gap range${n === 1 ? "" : "s"}: ${formatCount(total.records)} records, ${
    formatBytes(total.bytes)
  }, ${formatUsd(total.costUsd)}\n${renderSpend(spend, values["max-cost"] !== undefined)}`;
}
