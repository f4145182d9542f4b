import { isSecretKey, REDACTED } from "./redact.ts";
import { setOwn } from "./_set_own.ts";

/** Options for {@linkcode normalizeFields}. */
export interface NormalizeOptions {
  /** Include `stack` in serialised errors (debug and trace loggers only). */
  includeStack: boolean;
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 100;

/**
 * Turns log fields into JSON-safe values: secrets masked, errors as `{name, message}`, Dates as ISO
 * text, Maps and Sets as objects and arrays, cycles and deep nesting cut. Bigints are kept: each
 * formatter writes them its own way.
 */
export function normalizeFields(
  fields: Readonly<Record<string, unknown>>,
  options: NormalizeOptions,
): Record<string, unknown> {
  return normalizeObject(Object.entries(fields), options, [], 0);
}

function normalizeObject(
  entries: Iterable<[string, unknown]>,
  options: NormalizeOptions,
  ancestors: unknown[],
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (value === undefined || typeof value === "function") continue;
    setOwn(out, key, isSecretKey(key) ? REDACTED : normalize(value, options, ancestors, depth));
  }
  return out;
}

function normalize(
  value: unknown,
  options: NormalizeOptions,
  ancestors: unknown[],
  depth: number,
): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
      return value;
    case "number":
      // JSON would turn NaN and Infinity into null and hide the problem.
      return Number.isFinite(value) ? value : String(value);
    case "symbol":
      return value.toString();
    case "undefined":
    case "function":
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  }
  if (ancestors.includes(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  ancestors.push(value);
  try {
    return normalizeComposite(value as object, options, ancestors, depth + 1);
  } finally {
    ancestors.pop();
  }
}

function normalizeComposite(
  value: object,
  options: NormalizeOptions,
  ancestors: unknown[],
  depth: number,
): unknown {
  if (value instanceof Error) return normalizeError(value, options, ancestors, depth);
  if (Array.isArray(value) || value instanceof Set) {
    const items = [...value];
    const out = items.slice(0, MAX_ITEMS).map((item) => normalize(item, options, ancestors, depth));
    if (items.length > MAX_ITEMS) out.push(`[${items.length - MAX_ITEMS} more]`);
    return out;
  }
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]): [string, unknown] => [String(k), v]);
    return normalizeObject(entries, options, ancestors, depth);
  }
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    // Decimal (decimal.js) and similar value types describe themselves.
    return normalize(toJSON.call(value), options, ancestors, depth);
  }
  return normalizeObject(Object.entries(value), options, ancestors, depth);
}

function normalizeError(
  error: Error,
  options: NormalizeOptions,
  ancestors: unknown[],
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  if (options.includeStack && error.stack !== undefined) out.stack = error.stack;
  if (error.cause !== undefined) out.cause = normalize(error.cause, options, ancestors, depth);
  return out;
}
