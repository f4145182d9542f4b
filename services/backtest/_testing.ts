// Test helpers of the backtest command: a small hand-made report.
import type { BacktestReport } from "@shared/engine/mod.ts";

/** A small hand-made report. */
export function sampleReport(overrides: Partial<BacktestReport> = {}): BacktestReport {
  return {
    version: 1,
    strategy: { id: "sma", name: "SMA crossover", params: { long: "3", short: "2" } },
    symbol: "BTCUSD",
    barType: "1m",
    mode: "OnCloseBar",
    accountId: "SIM-001",
    data: {
      source: "synthetic BTCUSD seed 1",
      from: "0",
      to: "180000000000",
      ticks: 1234,
      bars: 3,
    },
    partial: false,
    metrics: {
      initialEquity: "100000",
      finalEquity: "100123.456",
      totalPnl: "123.456",
      realizedPnl: "100",
      unrealizedPnl: "23.456",
      fees: "1.005",
      totalReturn: 0.00123456,
      cagr: null,
      sharpe: 1.234,
      sortino: null,
      maxDrawdown: 0.0512,
      maxDrawdownDurationNs: "5400000000000",
      winRate: 0.5,
      profitFactor: 2,
      tradeCount: 4,
      closingTrades: 2,
      exposure: 0.25,
    },
    trades: [],
    equity: [],
    candles: [],
    rejected: [],
    ...overrides,
  };
}
