/** Typed storage failures: what went wrong, and whether trying again can help. */

/** What kind of storage failure happened. */
export type StorageErrorCode =
  /** The database could not be reached at start-up. */
  | "unavailable"
  /** The connection broke mid-run; the transaction was rolled back. Retry. */
  | "connection_lost"
  /** Serialization failure or deadlock; the transaction was rolled back. Retry. */
  | "conflict"
  /** A constraint or check rejected the data. */
  | "constraint"
  /** A migration failed or the applied history does not match the files. */
  | "migration"
  /** An archive file is missing or does not match its catalogue entry. */
  | "archive"
  /** Anything else the database rejected. */
  | "query";

/** Options of {@linkcode StorageError}. */
export interface StorageErrorOptions extends ErrorOptions {
  sqlState?: string;
}

/** A storage failure with a one-line message; `retryable` says whether trying again can help. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly sqlState: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, options);
    this.name = "StorageError";
    this.code = code;
    this.sqlState = options.sqlState;
  }

  /** True when the same operation may succeed later (connection lost, conflict, unavailable). */
  get retryable(): boolean {
    return this.code === "connection_lost" || this.code === "conflict" ||
      this.code === "unavailable";
  }
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);

/** The code of an error thrown by a driver, or undefined. */
function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Classifies a driver error (npm:postgres or PGlite) as a {@linkcode StorageError}.
 * SQLSTATE class 08 and 57P0x, and socket errors, mean the connection was lost.
 */
export function toStorageError(error: unknown, context: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const line = `${context}: ${message}`.replace(/\s*\n\s*/g, " ");
  if (code !== undefined && (CONNECTION_CODES.has(code) || /^08|^57P0[1-3]/.test(code))) {
    return new StorageError("connection_lost", line, { cause: error, sqlState: code });
  }
  if (code === "40001" || code === "40P01") {
    return new StorageError("conflict", line, { cause: error, sqlState: code });
  }
  if (code !== undefined && /^23/.test(code)) {
    return new StorageError("constraint", line, { cause: error, sqlState: code });
  }
  return new StorageError("query", line, { cause: error, sqlState: code });
}

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]*@/i, "$1***@");
}
