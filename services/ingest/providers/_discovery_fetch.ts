/**
 * The GET behind venue symbol discovery: retried through the shared retry helper (3 attempts,
 * 500 ms doubling to 10 s unless told otherwise), HTTP errors classified by status and
 * `Retry-After`, and a body that does not parse reported as a `protocol` VenueError.
 * @module
 */
import { retry, type RetryOptions, VenueError, venueErrorFromStatus } from "@shared/venue/mod.ts";

/** Retry knobs for discovery requests (defaults: 3 attempts, 500 ms doubling to 10 s). */
export type DiscoveryRetryOptions = Omit<RetryOptions, "venue">;

/** Options of {@linkcode fetchDiscoveryJson}. */
export interface FetchDiscoveryOptions {
  /** The venue, for errors and retry classification. */
  venue: string;
  /** The reply's name in the protocol error (`exchangeInfo` -> "exchangeInfo is not JSON"). */
  what: string;
  /** Parses the body (default `JSON.parse`). */
  parse?: (text: string) => unknown;
  /** An HTTP error's detail from its body (default: the body, or "empty body"). */
  errorDetail?: (text: string) => string;
  retry?: DiscoveryRetryOptions;
}

/** The parsed reply of `GET url`, retried; HTTP errors become classified VenueErrors. */
export function fetchDiscoveryJson(
  url: string | URL,
  options: FetchDiscoveryOptions,
): Promise<unknown> {
  const { venue, what, parse = JSON.parse, errorDetail = bodyOrEmpty } = options;
  return retry(async () => {
    const response = await fetch(url);
    const text = await response.text();
    if (!response.ok) {
      throw venueErrorFromStatus(
        venue,
        response.status,
        errorDetail(text),
        response.headers.get("Retry-After"),
      );
    }
    try {
      return parse(text) as unknown;
    } catch (error) {
      throw new VenueError("protocol", `${what} is not JSON`, { venue, cause: error });
    }
  }, { maxAttempts: 3, maxMs: 10_000, ...options.retry, venue });
}

/** The body itself, or "empty body". */
export function bodyOrEmpty(text: string): string {
  return text === "" ? "empty body" : text;
}
