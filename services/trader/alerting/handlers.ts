/**
 * Alert handlers: the log handler (always on) and {@linkcode createAlertHandlers}, which adds the
 * webhook handler when `[alerting] webhook_url` is set. Any {@linkcode AlertHandler} can be passed
 * to the evaluator beside or instead of these.
 * @module
 */
import type { AlertingConfig } from "@shared/config/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import type { Alert, AlertHandler } from "./types.ts";
import { WebhookAlertHandler } from "./webhook.ts";

/** Writes alerts to the log: CRITICAL as error, WARNING as warn, resolved and INFO as info. */
export class LogAlertHandler implements AlertHandler {
  readonly name = "log";
  readonly #logger: Logger;

  /** Logs through `logger` (a child with `component: "alert"`). */
  constructor(logger: Logger) {
    this.#logger = logger.child({ component: "alert" });
  }

  /** Logs `alert` at the level its severity and state call for. */
  handle(alert: Alert): Promise<void> {
    const fields = {
      rule: alert.rule,
      key: alert.key,
      severity: alert.severity,
      state: alert.state,
      value: alert.value,
      threshold: alert.threshold,
    };
    if (alert.state === "resolved" || alert.severity === "INFO") {
      this.#logger.info(alert.message, fields);
    } else if (alert.severity === "CRITICAL") {
      this.#logger.error(alert.message, fields);
    } else {
      this.#logger.warn(alert.message, fields);
    }
    return Promise.resolve();
  }
}

/** Options of {@linkcode createAlertHandlers}. */
export interface CreateAlertHandlersOptions {
  /** The `service` field of webhook bodies (default "trader"). */
  service?: string;
  /** The fetch the webhook uses (tests pass a fake). */
  fetch?: typeof fetch;
}

/** The handlers `config` asks for: the log handler, plus the webhook when `webhook_url` is set. */
export function createAlertHandlers(
  config: AlertingConfig,
  logger: Logger,
  options: CreateAlertHandlersOptions = {},
): AlertHandler[] {
  const handlers: AlertHandler[] = [new LogAlertHandler(logger)];
  if (config.webhook_url !== undefined) {
    handlers.push(
      new WebhookAlertHandler({
        url: config.webhook_url,
        retries: config.webhook_retries,
        timeoutMs: config.webhook_timeout_ms,
        ...(options.service === undefined ? {} : { service: options.service }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      }),
    );
  }
  return handlers;
}
