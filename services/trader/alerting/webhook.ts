/**
 * The webhook alert handler: POSTs each alert as JSON, retrying network errors, timeouts, HTTP 5xx
 * and 429 with exponential backoff (the shared backoff curve, starting at 250 ms); other 4xx are not
 * retried. Error messages name only the URL's origin: webhook paths often carry a secret token.
 * @module
 */
import { backoffDelay, type BackoffOptions, sleep as defaultSleep } from "@shared/venue/retry.ts";
import type { Alert, AlertHandler } from "./types.ts";

/** Options of {@linkcode WebhookAlertHandler}. */
export interface WebhookAlertHandlerOptions {
  url: string;
  /** Retries after the first attempt (`[alerting] webhook_retries`). */
  retries: number;
  /** Per-attempt timeout (`[alerting] webhook_timeout_ms`). */
  timeoutMs: number;
  /** The `service` field of the body (default "trader"). */
  service?: string;
  /** The fetch to use (tests pass a fake). */
  fetch?: typeof fetch;
  /** Waits between attempts (tests pass one that records the delays). */
  sleep?: (ms: number) => Promise<void>;
  /** Backoff curve (default 250 ms doubling up to 10 s, 20% jitter). */
  backoff?: BackoffOptions;
  /** The handler's name in logs and counts (default "webhook"). */
  name?: string;
}

/** Counters of a {@linkcode WebhookAlertHandler}. */
export interface WebhookStats {
  /** Alerts accepted by the endpoint. */
  sent: number;
  /** Alerts given up on (retries exhausted or a non-retryable status). */
  failed: number;
  /** Attempts after the first one. */
  retries: number;
}

/** The JSON body POSTed for each alert. */
export interface WebhookBody {
  service: string;
  rule: string;
  key: string;
  severity: Alert["severity"];
  state: Alert["state"];
  message: string;
  value: number | null;
  threshold: number | null;
  /** ISO 8601 time of the alert. */
  at: string;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, factor: 2, maxMs: 10_000, jitter: 0.2 };

/** The webhook body for `alert`. */
export function webhookBody(alert: Alert, service: string): WebhookBody {
  return {
    service,
    rule: alert.rule,
    key: alert.key,
    severity: alert.severity,
    state: alert.state,
    message: alert.message,
    value: alert.value ?? null,
    threshold: alert.threshold ?? null,
    at: new Date(alert.atMs).toISOString(),
  };
}

interface Attempt {
  ok: boolean;
  retryable: boolean;
  /** For messages: `HTTP 503 Service Unavailable`, `timeout after 5000 ms`, ... */
  outcome: string;
  retryAfterMs?: number;
}

/** POSTs alerts as JSON to a webhook, with retries. */
export class WebhookAlertHandler implements AlertHandler {
  readonly name: string;
  readonly #url: string;
  readonly #origin: string;
  readonly #href: string;
  readonly #attempts: number;
  readonly #timeoutMs: number;
  readonly #service: string;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #backoff: BackoffOptions;
  readonly #stats: WebhookStats = { sent: 0, failed: 0, retries: 0 };

  /** Creates the handler; throws a TypeError on a URL that is not http(s). */
  constructor(options: WebhookAlertHandlerOptions) {
    const parsed = URL.parse(options.url);
    if (parsed === null || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new TypeError("Cannot use the alert webhook URL: it is not an http(s) URL");
    }
    if (!Number.isInteger(options.retries) || options.retries < 0) {
      throw new RangeError(
        `Cannot use webhook retries ${options.retries}: expected an integer >= 0`,
      );
    }
    this.name = options.name ?? "webhook";
    this.#url = options.url;
    this.#origin = parsed.origin;
    this.#href = parsed.href;
    this.#attempts = options.retries + 1;
    this.#timeoutMs = options.timeoutMs;
    this.#service = options.service ?? "trader";
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? ((ms) => defaultSleep(ms));
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  /** Sent, failed and retried so far. */
  stats(): WebhookStats {
    return { ...this.#stats };
  }

  /** POSTs `alert`; rejects with a one-line Error once the attempts are used up. */
  async handle(alert: Alert): Promise<void> {
    const body = JSON.stringify(webhookBody(alert, this.#service));
    for (let attempt = 0;; attempt++) {
      const result = await this.#post(body);
      if (result.ok) {
        this.#stats.sent++;
        return;
      }
      const last = attempt + 1 >= this.#attempts;
      if (!result.retryable || last) {
        this.#stats.failed++;
        const tries = attempt + 1 === 1 ? "1 attempt" : `${attempt + 1} attempts`;
        throw new Error(
          `Alert webhook ${this.#origin} failed for ${alert.rule}/${alert.key} after ${tries}: ` +
            result.outcome,
        );
      }
      this.#stats.retries++;
      const maxMs = this.#backoff.maxMs ?? 10_000;
      const delay = Math.min(
        maxMs,
        Math.max(backoffDelay(attempt, this.#backoff), result.retryAfterMs ?? 0),
      );
      await this.#sleep(delay);
    }
  }

  async #post(body: string): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      const response = await this.#fetch(this.#url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: controller.signal,
      });
      // Drain the body so the connection can be reused (and nothing leaks in tests).
      await response.body?.cancel().catch(() => {});
      const outcome = `HTTP ${response.status}${
        response.statusText ? " " + response.statusText : ""
      }`;
      if (response.ok) return { ok: true, retryable: false, outcome };
      const retryable = response.status >= 500 || response.status === 429;
      const retryAfterMs = retryAfter(response.headers.get("retry-after"));
      return {
        ok: false,
        retryable,
        outcome,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    } catch (error) {
      const outcome = controller.signal.aborted
        ? `timeout after ${this.#timeoutMs} ms`
        : `network error: ${this.#hideUrl(oneLine(error))}`;
      return { ok: false, retryable: true, outcome };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Fetch errors quote the URL; keep its path (often a token) out of messages and logs. */
  #hideUrl(text: string): string {
    return text.replaceAll(this.#href, this.#origin).replaceAll(this.#url, this.#origin);
  }
}

/** A Retry-After header in seconds, as milliseconds (HTTP dates are ignored). */
function retryAfter(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/** The error's message and its cause's (fetch puts the useful part in the cause), on one line. */
function oneLine(error: unknown): string {
  let text = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && cause.message) text += `: ${cause.message}`;
  return text.replace(/\s*\n\s*/g, " ");
}
