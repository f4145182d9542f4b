/**
 * What a historical fetch will ask for: symbols routed through `[routing]` (mode historical) to
 * a provider and a Databento dataset, the schema, the symbology and the time range in UNIX ns.
 * Every problem with the request is a one-line UsageError before anything is spent.
 * @module
 */
import { UsageError } from "@shared/cli/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { parseSType, SType, stypeName } from "@shared/dbn/mod.ts";
import { DataError, validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import type { RangeParams } from "../providers/databento/mod.ts";
import { ProviderRouter, type Route } from "../routing.ts";
import { isoOfNs, parseTimeNs } from "./_time.ts";
import { TICK_SCHEMAS } from "./trade_ticks.ts";

/** The schemas `timeseries.get_range` serves. */
export const RANGE_SCHEMAS: readonly string[] = [
  "trades",
  "tbbo",
  "mbp-1",
  "mbp-10",
  "mbo",
  "bbo-1s",
  "bbo-1m",
  "tcbbo",
  "cmbp-1",
  "cbbo-1s",
  "cbbo-1m",
  "ohlcv-1s",
  "ohlcv-1m",
  "ohlcv-1h",
  "ohlcv-1d",
  "ohlcv-eod",
  "definition",
  "statistics",
  "status",
  "imbalance",
];

/** What the user asked for (flags of `fetch` and `backfill`). */
export interface FetchRequest {
  symbols: string[];
  exchange: string;
  assetType?: string;
  /** `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fffffffff]][Z]` (UTC) or integer ns. */
  start: string;
  /** Exclusive; same forms as start. */
  end: string;
  schema?: string;
  provider?: string;
  dataset?: string;
  stypeIn?: string;
}

/** A resolved request. */
export interface FetchPlan {
  provider: string;
  dataset: string;
  schema: string;
  /** As requested, repeats removed. */
  symbols: string[];
  exchange: string;
  /** The asset type of the symbols ("equity,futures" when --dataset groups several). */
  assetType: string;
  assetTypeInferred: boolean;
  /** The asset type of each symbol (for the instrument registry). */
  assetTypes: Record<string, string>;
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
  stypeIn: string;
  /** The first symbol's route (all symbols share provider and dataset). */
  route: Route;
  /** Where the dataset came from, e.g. `[routing.databento.datasets] "futures@CME"`. */
  datasetSource: string;
}

/** Options of {@linkcode resolveFetchPlan}. */
export interface ResolveFetchPlanOptions {
  /** The clock for the "not in the future" check (default: now). */
  now?: Date;
}

const DATASET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DAY_NS = 86_400_000_000_000n;

/** Resolves a request against the config; throws a one-line UsageError for any bad part. */
export function resolveFetchPlan(
  config: AppConfig,
  request: FetchRequest,
  options: ResolveFetchPlanOptions = {},
): FetchPlan {
  const stypeIn = checkStype(request.stypeIn ?? "raw_symbol");
  const symbols = checkSymbols(request.symbols, stypeIn);
  const exchange = usage(() => validateExchange(request.exchange));
  const schema = request.schema ?? config.backfill.default_schema;
  if (!RANGE_SCHEMAS.includes(schema)) {
    throw new UsageError(
      `Unknown schema ${JSON.stringify(schema)} (expected one of ${RANGE_SCHEMAS.join(", ")})`,
    );
  }
  const startNs = parseTimeNs("start", request.start);
  const endNs = parseTimeNs("end", request.end);
  if (endNs <= startNs) {
    throw new UsageError(
      `Option "--end" (${isoOfNs(endNs)}) must be after --start (${isoOfNs(startNs)})`,
    );
  }
  const nowNs = BigInt((options.now ?? new Date()).getTime()) * 1_000_000n;
  if (endNs > nowNs + DAY_NS) {
    throw new UsageError(
      `Option "--end" (${isoOfNs(endNs)}) is more than a day in the future`,
    );
  }
  if (request.dataset !== undefined && !DATASET.test(request.dataset)) {
    throw new UsageError(
      `Option "--dataset" expects a Databento dataset such as GLBX.MDP3, got ${
        JSON.stringify(request.dataset)
      }`,
    );
  }
  const router = new ProviderRouter(config.routing);
  const routes = symbols.map((symbol) => ({
    symbol,
    route: router.resolve(
      { symbol, exchange, assetType: request.assetType, mode: "historical" },
      request.provider,
    ),
  }));
  for (const { symbol, route } of routes) {
    if (route.provider !== "databento") {
      throw new UsageError(
        `Historical fetch needs provider databento; routing chose ${route.provider} for ${symbol} (asset type ${route.assetType}, tier ${route.tier}); pass --provider databento --dataset DATASET`,
      );
    }
    if (request.dataset === undefined && route.dataset === undefined) {
      throw new UsageError(
        `No Databento dataset for ${symbol} (${route.assetType} on ${exchange}): add [routing.databento.datasets] "${route.assetType}@${exchange}" = "DATASET" to the config or pass --dataset`,
      );
    }
  }
  const datasets = new Map<string, string[]>();
  for (const { symbol, route } of routes) {
    const dataset = request.dataset ?? route.dataset!;
    datasets.set(dataset, [...(datasets.get(dataset) ?? []), symbol]);
  }
  if (datasets.size > 1) {
    const list = [...datasets].map(([dataset, s]) => `${s.join(",")} -> ${dataset}`).join("; ");
    throw new UsageError(
      `The symbols route to different datasets (${list}); fetch them separately`,
    );
  }
  const first = routes[0]!;
  const dataset = [...datasets.keys()][0]!;
  const assetTypes = Object.fromEntries(
    routes.map(({ symbol, route }) => [symbol, route.assetType]),
  );
  return {
    provider: "databento",
    dataset,
    schema,
    symbols,
    exchange,
    assetType: [...new Set(Object.values(assetTypes))].sort().join(","),
    assetTypeInferred: request.assetType === undefined,
    assetTypes,
    startNs,
    endNs,
    stypeIn,
    route: first.route,
    datasetSource: datasetSource(config, first.route, first.symbol, exchange, request.dataset),
  };
}

function datasetSource(
  config: AppConfig,
  route: Route,
  symbol: string,
  exchange: string,
  explicit: string | undefined,
): string {
  if (explicit !== undefined) return "--dataset";
  const specific = config.routing.symbols.find((r) =>
    r.symbol === symbol && r.exchange === exchange && r.dataset !== undefined
  );
  if (route.tier === "symbol" && specific !== undefined) {
    return `[[routing.symbols]] ${symbol}@${exchange}`;
  }
  return `[routing.databento.datasets] "${route.assetType}@${exchange}"`;
}

function checkStype(text: string): string {
  let stype: SType;
  try {
    stype = parseSType(text);
  } catch {
    const names = Object.values(SType).map((s) => stypeName(s));
    throw new UsageError(
      `Unknown symbology type ${JSON.stringify(text)} for --stype-in (expected one of ${
        names.join(", ")
      })`,
    );
  }
  if (stype === SType.InstrumentId) return "instrument_id";
  return stypeName(stype);
}

function checkSymbols(symbols: readonly string[], stypeIn: string): string[] {
  const unique = [...new Set(symbols.map((s) => s.trim()).filter((s) => s !== ""))];
  if (unique.length === 0) throw new UsageError(`Option "--symbols" needs at least one symbol`);
  if (unique.length > 2000) {
    throw new UsageError(`At most 2000 symbols per request, got ${unique.length}`);
  }
  for (const symbol of unique) {
    if (stypeIn === "raw_symbol") {
      usage(() => validateSymbol(symbol));
    } else if (!/^[\x21-\x2b\x2d-\x7e]{1,71}$/.test(symbol)) {
      throw new UsageError(
        `Invalid symbol ${JSON.stringify(symbol)}: expected 1-71 printable characters`,
      );
    }
  }
  return unique;
}

function usage<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof DataError) {
      throw new UsageError(e.message.replace(/^./, (c) => c.toUpperCase()), { cause: e });
    }
    throw e;
  }
}

