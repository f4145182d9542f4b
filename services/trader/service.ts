/**
 * The running trader (`deno task live`): the IPC exchange feeding the market-data pipeline
 * (validation, tiered cache, paper trading), alerting, `/health` and `/metrics`, and a graceful
 * stop that processes what was read, flushes the cache and the strategy log, and reports.
 * @module
 */
import type { Decimal } from "decimal.js";
import { openTickCache, type TieredTickCache } from "@shared/cache/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { createServiceApp, serveApp, type ServedApp } from "@shared/http/mod.ts";
import { createMetrics, type Logger } from "@shared/obs/mod.ts";
import { InstrumentRegistry, openStore, type Store } from "@shared/storage/mod.ts";
import { AlertEvaluator, createAlertHandlers } from "./alerting/mod.ts";
import { IpcExchange, type SymbolRequest } from "./ipc/mod.ts";
import { traderChecks, traderMetrics, traderSnapshot } from "./metrics.ts";
import { StrategyLogWriter } from "./paper/log_writer.ts";
import { PaperTrader } from "./paper/paper_trader.ts";
import type { StrategySpec } from "./paper/specs.ts";
import { MarketDataPipeline } from "./pipeline/market_data.ts";

/** How to run the trader. */
export interface TraderServiceOptions {
  config: AppConfig;
  /** The symbols to consume (with an exchange or instance when several serve one). */
  symbols: SymbolRequest[];
  /** Paper trading: these strategies (none: market data and cache only). */
  strategies?: StrategySpec[];
  /** The database for live_strategy_log (default: opened from `[database]` when trading). */
  store?: Store;
  /** Read each channel from its oldest record still in the ring (default: from the latest). */
  fromOldest?: boolean;
  /** HTTP port (default `[http] trader_port`; 0 = ephemeral). */
  port?: number;
  /** Live lines (signals, fills, status). */
  out?: (line: string) => void;
  logger: Logger;
}

/** What a stopped (or running) trader reports. */
export interface TraderSummary {
  ticksDelivered: number;
  ticksProcessed: number;
  ticksRejected: number;
  recordsLost: number;
  reconnects: number;
  strategies: {
    strategy: string;
    symbol: string;
    account: string;
    decisions: number;
    fills: number;
    failed: boolean;
  }[];
  accounts: { id: string; currency: string; equity: Decimal; pnl: Decimal }[];
  logRowsWritten: number;
  alertsFired: number;
}

/** A started trader. */
export interface TraderService {
  readonly ipc: IpcExchange;
  readonly pipeline: MarketDataPipeline;
  readonly cache: TieredTickCache;
  readonly paper: PaperTrader | undefined;
  readonly alerts: AlertEvaluator;
  readonly http: ServedApp;
  summary(): TraderSummary;
  stop(): Promise<void>;
}

/** Bars close on the live clock this often when no tick comes. */
const CLOCK_MS = 250;

