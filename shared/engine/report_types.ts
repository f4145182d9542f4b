/**
 * The JSON a backtest produces (`--json OUT.json`), also the input of the HTML report and the
 * results table. Plain data: money and quantities as exact decimal strings, timestamps as ns
 * decimal strings, ratios as numbers. The same inputs give byte-identical JSON.
 * @module
 */

/** One executed fill. */
export interface ReportTrade {
  orderId: string;
  accountId: string;
  symbol: string;
  side: "BUY" | "SELL";
  type: "market" | "limit";
  /** ts_event of the tick that filled it, ns. */
  ts: string;
  quantity: string;
  /** Execution price after slippage, decimal. */
  price: string;
  fee: string;
  /** Realised P&L of this fill (non-zero when it reduces a position). */
  realizedPnl: string;
  reason?: string;
}

/** One point of the equity curve (at every bar close and at the end). */
export interface ReportEquityPoint {
  ts: string;
  equity: string;
  /** Position of the strategy's symbol at that time. */
  position: string;
}

/** One closed bar of the chart. */
export interface ReportCandle {
  /** Bar start, ns. */
  ts: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  synthetic: boolean;
}

/** Performance figures. Ratios are fractions (0.12 = 12%); undefined figures are null. */
export interface ReportMetrics {
  initialEquity: string;
  finalEquity: string;
  totalPnl: string;
  realizedPnl: string;
  unrealizedPnl: string;
  fees: string;
  totalReturn: number;
  cagr: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number;
  /** Longest time from a peak to its recovery (or the end), ns. */
  maxDrawdownDurationNs: string;
  winRate: number | null;
  profitFactor: number | null;
  /** Fills. */
  tradeCount: number;
  /** Fills that closed (part of) a position: the base of win rate and profit factor. */
  closingTrades: number;
  /** Fraction of equity points with a non-zero position. */
  exposure: number;
}

/** A whole backtest result. */
export interface BacktestReport {
  version: 1;
  strategy: {
    id: string;
    name: string;
    params: Record<string, string>;
    /** SHA-256 of the strategy file (user strategies), hex. */
    sha256?: string;
    file?: string;
  };
  symbol: string;
  barType: string;
  mode: string;
  accountId: string;
  data: { source: string; from?: string; to?: string; ticks: number; bars: number };
  /** True when the run stopped early (a strategy error); `error` says why. */
  partial: boolean;
  error?: string;
  metrics: ReportMetrics;
  trades: ReportTrade[];
  equity: ReportEquityPoint[];
  candles: ReportCandle[];
  /** Orders the exchange refused (insufficient funds, no position), with the reason. */
  rejected: { ts: string; side: "BUY" | "SELL"; quantity: string; reason: string }[];
}
