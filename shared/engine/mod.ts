/**
 * The engine shared by backtest and paper trading: bars, strategies, the simulated exchange,
 * metrics and the backtest runner.
 * @module
 */
export * from "./types.ts";
export * from "./errors.ts";
export type * from "./report_types.ts";
export type { BacktestOptions } from "./backtest_options.ts";
