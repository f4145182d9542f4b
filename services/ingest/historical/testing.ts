/**
 * Test helpers of historical fetches (here and in the fetch command's tests): the test config,
 * a fake Databento with synthetic trades and a client for it, expected ticks, stored ticks and
 * file records read back.
 * @module
 */
import { type AppConfig, loadConfig } from "@shared/config/mod.ts";
import type { DbnRecord } from "@shared/dbn/mod.ts";
import { openDbn } from "@shared/dbn/stream/mod.ts";
import type { Tick, TickRepository } from "@shared/storage/mod.ts";
import { DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import {
  FAKE_API_KEY,
  FakeDatabento,
  syntheticTrade,
  type SyntheticTradesOptions,
} from "../providers/databento/fake_server.ts";
import { type FetchPlan, type FetchRequest, resolveFetchPlan } from "./fetch_plan.ts";

/** config/test.toml as loaded without the environment, with `patch` applied to a copy. */
export function testConfig(patch: (config: AppConfig) => void = () => {}): AppConfig {
  const config = structuredClone(loadConfig({ runMode: "test", env: {}, envFile: false }).config);
  patch(config);
  return config;
}

/** 2024-03-01T00:00:00Z in ns: synthetic series start here. */
export const T0 = 1_709_251_200_000_000_000n;
/** One second in ns. */
export const SECOND = 1_000_000_000n;

/** ESH5 trades every `stepNs` from T0 (instrument id 42005). */
export function esTrades(count: number, stepNs = SECOND): SyntheticTradesOptions {
  return {
    dataset: "GLBX.MDP3",
    symbol: "ESH5",
    instrumentId: 42_005,
    startNs: T0,
    stepNs,
    count,
  };
}

/** A fake with `series` added, and a client for it (fast retries). */
export async function startFake(
  ...series: SyntheticTradesOptions[]
): Promise<{ fake: FakeDatabento; client: DatabentoHistoricalClient }> {
  const fake = await FakeDatabento.start();
  for (const s of series) fake.addSyntheticTrades(s);
  const client = new DatabentoHistoricalClient({
    apiKey: FAKE_API_KEY,
    baseUrl: fake.url,
    retries: 2,
    retryBaseMs: 1,
  });
  return { fake, client };
}

/** The plan of ESH5 on CME over [T0, T0 + seconds) (trades unless `schema`). */
export function esPlan(seconds: number, patch: Partial<FetchRequest> = {}): FetchPlan {
  return resolveFetchPlan(testConfig(), {
    symbols: ["ESH5"],
    exchange: "CME",
    start: String(T0),
    end: String(T0 + BigInt(seconds) * SECOND),
    ...patch,
  });
}

/** The tick runFetch stores for synthetic trade `i` of `series` (registered id `instrumentId`). */
export function expectedTick(
  series: SyntheticTradesOptions,
  i: number,
  instrumentId: number,
): Tick {
  const trade = syntheticTrade(series, i);
  return {
    tsEvent: trade.tsEvent,
    tsRecv: trade.tsRecv,
    instrumentId,
    symbol: series.symbol,
    exchange: "CME",
    price: trade.price,
    size: trade.size,
    quantity: String(trade.size),
    side: trade.side as Tick["side"],
    tradeId: `${trade.tsRecv}-${trade.sequence}-0`,
    flags: trade.flags,
    sequence: trade.sequence,
  };
}

/** Every stored tick of a symbol, oldest first. */
export async function storedTicks(repo: TickRepository, symbol = "ESH5"): Promise<Tick[]> {
  const out: Tick[] = [];
  for await (const batch of repo.streamTicks({ symbol })) out.push(...batch);
  return out;
}

/** Every record of a DBN file. */
export async function fileRecords(path: string): Promise<DbnRecord[]> {
  const reader = await openDbn(path);
  const out: DbnRecord[] = [];
  for await (const record of reader) out.push(record);
  return out;
}
