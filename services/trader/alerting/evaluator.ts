/**
 * The alert evaluator: every `interval_secs` it takes a snapshot of the trader's counters, runs the
 * rules on it and the previous snapshot, and dispatches new alerts to every handler. A (rule, key)
 * that keeps firing is dispatched again only after `cooldown_secs`; when it stops firing, one
 * "resolved" alert is dispatched. A failing snapshot, rule or handler is counted and logged and
 * never stops the others or the evaluator.
 * @module
 */
import type { AlertingConfig } from "@shared/config/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { BUILTIN_ALERT_RULES } from "./rules.ts";
import type {
  Alert,
  AlertCounts,
  AlertHandler,
  AlertRule,
  Firing,
  Severity,
  TraderSnapshot,
} from "./types.ts";

/** Options of {@linkcode AlertEvaluator}. */
export interface AlertEvaluatorOptions {
  config: AlertingConfig;
  /** Takes the trader's cumulative counters now. */
  snapshot: () => TraderSnapshot;
  handlers: readonly AlertHandler[];
  /** The rules to run (default {@linkcode BUILTIN_ALERT_RULES}). */
  rules?: readonly AlertRule[];
  logger: Logger;
  /** Clock for cooldowns and `atMs` (unix ms; default `Date.now`). */
  now?: () => number;
}

interface ActiveEntry {
  /** The latest firing alert for this (rule, key). */
  alert: Alert;
  lastSentMs: number;
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, WARNING: 1, INFO: 2 };

