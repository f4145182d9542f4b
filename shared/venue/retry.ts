/**
 * The one retry helper: exponential backoff with full jitter and a cap, retrying only what a
 * {@linkcode VenueError} classifies as retryable, and honouring the venue's suggested delay.
 * @module
 */
import { toVenueError, VenueError } from "./venue_error.ts";

/** Backoff shape; the defaults suit venue reconnects. */
export interface BackoffOptions {
  /** First delay, ms (default 500). */
  initialMs?: number;
  /** Largest delay, ms (default 30 000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay drawn at random, 0..1 (default 0.5: delay * [0.5, 1]). */
  jitter?: number;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

/** The delay before retry number `attempt` (0-based), in milliseconds. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * factor ** Math.max(0, attempt));
  return Math.round(base * (1 - jitter * random()));
}

/** Options of {@linkcode retry}. */
export interface RetryOptions extends BackoffOptions {
  /** Venue name used to classify plain errors. */
  venue: string;
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Aborting stops waiting and rethrows the last error. */
  signal?: AbortSignal;
  /** Called before each wait (for logs and metrics). */
  onRetry?: (error: VenueError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `fn` until it succeeds, a permanent error occurs, or `maxAttempts` is reached; waits the
 * larger of the backoff and the error's suggested delay (capped by `maxMs`) between attempts.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt);
    } catch (thrown) {
      const error = toVenueError(options.venue, thrown);
      if (!error.isRetryable || attempt + 1 >= maxAttempts || options.signal?.aborted) throw error;
      const hint = error.retryAfterMs ?? 0;
      const delay = Math.min(
        options.maxMs ?? 30_000,
        Math.max(backoffDelay(attempt, options), hint),
      );
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
