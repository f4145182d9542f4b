/**
 * The alerting vocabulary: alerts, the snapshot of cumulative counters the rules read, rules and
 * handlers. The trader builds a {@linkcode TraderSnapshot} on demand; the evaluator diffs two of
 * them per interval.
 * @module
 */
import type { AlertingConfig } from "@shared/config/mod.ts";

/** How bad an alert is. */
export type Severity = "INFO" | "WARNING" | "CRITICAL";

/** An alert is firing until its condition clears, then it is dispatched once as resolved. */
export type AlertState = "firing" | "resolved";

/** One dispatched alert. */
export interface Alert {
  /** The rule's name, e.g. `ipc_disconnected`. */
  rule: string;
  /** What the rule fired for: a symbol, `queue`, `ipc`, `cache`. */
  key: string;
  /** The rule's severity (kept on resolved alerts too). */
  severity: Severity;
  state: AlertState;
  /** One line with the numbers. */
  message: string;
  value?: number;
  threshold?: number;
  /** When the alert was dispatched (unix ms). */
  atMs: number;
  /** When the condition started firing (unix ms); set by the evaluator. */
  sinceMs?: number;
}

/** One IPC channel (one symbol) as the trader sees it; counters are cumulative. */
export interface ChannelSnapshot {
  symbol: string;
  /** The channel's file name, e.g. `data_manager_BTCUSD_KRAKEN`. */
  channel?: string;
  connected: boolean;
  /** Reattachments since the trader started. */
  reconnects: number;
  /** Records lost to reader overrun since the trader started. */
  lost: number;
  /** How full the ring is from this reader's point of view, 0..100. */
  utilisationPct: number;
  /** Age of the last tick; absent before the first one. */
  lastTickAgeMs?: number;
  /** How long the symbol has been subscribed. */
  subscribedForMs: number;
  /** Why the channel is disconnected, e.g. `writer stale`, `writer pid 1234 exited`. */
  reason?: string;
  /** The writer's pid, when known. */
  writerPid?: number;
  /** How long the channel has been disconnected. */
  disconnectedForMs?: number;
}

/** What the rules read, taken by the trader at each evaluation; counters are cumulative. */
export interface TraderSnapshot {
  /** When the snapshot was taken (unix ms); the interval is the difference of two of these. */
  nowMs: number;
  channels: ChannelSnapshot[];
  /** How full the trader's own tick queue is, 0..100. */
  queueUtilisationPct: number;
  cache: { writes: number; failures: number };
}

/** A rule's verdict for one key. */
export interface Firing {
  key: string;
  message: string;
  value?: number;
  threshold?: number;
}

/** A threshold condition over two consecutive snapshots. */
export interface AlertRule {
  readonly name: string;
  readonly severity: Severity;
  /** Returns one firing per key whose condition holds now (`previous` is absent on the first round). */
  evaluate(
    current: TraderSnapshot,
    previous: TraderSnapshot | undefined,
    config: AlertingConfig,
  ): Firing[];
}

/** Where alerts go (log, webhook, ...); anything implementing this can be plugged in. */
export interface AlertHandler {
  readonly name: string;
  handle(alert: Alert): Promise<void>;
}

/** What the evaluator has done since it was created. */
export interface AlertCounts {
  /** Evaluation rounds run. */
  rounds: number;
  /** Firing alerts dispatched per rule (repeats after the cooldown included). */
  fired: Record<string, number>;
  /** Resolved alerts dispatched per rule. */
  resolved: Record<string, number>;
  /** Handler calls that threw or rejected, in all. */
  handlerFailures: number;
  /** Handler calls that threw or rejected, per handler name. */
  handlerFailuresByName: Record<string, number>;
  /** Rule evaluations that threw (the rule's alerts are left as they were). */
  ruleErrors: number;
  /** Snapshots that could not be taken (the round is skipped). */
  snapshotErrors: number;
}
