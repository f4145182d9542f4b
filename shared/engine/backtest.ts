/**
 * The backtest: a tick source through one StrategyRunner into a BacktestReport. Deterministic:
 * the same options give the same report, byte for byte once serialized.
 * @module
 */
import type { Decimal } from "decimal.js";
import type { BacktestOptions } from "./backtest_options.ts";
import { type Fill, fixedToDecimal, type Order, SimulatedExchange } from "./exchange/mod.ts";
import { computeMetrics, type EquitySample } from "./metrics.ts";
import type { BacktestReport, ReportCandle, ReportTrade } from "./report_types.ts";
import { StrategyRunner } from "./strategy_runner.ts";
import type { BarData, BarType } from "./types.ts";

/** "1m", "5m", ... for time bars, "100t" for tick bars. */
export function barTypeLabel(barType: BarType): string {
  return barType.kind === "time" ? barType.timeframe : `${barType.ticks}t`;
}

/** Runs a backtest; see the module doc. Throws StrategyParamError for bad parameters. */
export async function runBacktest(options: BacktestOptions): Promise<BacktestReport> {
  const { strategy, source } = options;
  strategy.initialize(options.params);
  const barType = options.barType ?? strategy.preferredBarType();
  const mode = strategy.barDataMode();
  const exchange = new SimulatedExchange({ accounts: options.accounts, fees: options.fees });
  const accountId = exchange.resolveAccountId(
    strategy.id,
    options.accountId ?? strategy.accountId(),
  );
  const initialEquity = exchange.account(accountId).equity();
  const record = new Recorder();
  using runner = new StrategyRunner({
    strategy,
    symbol: source.symbol,
    sizeScale: source.sizeScale,
    exchange,
    accountId,
    barType,
    mode,
    defaultQuantity: options.params.quantity ?? defaultParam(strategy.params, "quantity") ?? "1",
    strategyUrl: options.strategyFile === undefined
      ? undefined
      : new URL(`file://${options.strategyFile.path}`).href,
    listener: record,
  });

  let ticks = 0;
  let firstTs: bigint | undefined;
  let lastTs: bigint | undefined;
  let error: string | undefined;
  for await (const chunk of source.chunks()) {
    if (chunk.length === 0) continue;
    firstTs ??= chunk.tsEvent[0];
    lastTs = chunk.tsEvent[chunk.length - 1];
    if (!runner.process(chunk)) break;
    ticks += chunk.length;
    options.onProgress?.(ticks);
    if (options.signal?.aborted) {
      error = "Stopped before the end of the data";
      break;
    }
  }
  if (runner.failure === undefined && error === undefined && options.to !== undefined) {
    runner.closeDue(options.to);
  }
  if (runner.failure !== undefined) {
    error = runner.failure.message;
    ticks = runner.ticks;
  }

  const account = exchange.account(accountId);
  const endNs = options.to ?? lastTs ?? 0n;
  const position = exchange.position(accountId, source.symbol);
  record.equity.push({ tsNs: endNs, equity: account.equity(), position });
  const metrics = computeMetrics({
    equity: record.equity,
    fills: record.fills,
    initialEquity,
    startNs: options.from ?? firstTs ?? 0n,
    endNs,
    realizedPnl: account.realizedPnl,
    unrealizedPnl: account.unrealizedPnl(),
    fees: account.feesPaid,
  });

  return {
    version: 1,
    strategy: {
      id: strategy.id,
      name: strategy.name,
      params: resolvedParams(strategy, options.params),
      ...(options.strategyFile === undefined
        ? {}
        : { sha256: options.strategyFile.sha256, file: options.strategyFile.path }),
    },
    symbol: source.symbol,
    barType: barTypeLabel(barType),
    mode,
    accountId,
    data: {
      source: source.description,
      ...(options.from === undefined ? {} : { from: options.from.toString() }),
      ...(options.to === undefined ? {} : { to: options.to.toString() }),
      ticks,
      bars: record.candles.length,
    },
    partial: error !== undefined,
    ...(error === undefined ? {} : { error }),
    metrics,
    trades: record.fills.map(tradeOf),
    equity: record.equity.map((e) => ({
      ts: e.tsNs.toString(),
      equity: e.equity.toString(),
      position: e.position.toString(),
    })),
    candles: record.candles,
    rejected: record.rejected.map((o) => ({
      ts: o.updatedNs.toString(),
      side: o.side,
      quantity: o.quantity.toString(),
      reason: o.rejectReason ?? "rejected",
    })),
  };
}

/** Collects what the report needs while the runner goes. */
class Recorder {
  readonly equity: EquitySample[] = [];
  readonly fills: Fill[] = [];
  readonly candles: ReportCandle[] = [];
  readonly rejected: Order[] = [];

  onBarClosed(bar: BarData, equity: Decimal, position: Decimal): void {
    const b = bar.ohlcBar;
    this.candles.push({
      ts: b.openTime.toString(),
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
      synthetic: bar.metadata.isSynthetic,
    });
    this.equity.push({ tsNs: b.closeTime, equity, position });
  }

  onFill(fill: Fill): void {
    this.fills.push(fill);
  }

  onRejected(order: Order): void {
    this.rejected.push(order);
  }
}

function tradeOf(fill: Fill): ReportTrade {
  return {
    orderId: fill.orderId,
    accountId: fill.accountId,
    symbol: fill.symbol,
    side: fill.side,
    type: fill.type,
    ts: fill.tsNs.toString(),
    quantity: fill.quantity.toString(),
    price: fixedToDecimal(fill.price).toString(),
    fee: fill.fee.toString(),
    realizedPnl: fill.realizedPnl.toString(),
    ...(fill.reason === undefined ? {} : { reason: fill.reason }),
  };
}

function defaultParam(
  params: BacktestOptions["strategy"]["params"],
  name: string,
): string | undefined {
  return params.find((p) => p.name === name)?.default;
}

/** Every declared parameter with its effective value (given, else default), sorted by name. */
function resolvedParams(
  strategy: BacktestOptions["strategy"],
  given: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Set([...strategy.params.map((p) => p.name), ...Object.keys(given)]);
  for (const name of [...names].sort()) {
    out[name] = given[name] ?? defaultParam(strategy.params, name) ?? "";
  }
  return out;
}