/** Where a fetch's records go. */
export interface FetchTargetsSpec {
  /** Trades go into tick_data. */
  store: boolean;
  outPath?: string;
}

/**
 * Checks that the targets can take the plan: storing needs a schema with trades (else `-o`)
 * and raw symbols (the stored symbol is the requested one). Throws a one-line UsageError.
 */
export function checkFetchTargets(plan: FetchPlan, targets: FetchTargetsSpec): void {
  if (!targets.store && targets.outPath === undefined) {
    throw new UsageError(`Nothing to do: --no-store needs -o FILE`);
  }
  if (targets.outPath !== undefined && !/\.dbn(\.zst)?$/.test(targets.outPath)) {
    throw new UsageError(
      `Option "-o" expects a file ending in .dbn or .dbn.zst, got ${
        JSON.stringify(targets.outPath)
      }`,
    );
  }
  if (!targets.store) return;
  if (!TICK_SCHEMAS.includes(plan.schema)) {
    throw new UsageError(
      `The database stores trades only (schemas ${
        TICK_SCHEMAS.join(", ")
      }); write ${plan.schema} to a file with -o FILE.dbn.zst --no-store`,
    );
  }
  if (plan.stypeIn !== "raw_symbol") {
    throw new UsageError(
      `Storing ticks needs --stype-in raw_symbol (a ${plan.stypeIn} symbol names no single contract); write a file with -o FILE.dbn.zst --no-store`,
    );
  }
}

/** The --dry-run --verbose lines of a plan. */
export function describePlan(
  plan: FetchPlan,
  targets: { outPath?: string; store?: boolean; database?: string } = {},
): string[] {
  const inferred = plan.assetTypeInferred ? "inferred from the symbol" : "given";
  const out: string[] = [];
  if (targets.store !== false) {
    out.push(`database${targets.database === undefined ? "" : ` ${targets.database}`} (tick_data)`);
  }
  if (targets.outPath !== undefined) out.push(`file ${targets.outPath}`);
  return [
    `symbols:    ${plan.symbols.join(", ")}`,
    `exchange:   ${plan.exchange}`,
    `asset type: ${plan.assetType} (${inferred})`,
    `provider:   ${plan.provider} (routing tier ${plan.route.tier})`,
    `dataset:    ${plan.dataset} (from ${plan.datasetSource})`,
    `schema:     ${plan.schema}`,
    `stype_in:   ${plan.stypeIn}`,
    `range:      ${isoOfNs(plan.startNs)} .. ${isoOfNs(plan.endNs)} (end exclusive)`,
    `range (ns): ${plan.startNs} .. ${plan.endNs}`,
    `output:     ${out.length === 0 ? "none" : out.join(", ")}`,
  ];
}

/** The get_range parameters of a plan, from `startNs` (default: the plan's start). */
export function rangeParams(plan: FetchPlan, startNs: bigint = plan.startNs): RangeParams {
  return {
    dataset: plan.dataset,
    schema: plan.schema,
    symbols: plan.symbols,
    start: startNs,
    end: plan.endNs,
    stypeIn: plan.stypeIn,
  };
}