/** Evaluates alert rules periodically and dispatches what fires to pluggable handlers. */
export class AlertEvaluator {
  readonly #config: AlertingConfig;
  readonly #snapshot: () => TraderSnapshot;
  readonly #handlers: readonly AlertHandler[];
  readonly #rules: readonly AlertRule[];
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #active = new Map<string, ActiveEntry>();
  readonly #counts: AlertCounts = {
    rounds: 0,
    fired: {},
    resolved: {},
    handlerFailures: 0,
    handlerFailuresByName: {},
    ruleErrors: 0,
    snapshotErrors: 0,
  };
  #previous: TraderSnapshot | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Rounds run one at a time: each starts after the one before has dispatched. */
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Creates an evaluator; nothing runs until {@linkcode start} or {@linkcode evaluate}. */
  constructor(options: AlertEvaluatorOptions) {
    this.#config = options.config;
    this.#snapshot = options.snapshot;
    this.#handlers = [...options.handlers];
    this.#rules = [...(options.rules ?? BUILTIN_ALERT_RULES)];
    this.#logger = options.logger.child({ component: "alerting" });
    this.#now = options.now ?? Date.now;
  }

  /** Evaluates every `interval_secs` until {@linkcode stop}; does nothing when disabled. */
  start(): void {
    if (!this.#config.enabled || this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.#config.interval_secs * 1000);
    this.#logger.info("Alerting started", {
      intervalSecs: this.#config.interval_secs,
      cooldownSecs: this.#config.cooldown_secs,
      rules: this.#rules.map((rule) => rule.name),
      handlers: this.#handlers.map((handler) => handler.name),
    });
  }

  /** Stops the periodic evaluation; resolves once a round in progress has dispatched. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    await this.#tail;
  }

  /** Runs one round now and returns the alerts it dispatched ([] when disabled). */
  evaluate(): Promise<Alert[]> {
    this.#pending++;
    const run = this.#tail.then(() => this.#round());
    this.#tail = run.catch(() => {}).finally(() => this.#pending--);
    return run;
  }

  /** The alerts firing now, most severe first (for /health); `atMs` is the last round's time. */
  active(): Alert[] {
    return [...this.#active.values()]
      .map((entry) => ({ ...entry.alert }))
      .sort((a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        a.rule.localeCompare(b.rule) || a.key.localeCompare(b.key)
      );
  }

  /** Alerts fired and resolved per rule, and the failures met on the way. */
  counts(): AlertCounts {
    const counts = this.#counts;
    return {
      ...counts,
      fired: { ...counts.fired },
      resolved: { ...counts.resolved },
      handlerFailuresByName: { ...counts.handlerFailuresByName },
    };
  }

  #tick(): void {
    // A round still dispatching (a slow webhook) makes the timer skip rather than queue rounds.
    if (this.#pending > 0) return;
    this.evaluate().catch((error) => this.#logger.error("Alert round failed", { error }));
  }

  async #round(): Promise<Alert[]> {
    if (!this.#config.enabled) return [];
    this.#counts.rounds++;
    let current: TraderSnapshot;
    try {
      current = this.#snapshot();
    } catch (error) {
      this.#counts.snapshotErrors++;
      this.#logger.error("Alert snapshot failed; round skipped", { error });
      return [];
    }
    const previous = this.#previous;
    this.#previous = current;
    const nowMs = this.#now();
    const outgoing: Alert[] = [];
    const seen = new Set<string>();
    const failedRules = new Set<string>();
    for (const rule of this.#rules) {
      let firings: Firing[];
      try {
        firings = rule.evaluate(current, previous, this.#config);
      } catch (error) {
        this.#counts.ruleErrors++;
        failedRules.add(rule.name);
        this.#logger.error("Alert rule failed", { rule: rule.name, error });
        continue;
      }
      for (const firing of firings) {
        const id = alertId(rule.name, firing.key);
        if (seen.has(id)) continue;
        seen.add(id);
        const alert = this.#fire(id, rule, firing, nowMs);
        if (alert !== undefined) outgoing.push(alert);
      }
    }
    for (const [id, entry] of this.#active) {
      // A rule that threw said nothing about its keys: leave them as they were.
      if (seen.has(id) || failedRules.has(entry.alert.rule)) continue;
      this.#active.delete(id);
      outgoing.push(resolvedAlert(entry.alert, nowMs));
    }
    await Promise.all(
      outgoing.flatMap((alert) => this.#handlers.map((handler) => this.#deliver(handler, alert))),
    );
    for (const alert of outgoing) {
      const tally = alert.state === "firing" ? this.#counts.fired : this.#counts.resolved;
      tally[alert.rule] = (tally[alert.rule] ?? 0) + 1;
    }
    return outgoing;
  }

  /** Records a firing; returns the alert when it is due to be dispatched. */
  #fire(id: string, rule: AlertRule, firing: Firing, nowMs: number): Alert | undefined {
    const entry = this.#active.get(id);
    const alert: Alert = {
      rule: rule.name,
      key: firing.key,
      severity: rule.severity,
      state: "firing",
      message: firing.message,
      ...(firing.value === undefined ? {} : { value: firing.value }),
      ...(firing.threshold === undefined ? {} : { threshold: firing.threshold }),
      atMs: nowMs,
      sinceMs: entry?.alert.sinceMs ?? nowMs,
    };
    if (entry === undefined) {
      this.#active.set(id, { alert, lastSentMs: nowMs });
      return alert;
    }
    entry.alert = alert;
    if (nowMs - entry.lastSentMs < this.#config.cooldown_secs * 1000) return undefined;
    entry.lastSentMs = nowMs;
    return alert;
  }

  async #deliver(handler: AlertHandler, alert: Alert): Promise<void> {
    try {
      await handler.handle({ ...alert });
    } catch (error) {
      const counts = this.#counts;
      counts.handlerFailures++;
      counts.handlerFailuresByName[handler.name] = (counts.handlerFailuresByName[handler.name] ??
        0) + 1;
      this.#logger.warn("Alert handler failed", {
        handler: handler.name,
        rule: alert.rule,
        key: alert.key,
        error,
      });
    }
  }
}

function alertId(rule: string, key: string): string {
  return `${rule}\n${key}`;
}

function resolvedAlert(last: Alert, nowMs: number): Alert {
  const sinceMs = last.sinceMs ?? last.atMs;
  const forSecs = Math.max(0, Math.round((nowMs - sinceMs) / 1000));
  return {
    rule: last.rule,
    key: last.key,
    severity: last.severity,
    state: "resolved",
    message: `Resolved after ${forSecs} s: ${last.message}`,
    ...(last.threshold === undefined ? {} : { threshold: last.threshold }),
    atMs: nowMs,
    sinceMs,
  };
}
