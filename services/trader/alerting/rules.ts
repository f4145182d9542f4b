/**
 * The built-in alert rules (the seed's four plus reader overrun and stale data). Counters in a
 * {@linkcode TraderSnapshot} are cumulative; a rule works on the delta between two snapshots, and
 * on the first round (no previous snapshot) on the counts since the trader started. A counter that
 * went down (the trader restarted a component) counts from zero again.
 * @module
 */
import type { AlertRule, ChannelSnapshot, Firing, TraderSnapshot } from "./types.ts";

/** `current - previous` of a cumulative counter; a counter that went down restarted from zero. */
export function counterDelta(current: number, previous: number | undefined): number {
  if (previous === undefined || current < previous) return current;
  return current - previous;
}

function previousBySymbol(previous: TraderSnapshot | undefined): Map<string, ChannelSnapshot> {
  return new Map((previous?.channels ?? []).map((channel) => [channel.symbol, channel]));
}

function intervalText(current: TraderSnapshot, previous: TraderSnapshot | undefined): string {
  if (previous === undefined) return "since start";
  return `in the last ${seconds(current.nowMs - previous.nowMs)} s`;
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}

/** A number with at most one decimal, for messages (85, 85.3). */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function channelName(channel: ChannelSnapshot): string {
  return channel.channel === undefined
    ? `IPC channel for ${channel.symbol}`
    : `IPC channel ${channel.channel} for ${channel.symbol}`;
}

/** CRITICAL: one per symbol whose channel is not connected (the seed's "connection status = 0"). */
export const ipcDisconnectedRule: AlertRule = {
  name: "ipc_disconnected",
  severity: "CRITICAL",
  evaluate(current) {
    const firings: Firing[] = [];
    for (const channel of current.channels) {
      if (channel.connected) continue;
      const downFor = channel.disconnectedForMs;
      let message = `${channelName(channel)} disconnected`;
      if (downFor !== undefined) message += ` for ${seconds(downFor)} s`;
      const details: string[] = [];
      if (channel.reason) details.push(channel.reason);
      const pid = channel.writerPid;
      if (pid !== undefined && !(channel.reason ?? "").includes(String(pid))) {
        details.push(`writer pid ${pid}`);
      }
      if (details.length > 0) message += ` (${details.join(", ")})`;
      firings.push({
        key: channel.symbol,
        message,
        ...(downFor === undefined ? {} : { value: seconds(downFor) }),
      });
    }
    return firings;
  },
};

/** WARNING: reconnects of all channels in the interval above `reconnection_storm_threshold`. */
export const ipcReconnectionStormRule: AlertRule = {
  name: "ipc_reconnection_storm",
  severity: "WARNING",
  evaluate(current, previous, config) {
    const before = previousBySymbol(previous);
    const perSymbol: string[] = [];
    let total = 0;
    for (const channel of current.channels) {
      const count = counterDelta(channel.reconnects, before.get(channel.symbol)?.reconnects);
      if (count <= 0) continue;
      total += count;
      perSymbol.push(`${channel.symbol} ${count}`);
    }
    const threshold = config.reconnection_storm_threshold;
    if (total <= threshold) return [];
    return [{
      key: "ipc",
      message: `IPC reconnection storm: ${total} reconnects ${
        intervalText(current, previous)
      } (threshold ${threshold}; ${perSymbol.join(", ")})`,
      value: total,
      threshold,
    }];
  },
};

/** WARNING: a channel ring, or the trader's own queue (key `queue`), at or above the threshold. */
export const channelBackpressureRule: AlertRule = {
  name: "channel_backpressure",
  severity: "WARNING",
  evaluate(current, _previous, config) {
    const threshold = config.channel_backpressure_threshold;
    const firings: Firing[] = [];
    for (const channel of current.channels) {
      if (!(channel.utilisationPct >= threshold)) continue;
      firings.push({
        key: channel.symbol,
        message: `${channelName(channel)} at ${num(channel.utilisationPct)}% of its ring ` +
          `(threshold ${num(threshold)}%)`,
        value: channel.utilisationPct,
        threshold,
      });
    }
    if (current.queueUtilisationPct >= threshold) {
      firings.push({
        key: "queue",
        message: `Trader tick queue ${num(current.queueUtilisationPct)}% full ` +
          `(threshold ${num(threshold)}%)`,
        value: current.queueUtilisationPct,
        threshold,
      });
    }
    return firings;
  },
};

