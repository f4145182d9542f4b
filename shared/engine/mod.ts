/**
 * The engine shared by backtest and paper trading: bars, strategies, the simulated exchange,
 * metrics, the strategy runner and the backtest.
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
export type * from "./report_types.ts";
export type { BacktestOptions } from "./backtest_options.ts";
export { barTypeLabel, runBacktest } from "./backtest.ts";
export {
  locate,
  type RunnerListener,
  StrategyRunner,
  type StrategyRunnerOptions,
} from "./strategy_runner.ts";
export * from "./bars/mod.ts";
export * from "./exchange/mod.ts";
export * from "./metrics.ts";
export * from "./strategies/mod.ts";
