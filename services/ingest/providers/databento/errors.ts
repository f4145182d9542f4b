/**
 * DatabentoError: one family for every failure of the historical API client, with a `code`
 * callers branch on, the HTTP status, the API's own `detail` and the `request-id`; and the rule
 * of which failures are transient (retried).
 * @module
 */

/** What went wrong, in a word (see {@linkcode DatabentoError}). */
export type DatabentoErrorCode =
  | "no_api_key"
  | "unauthorized"
  | "forbidden"
  | "payment_required"
  | "not_found"
  | "invalid_request"
  | "rate_limited"
  | "server"
  | "timeout"
  | "network"
  | "stream_interrupted"
  | "bad_response";

/** Options of {@linkcode DatabentoError}. */
export interface DatabentoErrorOptions extends ErrorOptions {
  status?: number;
  /** The API's own explanation (already reduced to one line). */
  detail?: string;
  requestId?: string;
  /** `Retry-After` of a 429/503, in milliseconds (already capped). */
  retryAfterMs?: number;
}

/** A failure of the Databento historical API; `message` is always one line without the API key. */
export class DatabentoError extends Error {
  readonly code: DatabentoErrorCode;
  readonly status: number | undefined;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: DatabentoErrorCode, message: string, options: DatabentoErrorOptions = {}) {
    super(oneLine(message), options);
    this.name = "DatabentoError";
    this.code = code;
    this.status = options.status;
    this.detail = options.detail ?? "";
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * True for failures worth retrying: network, timeout, 408, 429, 500, 502, 503, 504, and a
   * download cut mid-stream ("stream_interrupted": the client retries one itself only while it is
   * still inside the metadata header; once records were handed out, a caller resumes from its own
   * checkpoint).
   */
  get isTransient(): boolean {
    if (this.code === "network" || this.code === "timeout") return true;
    if (this.code === "stream_interrupted") return true;
    return this.status !== undefined && TRANSIENT_STATUSES.has(this.status);
  }
}

/** HTTP statuses that are retried. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Returns the error code of an HTTP error status. */
export function codeForStatus(status: number): DatabentoErrorCode {
  switch (status) {
    case 400:
    case 422:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 402:
      return "payment_required";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 408:
      return "timeout";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 ? "server" : "invalid_request";
  }
}

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const HINTS: Readonly<Record<number, string>> = {
  401: "check DATABENTO_API_KEY",
  402: "the account cannot pay for this request",
};

/**
 * Builds the error of an HTTP error response: `Databento 401 Unauthorized on
 * timeseries.get_range: <detail>; check DATABENTO_API_KEY (request-id abc)`.
 */
export function httpError(
  method: string,
  status: number,
  detail: string,
  options: { requestId?: string; retryAfterMs?: number } = {},
): DatabentoError {
  const reason = REASONS[status] ?? (status >= 500 ? "Server Error" : "Error");
  const hint = HINTS[status];
  const parts = [`Databento ${status} ${reason} on ${method}`];
  if (detail !== "") parts[0] += `: ${detail}`;
  if (hint !== undefined) parts[0] += `; ${hint}`;
  if (options.requestId !== undefined) parts.push(`(request-id ${options.requestId})`);
  return new DatabentoError(codeForStatus(status), parts.join(" "), {
    status,
    detail,
    requestId: options.requestId,
    retryAfterMs: options.retryAfterMs,
  });
}

/**
 * The API's `detail` as one line: a string as is; an object `{case, message, docs, payload}`
 * as its message plus "(see <docs>)"; anything else as compact JSON. Non-JSON bodies are cut.
 */
export function detailFromBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return clip(oneLine(body));
  }
  const detail = typeof parsed === "object" && parsed !== null && "detail" in parsed
    ? (parsed as { detail: unknown }).detail
    : parsed;
  if (typeof detail === "string") return clip(oneLine(detail));
  if (typeof detail === "object" && detail !== null) {
    const { message, docs } = detail as { message?: unknown; docs?: unknown };
    if (typeof message === "string") {
      const see = typeof docs === "string" && docs !== "" ? ` (see ${docs})` : "";
      return clip(oneLine(message + see));
    }
  }
  return clip(oneLine(JSON.stringify(detail) ?? ""));
}

/** Collapses whitespace and line breaks so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
