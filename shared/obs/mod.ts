/**
 * Observability shared by every service: one structured logger and a per-service Prometheus
 * metrics registry.
 *
 * @module
 */
export { isLogLevel, LOG_LEVELS, type LogLevel, logLevelRank, parseLogLevel } from "./log_level.ts";
export {
  createLogger,
  createNullLogger,
  type LogFields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogSink,
} from "./logger.ts";
export { isSecretKey, redact, REDACTED, SECRET_KEY_REGEXP } from "./redact.ts";
export {
  createMetrics,
  type HistogramDefinition,
  type MetricDefinition,
  type Metrics,
  type MetricsOptions,
  PROMETHEUS_CONTENT_TYPE,
} from "./metrics.ts";
export type { Counter, Gauge, Histogram } from "prom-client";
export { counterSync } from "./counter_sync.ts";