/**
 * WARNING: cache failures / writes in the interval at or above `cache_failure_threshold`; failures
 * with no writes at all fire too. No failures never fire, even with a threshold of 0.
 */
export const cacheFailureRateRule: AlertRule = {
  name: "cache_failure_rate",
  severity: "WARNING",
  evaluate(current, previous, config) {
    const writes = counterDelta(current.cache.writes, previous?.cache.writes);
    const failures = counterDelta(current.cache.failures, previous?.cache.failures);
    const threshold = config.cache_failure_threshold;
    if (failures <= 0) return [];
    const when = intervalText(current, previous);
    const limit = `threshold ${num(threshold * 100)}%`;
    if (writes <= 0) {
      return [{
        key: "cache",
        message: `Cache failing: ${failures} failures and no writes ${when} (${limit})`,
        value: 1,
        threshold,
      }];
    }
    const rate = failures / writes;
    if (rate < threshold) return [];
    return [{
      key: "cache",
      message: `Cache failure rate ${num(rate * 100)}% ${when} ` +
        `(${failures} failures / ${writes} writes; ${limit})`,
      value: rate,
      threshold,
    }];
  },
};

/** WARNING: per symbol, records lost to reader overrun in the interval at or above the threshold. */
export const readerOverrunRule: AlertRule = {
  name: "reader_overrun",
  severity: "WARNING",
  evaluate(current, previous, config) {
    const before = previousBySymbol(previous);
    const threshold = config.reader_loss_threshold;
    const firings: Firing[] = [];
    for (const channel of current.channels) {
      const lost = counterDelta(channel.lost, before.get(channel.symbol)?.lost);
      if (lost < threshold || lost <= 0) continue;
      firings.push({
        key: channel.symbol,
        message: `Reader overrun on ${channel.symbol}: ${lost} records lost ${
          intervalText(current, previous)
        } (threshold ${threshold})`,
        value: lost,
        threshold,
      });
    }
    return firings;
  },
};

/** WARNING: per connected symbol, no tick for longer than `stale_data_secs` (or none yet). */
export const staleDataRule: AlertRule = {
  name: "stale_data",
  severity: "WARNING",
  evaluate(current, _previous, config) {
    const threshold = config.stale_data_secs;
    const limitMs = threshold * 1000;
    const firings: Firing[] = [];
    for (const channel of current.channels) {
      if (!channel.connected) continue; // ipc_disconnected already says so
      const age = channel.lastTickAgeMs;
      if (age !== undefined) {
        if (!(age > limitMs)) continue;
        firings.push({
          key: channel.symbol,
          message: `No tick for ${channel.symbol} for ${seconds(age)} s (threshold ${threshold} s)`,
          value: age / 1000,
          threshold,
        });
      } else if (channel.subscribedForMs > limitMs) {
        firings.push({
          key: channel.symbol,
          message: `No tick for ${channel.symbol} since it was subscribed ` +
            `${seconds(channel.subscribedForMs)} s ago (threshold ${threshold} s)`,
          value: channel.subscribedForMs / 1000,
          threshold,
        });
      }
    }
    return firings;
  },
};

/** The built-in rules, in the order they are evaluated. */
export const BUILTIN_ALERT_RULES: readonly AlertRule[] = Object.freeze([
  ipcDisconnectedRule,
  ipcReconnectionStormRule,
  channelBackpressureRule,
  cacheFailureRateRule,
  readerOverrunRule,
  staleDataRule,
]);
