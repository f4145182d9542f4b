/**
 * Errors from a venue (REST or WebSocket), classified for retry: transient (retry with backoff),
 * permanent (do not retry) or resource-exhausted (wait, then retry), with a suggested delay.
 * @module
 */

/** How a venue error should be handled. */
export type VenueErrorClass = "transient" | "permanent" | "resource_exhausted";

/** What went wrong, in a word. */
export type VenueErrorCode =
  | "connection" // network failure, refused or dropped connection, timeout
  | "protocol" // the venue broke its own protocol (bad handshake, unparseable reply)
  | "server" // 5xx, maintenance, server shutdown notice
  | "rate_limit" // 429, "Exceeded msg rate"
  | "banned" // 418 (Binance IP ban)
  | "authentication" // bad key or signature
  | "unknown_symbol" // the venue does not list the symbol
  | "rejected" // the venue refused a request (bad params, subscription failed)
  | "closed"; // the client was closed by us

/** Options of {@linkcode VenueError}. */
export interface VenueErrorOptions extends ErrorOptions {
  /** The venue's name (`binance`, `kraken`, ...). */
  venue?: string;
  /** The venue's own wait hint (Retry-After), in milliseconds. */
  retryAfterMs?: number;
}

const CLASS_OF: Record<VenueErrorCode, VenueErrorClass> = {
  connection: "transient",
  protocol: "transient",
  server: "transient",
  rate_limit: "resource_exhausted",
  banned: "resource_exhausted",
  authentication: "permanent",
  unknown_symbol: "permanent",
  rejected: "permanent",
  closed: "permanent",
};

/** Default waits when the venue gave none, in milliseconds. */
const DEFAULT_DELAY_MS: Record<VenueErrorClass, number | undefined> = {
  transient: 1_000,
  resource_exhausted: 60_000,
  permanent: undefined,
};

/** A classified venue failure; the message is one line and names the venue. */
export class VenueError extends Error {
  readonly code: VenueErrorCode;
  readonly errorClass: VenueErrorClass;
  readonly venue: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: VenueErrorCode, message: string, options: VenueErrorOptions = {}) {
    super(options.venue === undefined ? message : `${options.venue}: ${message}`, options);
    this.name = "VenueError";
    this.code = code;
    this.errorClass = CLASS_OF[code];
    this.venue = options.venue;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for network-level failures that a plain retry may fix. */
  get isTransient(): boolean {
    return this.errorClass === "transient";
  }

  /** True unless the error is permanent. */
  get isRetryable(): boolean {
    return this.errorClass !== "permanent";
  }

  /** How long to wait before retrying (the venue's hint first); undefined when permanent. */
  get suggestedDelayMs(): number | undefined {
    if (this.errorClass === "permanent") return undefined;
    return this.retryAfterMs ?? DEFAULT_DELAY_MS[this.errorClass];
  }
}

/**
 * Classifies an HTTP error status: 429 rate limit, 418 ban (both resource-exhausted, honouring
 * `Retry-After` in seconds), 401/403 authentication, other 4xx rejected, 5xx server (transient).
 */
export function venueErrorFromStatus(
  venue: string,
  status: number,
  detail: string,
  retryAfter?: string | null,
): VenueError {
  const seconds = retryAfter === null || retryAfter === undefined ? NaN : Number(retryAfter);
  const retryAfterMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  const code: VenueErrorCode = status === 429
    ? "rate_limit"
    : status === 418
    ? "banned"
    : status === 401 || status === 403
    ? "authentication"
    : status >= 500
    ? "server"
    : "rejected";
  return new VenueError(code, `HTTP ${status}: ${oneLine(detail)}`, { venue, retryAfterMs });
}

/** Wraps any thrown value as a VenueError (fetch and WebSocket failures become `connection`). */
export function toVenueError(venue: string, error: unknown): VenueError {
  if (error instanceof VenueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new VenueError("connection", oneLine(message), { venue, cause: error });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
