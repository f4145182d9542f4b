/**
 * The client's transport: one HTTP call to `<base>/v0/<method>` with Basic auth, a timeout until
 * the response headers, error mapping to DatabentoError, `X-Warning` logging, and retries of
 * transient failures (backoff with jitter from the shared helper, `Retry-After` honoured).
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import { backoffDelay, sleep } from "@shared/venue/retry.ts";
import { DatabentoError, detailFromBody, httpError, oneLine } from "./errors.ts";
import { basicAuth } from "./params.ts";

/** Largest wait a `Retry-After` can ask for. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** What every call needs; built once by the client. */
export interface HttpConfig {
  apiKey: string;
  /** Without a trailing slash and without /v0. */
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  logger: Logger;
  userAgent: string;
}

/** One API call. */
export interface CallSpec {
  /** e.g. "timeseries.get_range". */
  method: string;
  http: "GET" | "POST";
  params: URLSearchParams;
  accept: string;
  signal?: AbortSignal;
}

/** A successful response whose body is still to be read. */
export interface OpenedResponse {
  response: Response;
  requestId: string | undefined;
  /** Aborts the underlying fetch (body included). */
  abort(reason?: unknown): void;
  /** Drops the caller-signal listener; call when the body is done with. */
  release(): void;
}

/** Sends the call, retrying transient failures; resolves once a 2xx response's headers are in. */
export async function openCall(config: HttpConfig, spec: CallSpec): Promise<OpenedResponse> {
  return (await withRetries(config, spec, () => attemptCall(config, spec, false))).opened;
}

/** Sends the call and reads the whole (JSON) body as text; the timeout covers the body too. */
export async function callText(
  config: HttpConfig,
  spec: CallSpec,
): Promise<{ text: string; requestId: string | undefined }> {
  const { opened, text } = await withRetries(config, spec, () => attemptCall(config, spec, true));
  return { text: text ?? "", requestId: opened.requestId };
}

/**
 * Runs `call` until it succeeds, retrying transient failures at most `config.retries` times in
 * all, with backoff or the server's Retry-After.
 */
export async function withRetries<T>(
  config: HttpConfig,
  spec: CallSpec,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof DatabentoError) || !e.isTransient || attempt >= config.retries) {
        throw attempt > 0 && e instanceof DatabentoError ? withAttempts(e, attempt + 1) : e;
      }
      const delayMs = e.retryAfterMs ??
        backoffDelay(attempt, { initialMs: config.retryBaseMs, maxMs: MAX_RETRY_AFTER_MS });
      config.logger.warn("Databento request failed, retrying", {
        method: spec.method,
        attempt: attempt + 1,
        retries: config.retries,
        delayMs,
        code: e.code,
        status: e.status,
        requestId: e.requestId,
        error: e.message,
      });
      await sleep(delayMs, spec.signal);
      if (spec.signal?.aborted) throw spec.signal.reason;
    }
  }
}

/** One try of a call, without retries; `readText` also reads the whole body under the timeout. */
export async function attemptCall(
  config: HttpConfig,
  spec: CallSpec,
  readText: boolean,
): Promise<{ opened: OpenedResponse; text?: string }> {
  const controller = new AbortController();
  const signal = spec.signal;
  if (signal?.aborted) throw signal.reason;
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  const release = () => signal?.removeEventListener("abort", onAbort);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const url = new URL(`${config.baseUrl}/v0/${spec.method}`);
  const headers: Record<string, string> = {
    authorization: basicAuth(config.apiKey),
    accept: spec.accept,
    "user-agent": config.userAgent,
  };
  let body: string | undefined;
  if (spec.http === "GET") {
    url.search = spec.params.toString();
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = spec.params.toString();
  }
  let response: Response;
  try {
    response = await fetch(url, { method: spec.http, headers, body, signal: controller.signal });
  } catch (e) {
    clearTimeout(timer);
    release();
    if (signal?.aborted) throw signal.reason;
    if (timedOut) {
      throw new DatabentoError(
        "timeout",
        `Databento ${spec.method} timed out after ${config.timeoutMs} ms waiting for a response`,
      );
    }
    throw new DatabentoError(
      "network",
      `Databento network error on ${spec.method}: ${scrub(errorText(e), config.apiKey)}`,
      { cause: e },
    );
  }
  const requestId = response.headers.get("request-id") ?? undefined;
  logWarnings(config, spec.method, response.headers.get("x-warning"));
  if (!response.ok) {
    let text = "";
    try {
      text = await response.text();
    } catch {
      // The status says enough.
    } finally {
      clearTimeout(timer);
      release();
    }
    const detail = scrub(detailFromBody(text), config.apiKey);
    throw httpError(spec.method, response.status, detail, {
      requestId,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
    });
  }
  const opened = { response, requestId, abort: (r?: unknown) => controller.abort(r), release };
  if (!readText) {
    clearTimeout(timer);
    return { opened };
  }
  try {
    return { opened, text: await response.text() };
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    const what = timedOut ? `timed out after ${config.timeoutMs} ms` : `failed: ${errorText(e)}`;
    throw new DatabentoError(
      timedOut ? "timeout" : "network",
      `Databento ${spec.method} response body ${what}`,
      { cause: e, requestId },
    );
  } finally {
    clearTimeout(timer);
    release();
  }
}

/** `Retry-After` in seconds (or an HTTP date) as milliseconds, capped at 30 s. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.round(ms));
}

function logWarnings(config: HttpConfig, method: string, header: string | null): void {
  if (header === null || header === "") return;
  let warnings: string[];
  try {
    const parsed: unknown = JSON.parse(header);
    warnings = Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  } catch {
    warnings = [header];
  }
  for (const warning of warnings) {
    config.logger.warn("Databento warning", { method, warning: oneLine(warning) });
  }
}

function withAttempts(e: DatabentoError, attempts: number): DatabentoError {
  return new DatabentoError(e.code, `${e.message} (after ${attempts} attempts)`, {
    status: e.status,
    detail: e.detail,
    requestId: e.requestId,
    retryAfterMs: e.retryAfterMs,
    cause: e.cause,
  });
}

/** The text of an unknown thrown value, one line. */
export function errorText(e: unknown): string {
  return oneLine(e instanceof Error ? e.message : String(e));
}

/** Removes the API key from text that came from elsewhere (a detail could echo it). */
export function scrub(text: string, apiKey: string): string {
  return apiKey === "" ? text : text.split(apiKey).join("<api key>");
}
