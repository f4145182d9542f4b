import { type LogLevel, logLevelRank } from "./log_level.ts";
import { normalizeFields } from "./_log_fields.ts";
import { formatJson, formatPretty, type LogRecord } from "./_format.ts";

/** How log lines are written: JSON lines (production) or readable lines (development). */
export type LogFormat = "pretty" | "json";

/** Receives each formatted log line, without a trailing newline. */
export type LogSink = (line: string) => void;

/** Structured context attached to a log event. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Options for {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Events below this level are dropped before any formatting. */
  level: LogLevel;
  format: LogFormat;
  /** Service name written on every line, e.g. "ingest". */
  service: string;
  /** Where lines go; defaults to synchronous writes to stderr so a CLI's stdout stays clean. */
  sink?: LogSink;
  /** Time source for the `ts` field; defaults to the wall clock. */
  clock?: () => Date;
  /** Fields written on every line. */
  fields?: LogFields;
}

/** A structured logger; `child()` loggers share the level, format and sink of their parent. */
export interface Logger {
  readonly level: LogLevel;
  readonly service: string;
  /** Returns true when an event at `level` would be written (to skip costly field building). */
  isEnabled(level: LogLevel): boolean;
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Returns a logger that adds `fields` (e.g. `{ component: "kraken" }`) to every line. */
  child(fields: LogFields): Logger;
}

interface LoggerCore {
  level: LogLevel;
  minRank: number;
  service: string;
  includeStack: boolean;
  format: (record: LogRecord) => string;
  sink: LogSink;
  clock: () => Date;
}

/** Creates a logger writing JSON or pretty lines at or above `options.level`. */
export function createLogger(options: LoggerOptions): Logger {
  const minRank = logLevelRank(options.level);
  const core: LoggerCore = {
    level: options.level,
    minRank,
    service: options.service,
    includeStack: minRank <= logLevelRank("debug"),
    format: options.format === "json" ? formatJson : formatPretty,
    sink: options.sink ?? writeStderr,
    clock: options.clock ?? (() => new Date()),
  };
  return bindLogger(core, { ...options.fields });
}

/** A logger that drops everything (for tests and optional logging). */
export function createNullLogger(service = "null"): Logger {
  return createLogger({ level: "error", format: "json", service, sink: () => {} });
}

function bindLogger(core: LoggerCore, bound: LogFields): Logger {
  const log = (level: LogLevel, msg: string, fields: LogFields | undefined): void => {
    if (logLevelRank(level) < core.minRank) return;
    const merged = fields === undefined ? bound : { ...bound, ...fields };
    const line = core.format({
      ts: core.clock(),
      level,
      service: core.service,
      msg,
      fields: normalizeFields(merged, { includeStack: core.includeStack }),
    });
    core.sink(line);
  };
  return {
    level: core.level,
    service: core.service,
    isEnabled: (level) => logLevelRank(level) >= core.minRank,
    trace: (msg, fields) => log("trace", msg, fields),
    debug: (msg, fields) => log("debug", msg, fields),
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
    child: (fields) => bindLogger(core, { ...bound, ...fields }),
  };
}

const encoder = new TextEncoder();

function writeStderr(line: string): void {
  const bytes = encoder.encode(line + "\n");
  try {
    let written = 0;
    while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
  } catch {
    // A closed stderr (EPIPE) must not take the service down; the line is lost.
  }
}
