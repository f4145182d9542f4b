/**
 * Alerting for the trader: threshold rules over snapshots of the trader's counters, evaluated
 * periodically with a cooldown, dispatched to pluggable handlers (log, webhook). Start with
 * {@linkcode AlertEvaluator} and {@linkcode createAlertHandlers}.
 * @module
 */
export type {
  Alert,
  AlertCounts,
  AlertHandler,
  AlertRule,
  AlertState,
  ChannelSnapshot,
  Firing,
  Severity,
  TraderSnapshot,
} from "./types.ts";
export {
  BUILTIN_ALERT_RULES,
  cacheFailureRateRule,
  channelBackpressureRule,
  counterDelta,
  ipcDisconnectedRule,
  ipcReconnectionStormRule,
  readerOverrunRule,
  staleDataRule,
} from "./rules.ts";
export { AlertEvaluator, type AlertEvaluatorOptions } from "./evaluator.ts";
export {
  createAlertHandlers,
  type CreateAlertHandlersOptions,
  LogAlertHandler,
} from "./handlers.ts";
export {
  WebhookAlertHandler,
  type WebhookAlertHandlerOptions,
  type WebhookBody,
  webhookBody,
  type WebhookStats,
} from "./webhook.ts";
