/** From a request to a strategy and an opened tick source (bad input: one-line UsageErrors). */
import { UsageError } from "@shared/cli/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { DataError, validateSymbol } from "@shared/domain/mod.ts";
import { StrategyParamError, type TickSource } from "@shared/engine/mod.ts";
import {
  type ResolvedStrategy,
  resolveStrategy as resolveEngineStrategy,
  StrategyFileError,
} from "@shared/engine/strategy_file.ts";
import {
  csvSource,
  dbnFileSource,
  dbSource,
  SYNTHETIC_DEFAULT_FROM,
  SYNTHETIC_DEFAULT_STEP_MS,
  syntheticSource,
} from "@shared/engine/sources/mod.ts";
import { archiveRoot, getDataInfo, openStore, type Store } from "@shared/storage/mod.ts";
import type { BacktestRequest } from "./cli.ts";
import { checkRange } from "./_parse.ts";

/** Synthetic trades when neither --ticks nor --to says how many. */
export const DEFAULT_SYNTHETIC_TICKS = 100_000;
/** Seed of synthetic data when --seed is omitted. */
export const DEFAULT_SEED = 42;

/** A source with the range the run covers; `close()` releases what it holds (the store). */
export interface OpenedSource {
  source: TickSource;
  from?: bigint;
  to?: bigint;
  /** Set when the database holds nothing for the request (reported as "No ticks"). */
  empty?: boolean;
  close(): Promise<void>;
}

/** A built-in id or a strategy file path; bad ones are one-line UsageErrors. */
export async function resolveStrategy(spec: string): Promise<ResolvedStrategy> {
  try {
    return await resolveEngineStrategy(spec);
  } catch (e) {
    if (e instanceof StrategyFileError || e instanceof StrategyParamError) {
      throw new UsageError(e.message, { cause: e });
    }
    throw e;
  }
}

/** Opens the request's data source; a missing file, bad symbol or bad file is a UsageError. */
export async function openSource(
  request: BacktestRequest,
  config: AppConfig,
): Promise<OpenedSource> {
  try {
    validateSymbol(request.symbol);
    if (request.data === "synthetic") return synthetic(request);
    if (request.data === "db") return await database(request, config);
    return await file(request);
  } catch (e) {
    if (e instanceof DataError || e instanceof RangeError) {
      throw new UsageError(e.message.replace(/^./, (c) => c.toUpperCase()), { cause: e });
    }
    throw e;
  }
}

function synthetic(request: BacktestRequest): OpenedSource {
  const from = request.from ?? SYNTHETIC_DEFAULT_FROM;
  checkRange(from, request.to);
  const stepNs = BigInt(SYNTHETIC_DEFAULT_STEP_MS) * 1_000_000n;
  let ticks = request.ticks ?? DEFAULT_SYNTHETIC_TICKS;
  if (request.to !== undefined) {
    const fit = Number((request.to - from + stepNs - 1n) / stepNs);
    ticks = request.ticks === undefined ? fit : Math.min(ticks, fit);
  }
  const to = request.to ?? from + BigInt(ticks) * stepNs;
  const source = syntheticSource({
    symbol: request.symbol,
    seed: request.seed ?? DEFAULT_SEED,
    ticks,
    from,
    stepMs: SYNTHETIC_DEFAULT_STEP_MS,
  });
  return { source, from, to, close: () => Promise.resolve() };
}

async function database(request: BacktestRequest, config: AppConfig): Promise<OpenedSource> {
  const store = await openStore(config.database, { migrate: true, applicationName: "backtest" });
  try {
    return await databaseSource(store, request, config);
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function databaseSource(
  store: Store,
  request: BacktestRequest,
  config: AppConfig,
): Promise<OpenedSource> {
  const { symbol, exchange } = request;
  const close = () => store.close();
  const info = (await getDataInfo(store, { symbol }))
    .filter((i) => exchange === undefined || i.exchange === exchange);
  const first = info.reduce<bigint | undefined>(
    (m, i) => m === undefined || i.firstTs < m ? i.firstTs : m,
    undefined,
  );
  const last = info.reduce<bigint | undefined>(
    (m, i) => m === undefined || i.lastTs > m ? i.lastTs : m,
    undefined,
  );
  const from = request.from ?? first;
  const to = request.to ?? (last === undefined ? undefined : last + 1n);
  const description = `db ${symbol}${exchange === undefined ? "" : `@${exchange}`}`;
  if (from === undefined || to === undefined || from >= to || info.length === 0) {
    const source = { description, symbol, sizeScale: 0, chunks: emptyChunks };
    return { source, from: request.from, to: request.to, empty: true, close };
  }
  const source = await dbSource(store, {
    symbol,
    exchange,
    from,
    to,
    archiveRoot: archiveRoot(config.database.data_dir),
  });
  // The whole stored range is known up front: the progress bar can show a total.
  const whole = first !== undefined && last !== undefined && from <= first && to > last;
  const totalTicks = whole ? info.reduce((n, i) => n + i.count, 0) : undefined;
  return { source: { ...source, totalTicks }, from, to, close };
}

async function file(request: BacktestRequest): Promise<OpenedSource> {
  const path = request.data;
  const kind = /\.dbn(\.zst)?$/.test(path) ? "dbn" : /\.csv$/i.test(path) ? "csv" : undefined;
  if (kind === undefined) {
    throw new UsageError(
      `Unknown data source "${path}": expected db, synthetic, or a .dbn, .dbn.zst or .csv file`,
    );
  }
  try {
    const stat = await Deno.stat(path);
    if (!stat.isFile) throw new UsageError(`Data file "${path}" is not a file`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UsageError(`Data file "${path}" not found`, { cause: e });
    }
    throw e;
  }
  const { symbol, from, to } = request;
  const source = kind === "dbn"
    ? await dbnFileSource(path, { symbol, from, to, sizeScale: request.sizeScale })
    : await csvSource(path, { symbol, from, to });
  return { source, from, to, close: () => Promise.resolve() };
}

// deno-lint-ignore require-yield
async function* emptyChunks(): AsyncGenerator<never> {
  return await Promise.resolve();
}
