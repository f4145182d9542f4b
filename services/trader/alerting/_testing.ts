/** Fixtures for the alerting tests: the real `[alerting]` defaults and snapshot builders. */
import type { AlertingConfig } from "@shared/config/mod.ts";
import { alertingSchema } from "@shared/config/app_config.ts";
import type { Alert, AlertHandler, ChannelSnapshot, TraderSnapshot } from "./types.ts";

/** `[alerting]` with the schema's defaults, then `overrides`. */
export function alertingConfig(overrides: Partial<AlertingConfig> = {}): AlertingConfig {
  const defaults = alertingSchema.parse({}, "alerting", { runMode: "test", unknownKey() {} });
  return { ...defaults, ...overrides };
}

/** A connected, healthy channel for `symbol`, then `overrides`. */
export function channel(
  symbol: string,
  overrides: Partial<ChannelSnapshot> = {},
): ChannelSnapshot {
  return {
    symbol,
    channel: `data_manager_${symbol}_KRAKEN`,
    connected: true,
    reconnects: 0,
    lost: 0,
    utilisationPct: 0,
    lastTickAgeMs: 100,
    subscribedForMs: 60_000,
    ...overrides,
  };
}

/** A healthy snapshot at `nowMs`, then `overrides`. */
export function snapshot(
  nowMs: number,
  overrides: Partial<TraderSnapshot> = {},
): TraderSnapshot {
  return {
    nowMs,
    channels: [channel("BTCUSD"), channel("ETHUSD")],
    queueUtilisationPct: 0,
    cache: { writes: 0, failures: 0 },
    ...overrides,
  };
}

/** A handler that records what it is given. */
export class RecordingHandler implements AlertHandler {
  readonly alerts: Alert[] = [];
  constructor(readonly name = "recording") {}
  handle(alert: Alert): Promise<void> {
    this.alerts.push(alert);
    return Promise.resolve();
  }
}
