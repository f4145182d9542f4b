/** What went wrong while loading the configuration. */
export type ConfigErrorCode =
  /** A file could not be parsed (TOML syntax, malformed `.env` line). */
  | "CONFIG_PARSE"
  /** A value has the wrong type or range, or breaks a cross-field rule. */
  | "CONFIG_INVALID"
  /** A required key, file or directory is absent. */
  | "CONFIG_MISSING";

/** Where a {@linkcode ConfigError} points: every field is optional. */
export interface ConfigErrorOptions {
  /** The file the bad value came from (TOML or `.env`). */
  file?: string;
  /** The dotted config key, e.g. `cache.redis.ttl_seconds`. */
  key?: string;
  /** What the key expects, e.g. `an integer >= 1`. */
  expected?: string;
  /** The environment variable the bad value came from. */
  envVar?: string;
  /** 1-based line in `file`, for syntax errors. */
  line?: number;
  /** 1-based column in `file`, for syntax errors. */
  column?: number;
  cause?: unknown;
}

/**
 * A configuration problem a user can fix. The message is one line that names the file (or
 * environment variable), the key and what was expected, fit to print without a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly file: string | undefined;
  readonly key: string | undefined;
  readonly expected: string | undefined;
  readonly envVar: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: ConfigErrorCode, message: string, options: ConfigErrorOptions = {}) {
    super(message.replace(/\s*\n\s*/g, " "), { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.key = options.key;
    this.expected = options.expected;
    this.envVar = options.envVar;
    this.line = options.line;
    this.column = options.column;
  }
}
