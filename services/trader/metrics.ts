/**
 * The trader's metrics, health checks and the snapshot the alert rules read. Hot-path counters
 * are plain numbers in the pipeline, the IPC exchange, the cache and the paper trader; `refresh()`
 * (every second) copies them into Prometheus counters and gauges. Every counter an alert rule
 * reads is on /metrics.
 * @module
 */
import type { TieredTickCache } from "@shared/cache/mod.ts";
import type { CheckResult, HealthCheck } from "@shared/http/mod.ts";
import { counterSync, type Metrics } from "@shared/obs/mod.ts";
import type { AlertEvaluator, TraderSnapshot } from "./alerting/mod.ts";
import type { IpcExchange } from "./ipc/mod.ts";
import type { StrategyLogWriter } from "./paper/log_writer.ts";
import type { PaperTrader } from "./paper/paper_trader.ts";
import type { MarketDataPipeline } from "./pipeline/market_data.ts";

/** What the metrics, checks and snapshot read. */
export interface TraderSources {
  ipc: IpcExchange;
  pipeline: MarketDataPipeline;
  cache: TieredTickCache;
  paper?: PaperTrader;
  log?: StrategyLogWriter;
  alerts?: AlertEvaluator;
  /** When each symbol was requested (Date.now()). */
  startedMs: number;
}

/** The cumulative counters the alert rules compare between evaluations. */
export function traderSnapshot(sources: TraderSources, nowMs = Date.now()): TraderSnapshot {
  const last = sources.pipeline.lastTicks();
  const cache = sources.cache.stats();
  return {
    nowMs,
    channels: sources.ipc.status().map((s) => {
      const lastTick = last.get(s.symbol);
      return {
        symbol: s.symbol,
        ...(s.channel === undefined ? {} : { channel: s.channel }),
        connected: s.state === "connected",
        reconnects: s.reconnects,
        lost: s.lost,
        utilisationPct: s.utilisationPct,
        ...(lastTick === undefined ? {} : { lastTickAgeMs: Math.max(0, nowMs - lastTick.atMs) }),
        subscribedForMs: nowMs - sources.startedMs,
        ...(s.reason === undefined ? {} : { reason: s.reason }),
        ...(s.writerPid === undefined ? {} : { writerPid: s.writerPid }),
        ...(s.state === "connected" ? {} : { disconnectedForMs: Math.max(0, nowMs - s.since) }),
      };
    }),
    queueUtilisationPct: sources.pipeline.queue.utilisationPct,
    cache: { writes: cache.writes, failures: cache.l2Failures },
  };
}

