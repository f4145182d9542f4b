/**
 * What a backtest run takes. `runBacktest(options)` (shared/engine/backtest.ts) returns the
 * BacktestReport of shared/engine/report_types.ts.
 * @module
 */
import type { AccountsConfig, FeesConfig } from "@shared/config/mod.ts";
import type { BarType, Strategy, TickSource } from "./types.ts";

/** Options of runBacktest. */
export interface BacktestOptions {
  /** A strategy; runBacktest calls `initialize(params)` (errors: StrategyParamError). */
  strategy: Strategy;
  params: Readonly<Record<string, string>>;
  source: TickSource;
  accounts: AccountsConfig;
  fees: FeesConfig;
  /** --account: trade on this account instead of the strategy's mapping. */
  accountId?: string;
  /** --timeframe: overrides the strategy's preferred bar type. */
  barType?: BarType;
  /** The requested range, ns (recorded in the report; the last time bars close at `to`). */
  from?: bigint;
  to?: bigint;
  /** A user strategy's file and its SHA-256 (recorded in the report). */
  strategyFile?: { path: string; sha256: string };
  /** Called now and then with the ticks processed so far. */
  onProgress?: (ticks: number) => void;
  /** Stops the run early; the report is then marked partial. */
  signal?: AbortSignal;
}