/** Starts the trader; a bad strategy, an unserved symbol or a down database throws one line. */
export async function startTraderService(options: TraderServiceOptions): Promise<TraderService> {
  const { config, logger } = options;
  const cleanup: (() => Promise<void> | void)[] = [];
  // Steps run last-registered first; each one runs even when an earlier one failed.
  const undo = async () => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.error("Shutdown step failed", { error: (error as Error).message });
      }
    }
    cleanup.length = 0;
  };
  const guarded = (what: string, run: () => void) => () => {
    try {
      run();
    } catch (error) {
      logger.error(`${what} failed`, { error: (error as Error).message });
    }
  };
  // The HTTP server stops last, after every flush, so a slow client cannot delay them.
  let http: ServedApp | undefined;
  cleanup.push(() => http?.shutdown());
  try {
    const cache = openTickCache(config.cache, logger.child({ component: "cache" }));
    cleanup.push(() => cache.close());
    const strategies = options.strategies ?? [];
    let paper: PaperTrader | undefined;
    let log: StrategyLogWriter | undefined;
    if (strategies.length > 0) {
      let store = options.store;
      if (store === undefined) {
        const opened = await openStore(config.database, {
          migrate: true,
          applicationName: "trader",
        });
        cleanup.push(() => opened.close());
        store = opened;
      }
      const scales = await sizeScales(store, options.symbols, logger);
      const writer = new StrategyLogWriter({
        store,
        flushMs: config.paper_trading.log_flush_ms,
        logger: logger.child({ component: "strategy_log" }),
      });
      cleanup.push(() => writer.close());
      log = writer;
      const trader = await PaperTrader.create({
        config,
        specs: strategies,
        sizeScale: (symbol) => scales.get(symbol) ?? 0,
        log: writer,
        logger: logger.child({ component: "paper" }),
        out: options.out,
      });
      cleanup.push(() => trader.free());
      paper = trader;
      for (const symbol of trader.symbols()) {
        const { ticks } = await cache.recent(symbol, config.cache.memory.max_ticks_per_symbol);
        trader.warmUp(ticks);
        if (ticks.length > 0) {
          logger.info("Warmed up on cached ticks", { symbol, ticks: ticks.length });
        }
      }
    }

    const pipeline = new MarketDataPipeline({
      symbols: options.symbols.map((s) => s.symbol),
      cache,
      paper,
      logger,
    });
    const ipc = await IpcExchange.start({
      namespace: config.ipc.namespace,
      symbols: options.symbols,
      staleAfterSecs: config.ipc.stale_after_secs,
      logger: logger.child({ component: "ipc" }),
      startFrom: options.fromOldest ? "oldest" : "latest",
      onTrade: (trade) => pipeline.collect(trade),
      onBatchEnd: () => pipeline.drain(),
      backpressure: () => pipeline.backpressure(),
      onGap: (gap) => {
        pipeline.resumed(gap.symbol, gap.exchange);
        options.out?.(
          `${new Date().toISOString().slice(11, 19)} GAP   ${gap.symbol} resumed after ${
            (gap.downMs / 1000).toFixed(1)
          } s down${
            gap.gapNs === undefined
              ? ""
              : `, ${(Number(gap.gapNs) / 1e9).toFixed(1)} s of data missing`
          }`,
        );
      },
    });
    cleanup.push(() => ipc.stop());
    cleanup.push(() => pipeline.stop());

    const sources = { ipc, pipeline, cache, paper, log, startedMs: Date.now() };
    const alerts = new AlertEvaluator({
      config: config.alerting,
      snapshot: () => traderSnapshot(sources),
      handlers: createAlertHandlers(config.alerting, logger.child({ component: "alerts" })),
      logger: logger.child({ component: "alerts" }),
    });
    alerts.start();
    cleanup.push(() => alerts.stop());

    const metrics = createMetrics({ collectDefault: true });
    const refresh = traderMetrics(metrics, { ...sources, alerts });
    const timers = [
      setInterval(guarded("Metrics refresh", refresh), 1000),
      setInterval(guarded("Bar clock", () => paper?.closeDue()), CLOCK_MS),
      setInterval(
        guarded("Status lines", () => {
          for (const line of paper?.statusLines() ?? []) options.out?.(line);
        }),
        config.paper_trading.status_interval_secs * 1000,
      ),
    ];
    cleanup.push(() => timers.forEach(clearInterval));

    const app = createServiceApp({
      service: "trader",
      version: "0.1.0",
      metrics,
      checks: traderChecks({ ...sources, alerts }),
      logger,
    });
    http = await serveApp(app, {
      hostname: config.http.host,
      port: options.port ?? config.http.trader_port,
      logger,
    });
    logger.info("Trading", {
      symbols: options.symbols.map((s) => s.symbol).join(","),
      strategies: paper?.slots.map((s) => `${s.strategyId}:${s.symbol}@${s.accountId}`).join(",") ??
        "none",
      http: http.url,
    });

    let stopping: Promise<void> | undefined;
    const summary = (): TraderSummary => {
      const status = ipc.status();
      return {
        ticksDelivered: pipeline.counters.received,
        ticksProcessed: pipeline.counters.processed,
        ticksRejected: Object.values(pipeline.counters.rejected).reduce((a, b) => a + b, 0),
        recordsLost: status.reduce((a, s) => a + s.lost, 0),
        reconnects: status.reduce((a, s) => a + s.reconnects, 0),
        strategies: (paper?.slots ?? []).map((s) => ({
          strategy: s.strategyId,
          symbol: s.symbol,
          account: s.accountId,
          decisions: s.decisions,
          fills: s.fills,
          failed: s.failed,
        })),
        accounts: paper === undefined ? [] : [...new Set(paper.slots.map((s) => s.accountId))].map(
          (id) => {
            const account = paper!.exchange.account(id);
            return {
              id,
              currency: account.currency,
              equity: account.equity(),
              pnl: paper!.pnl(id),
            };
          },
        ),
        logRowsWritten: log?.stats().written ?? 0,
        alertsFired: Object.values(alerts.counts().fired).reduce((a, b) => a + b, 0),
      };
    };
    return {
      ipc,
      pipeline,
      cache,
      paper,
      alerts,
      http,
      summary,
      stop: () => {
        stopping ??= (async () => {
          timers.forEach(clearInterval);
          await alerts.stop();
          await ipc.stop();
          guarded("Draining the queue", () => pipeline.stop())();
          guarded("Metrics refresh", refresh)();
          await undo();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** Each symbol's size scale from the instruments table (0 when the symbol is not registered). */
async function sizeScales(
  store: Store,
  symbols: SymbolRequest[],
  logger: Logger,
): Promise<Map<string, number>> {
  const all = await new InstrumentRegistry(store).list();
  const scales = new Map<string, number>();
  for (const request of symbols) {
    const matches = all.filter((i) =>
      i.symbol === request.symbol &&
      (request.exchange === undefined || i.exchange === request.exchange)
    );
    const distinct = [...new Set(matches.map((i) => i.sizeScale))];
    if (distinct.length === 1) {
      scales.set(request.symbol, distinct[0]!);
      continue;
    }
    // Sizes would be read in the wrong unit: say so once, at start.
    logger.warn(
      distinct.length === 0
        ? "Symbol not in the instruments table: its DBN sizes are read as whole units"
        : "Symbol listed on exchanges with different size scales: name one as SYMBOL@EXCHANGE",
      {
        symbol: request.symbol,
        ...(distinct.length === 0 ? {} : {
          exchanges: matches.map((i) => `${i.exchange} (size scale ${i.sizeScale})`).join(", "),
        }),
      },
    );
    if (distinct.length > 1) scales.set(request.symbol, matches[0]!.sizeScale);
  }
  return scales;
}
