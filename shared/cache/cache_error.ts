/** Errors of the tick cache's L2 tier. */

/** Codes of {@linkcode CacheError}. */
export type CacheErrorCode = "l2_unavailable" | "l2_command";

/**
 * An L2 (Redis) failure: `l2_unavailable` when there is no connection (the tiers fail fast instead
 * of queueing), `l2_command` when Redis answered with an error.
 */
export class CacheError extends Error {
  readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CacheError";
    this.code = code;
  }
}