/** Registers the trader metrics; returns the refresh function. */
export function traderMetrics(metrics: Metrics, sources: TraderSources): () => void {
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    metrics.counter({ name, help, labelNames });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    metrics.gauge({ name, help, labelNames });
  const received = counter("trader_ticks_received_total", "Trades read from IPC channels");
  const processed = counter("trader_ticks_processed_total", "Trades taken off the queue");
  const rejected = counter("trader_ticks_rejected_total", "Trades failing validation", ["reason"]);
  const queueDepth = gauge(
    "trader_queue_depth",
    "Trades waiting between collection and processing",
  );
  const queueHigh = gauge("trader_queue_high_water", "Most trades ever waiting in the queue");
  const queueUse = gauge("trader_queue_utilisation_pct", "Queue fill, percent of capacity");
  const ipcUp = gauge("trader_ipc_connection_status", "1 while the symbol's channel is connected", [
    "symbol",
  ]);
  const reconnects = gauge("trader_ipc_reconnections", "Channel reattachments since start", [
    "symbol",
  ]);
  const lost = gauge("trader_ipc_records_lost", "Records lost to reader overrun since start", [
    "symbol",
  ]);
  const channelUse = gauge(
    "trader_channel_utilisation_pct",
    "Unread records, percent of the ring",
    [
      "symbol",
    ],
  );
  const tickAge = gauge("trader_last_tick_age_seconds", "Seconds since the symbol's last trade", [
    "symbol",
  ]);
  const cacheWrites = counter("trader_cache_writes_total", "Ticks written to the cache");
  const cacheFailures = counter(
    "trader_cache_failures_total",
    "Ticks whose L2 (Redis) write failed",
  );
  const cacheReads = counter("trader_cache_reads_total", "Cache reads by tier that answered", [
    "tier",
  ]);
  const l2Up = gauge("trader_cache_l2_up", "1 while Redis answers (-1 without Redis)");
  const latency = gauge("trader_signal_latency_us", "IPC read to strategy decision, microseconds", [
    "quantile",
  ]);
  const decisions = counter("trader_paper_decisions_total", "Strategy decisions", [
    "strategy",
    "symbol",
  ]);
  const fills = counter("trader_paper_fills_total", "Paper fills", ["strategy", "symbol"]);
  const equity = gauge("trader_paper_equity", "Account equity (account currency)", ["account"]);
  const pnl = gauge("trader_paper_pnl", "Account P&L since start (account currency)", ["account"]);
  const logRows = counter("trader_strategy_log_rows_total", "live_strategy_log rows written");
  const logPending = gauge("trader_strategy_log_pending", "live_strategy_log rows waiting");
  const alertsActive = gauge("trader_alerts_active", "Alerts currently firing");
  const dropped = counter(
    "trader_dropped_total",
    "Records or reports lost on the way, by where: ipc_unreadable (unknown or priceless slots), " +
      "ipc_callback, queue_full, processing, late_tick (fed at the clock's time), " +
      "paper_report, log_dropped, log_failed_write",
    ["reason"],
  );

  const add = counterSync();
  return () => {
    const now = Date.now();
    const { pipeline, cache, paper, log, alerts } = sources;
    const c = pipeline.counters;
    add(received, "received", c.received);
    add(processed, "processed", c.processed);
    for (const [reason, n] of Object.entries(c.rejected)) {
      add(rejected, `r:${reason}`, n, { reason });
    }
    queueDepth.set(pipeline.queue.length);
    queueUse.set(pipeline.queue.utilisationPct);
    queueHigh.set(pipeline.queue.highWater);
    const last = pipeline.lastTicks();
    for (const s of sources.ipc.status()) {
      const labels = { symbol: s.symbol };
      ipcUp.set(labels, s.state === "connected" ? 1 : 0);
      reconnects.set(labels, s.reconnects);
      lost.set(labels, s.lost);
      channelUse.set(labels, s.utilisationPct);
      const tick = last.get(s.symbol);
      tickAge.set(labels, tick === undefined ? -1 : Math.max(0, (now - tick.atMs) / 1000));
    }
    const stats = cache.stats();
    add(cacheWrites, "cw", stats.writes);
    add(cacheFailures, "cf", stats.l2Failures);
    add(cacheReads, "l1", stats.l1Hits, { tier: "l1" });
    add(cacheReads, "l2", stats.l2Hits, { tier: "l2" });
    add(cacheReads, "miss", stats.misses, { tier: "miss" });
    l2Up.set(stats.l2Status === "disabled" ? -1 : stats.l2Status === "connected" ? 1 : 0);
    for (const q of [50, 99]) {
      const ns = pipeline.latency.percentile(q);
      if (ns !== undefined) latency.set({ quantile: `0.${q}` }, ns / 1000);
    }
    if (paper !== undefined) {
      for (const slot of paper.slots) {
        const labels = { strategy: slot.strategyId, symbol: slot.symbol };
        add(decisions, `d:${slot.strategyId}:${slot.symbol}`, slot.decisions, labels);
        add(fills, `f:${slot.strategyId}:${slot.symbol}`, slot.fills, labels);
      }
      for (const account of paper.exchange.accounts()) {
        equity.set({ account: account.id }, account.equity().toNumber());
        pnl.set({ account: account.id }, paper.pnl(account.id).toNumber());
      }
    }
    if (log !== undefined) {
      add(logRows, "rows", log.stats().written);
      logPending.set(log.stats().pending);
    }
    if (alerts !== undefined) alertsActive.set(alerts.active().length);
    const ipcStats = sources.ipc.stats();
    const logStats = log?.stats();
    const drops: Record<string, number> = {
      ipc_unreadable: ipcStats.dropped,
      ipc_callback: ipcStats.callbackErrors,
      queue_full: c.queueDropped,
      processing: pipeline.errors,
      late_tick: paper?.lateTicks ?? 0,
      paper_report: paper?.listenerErrors ?? 0,
      log_dropped: logStats?.dropped ?? 0,
      log_failed_write: logStats?.failedWrites ?? 0,
    };
    for (const [reason, n] of Object.entries(drops)) add(dropped, `x:${reason}`, n, { reason });
  };
}

/** The /health checks: IPC per symbol, the cache, the last tick's age, active alerts. */
export function traderChecks(sources: TraderSources): Record<string, HealthCheck> {
  return {
    ipc: {
      run: (): CheckResult => {
        const now = Date.now();
        const last = sources.pipeline.lastTicks();
        const symbols = Object.fromEntries(
          sources.ipc.status().map((s) => {
            const tick = last.get(s.symbol);
            return [s.symbol, {
              state: s.state,
              ...(s.channel === undefined ? {} : { channel: s.channel }),
              ...(s.instanceId === undefined ? {} : { instance: s.instanceId }),
              ...(s.reason === undefined ? {} : { reason: s.reason }),
              reconnects: s.reconnects,
              lost: s.lost,
              lastTickAgeSeconds: tick === undefined ? null : Math.max(0, (now - tick.atMs) / 1000),
            }];
          }),
        );
        const down = sources.ipc.status().filter((s) => s.state !== "connected").map((s) =>
          s.symbol
        );
        return {
          status: down.length === 0 ? "ok" : "degraded",
          detail: down.length === 0 ? "all channels connected" : `disconnected: ${down.join(", ")}`,
          symbols,
        };
      },
    },
    cache: {
      critical: false,
      run: (): CheckResult => {
        const s = sources.cache.stats();
        const l2 = s.l2Status;
        return {
          status: l2 === "disabled" || l2 === "connected" ? "ok" : "degraded",
          detail:
            `L1 memory; L2 redis ${l2}; ${s.l2Failures} failed L2 writes, ${s.pending} pending`,
          l2,
          writes: s.writes,
          l2Failures: s.l2Failures,
        };
      },
    },
    alerts: {
      critical: false,
      run: (): CheckResult => {
        const active = sources.alerts?.active() ?? [];
        return {
          status: active.some((a) => a.severity !== "INFO") ? "degraded" : "ok",
          detail: active.length === 0 ? "none active" : active.map((a) => a.message).join("; "),
          active: active.map((a) => ({
            rule: a.rule,
            key: a.key,
            severity: a.severity,
            message: a.message,
            since: new Date(a.atMs).toISOString(),
          })),
        };
      },
    },
  };
}
