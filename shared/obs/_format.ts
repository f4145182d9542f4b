import type { LogLevel } from "./log_level.ts";
import { setOwn } from "./_set_own.ts";

/** One log event after its fields have been normalised. */
export interface LogRecord {
  ts: Date;
  level: LogLevel;
  service: string;
  msg: string;
  fields: Record<string, unknown>;
}

const RESERVED_KEYS = new Set(["ts", "level", "service", "msg"]);
// Control characters would break the one-event-per-line rule (and allow forged lines).
// deno-lint-ignore no-control-regex
const CONTROL_CHARS_REGEXP = /[\u0000-\u001f\u007f]/g;

/** Serialises a record as one JSON object; fields never overwrite ts, level, service or msg. */
export function formatJson(record: LogRecord): string {
  const out: Record<string, unknown> = {
    ts: record.ts.toISOString(),
    level: record.level,
    service: record.service,
    msg: record.msg,
  };
  for (const [key, value] of Object.entries(record.fields)) {
    setOwn(out, RESERVED_KEYS.has(key) ? `_${key}` : key, value);
  }
  return JSON.stringify(out, bigintReplacer);
}

/** Serialises a record as one readable line: `<ts> INFO  <service> <component>: <msg> k=v ...`. */
export function formatPretty(record: LogRecord): string {
  const { component, ...rest } = record.fields;
  const origin = typeof component === "string" && component !== ""
    ? `${record.service} ${component}`
    : record.service;
  let line = `${record.ts.toISOString()} ${record.level.toUpperCase().padEnd(5)} ${origin}: ` +
    escapeControl(record.msg);
  if (component !== undefined && typeof component !== "string") {
    line += ` component=${prettyValue(component)}`;
  }
  for (const [key, value] of Object.entries(rest)) line += ` ${key}=${prettyValue(value)}`;
  return line;
}

function prettyValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (value !== null && typeof value === "object") return JSON.stringify(value, bigintReplacer);
  return String(value);
}

function escapeControl(text: string): string {
  return text.replace(CONTROL_CHARS_REGEXP, (c) => JSON.stringify(c).slice(1, -1));
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
