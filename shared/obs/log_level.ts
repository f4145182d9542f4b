/** The logger's severity levels, from most to least verbose. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;

/** A log severity level. */
export type LogLevel = typeof LOG_LEVELS[number];

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
};

/** Returns true when `text` is one of the log levels. */
export function isLogLevel(text: unknown): text is LogLevel {
  return typeof text === "string" && Object.hasOwn(LEVEL_RANK, text);
}

/** Parses a log level (case-insensitive, surrounding spaces ignored); throws RangeError otherwise. */
export function parseLogLevel(text: string): LogLevel {
  const level = text.trim().toLowerCase();
  if (isLogLevel(level)) return level;
  throw new RangeError(
    `Cannot parse log level "${text}": expected one of ${
      LOG_LEVELS.map((l) => `"${l}"`).join(", ")
    }`,
  );
}

/** Returns the numeric rank of a level; higher is more severe. */
export function logLevelRank(level: LogLevel): number {
  return LEVEL_RANK[level];
}
