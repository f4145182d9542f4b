/** Builders of scalar schemas: strings, numbers, booleans, enums, decimals, URLs. */
import { Decimal } from "decimal.js";
import { Schema, SchemaIssue } from "./_schema.ts";

function scalar<T>(
  expected: string,
  check: (raw: unknown, path: string) => T,
  fromEnv: (text: string, path: string) => unknown = (text) => text,
): Schema<T> {
  return new Schema<T, "required">({ kind: "scalar", expected, check, fromEnv }, "required");
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  if (max !== undefined) return ` <= ${max}`;
  return "";
}

/** Inclusive bounds for {@linkcode int} and {@linkcode num}. */
export interface RangeOptions {
  min?: number;
  max?: number;
}

/** Options of {@linkcode str}. */
export interface StrOptions {
  /** Minimum length; 1 unless told (an empty config string is usually a mistake). */
  minLength?: number;
  pattern?: RegExp;
  /** The description used in messages when `pattern` is given. */
  expected?: string;
}

/** A string. */
export function str(options: StrOptions = {}): Schema<string> {
  const minLength = options.minLength ?? 1;
  const expected = options.expected ?? (minLength > 0 ? "a non-empty string" : "a string");
  return scalar(expected, (raw, path) => {
    if (typeof raw !== "string" || raw.length < minLength) {
      throw new SchemaIssue(path, expected, raw);
    }
    if (options.pattern && !options.pattern.test(raw)) throw new SchemaIssue(path, expected, raw);
    return raw;
  });
}

const INT_ENV_REGEXP = /^[+-]?\d+$/;
const NUM_ENV_REGEXP = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** An integer (a TOML integer, or an integral float) within safe-integer range. */
export function int(options: RangeOptions = {}): Schema<number> {
  const { min, max } = options;
  const expected = `an integer${rangeText(min, max)}`;
  return scalar(expected, (raw, path) => {
    const value = typeof raw === "bigint" ? Number(raw) : raw;
    const ok = typeof value === "number" && Number.isSafeInteger(value) &&
      (min === undefined || value >= min) && (max === undefined || value <= max);
    if (!ok) throw new SchemaIssue(path, expected, raw);
    return value;
  }, (text, path) => {
    if (!INT_ENV_REGEXP.test(text)) throw new SchemaIssue(path, expected, text);
    return BigInt(text);
  });
}

/** A finite number (TOML integer or float). */
export function num(options: RangeOptions = {}): Schema<number> {
  const { min, max } = options;
  const expected = `a number${rangeText(min, max)}`;
  return scalar(expected, (raw, path) => {
    const value = typeof raw === "bigint" ? Number(raw) : raw;
    const ok = typeof value === "number" && Number.isFinite(value) &&
      (min === undefined || value >= min) && (max === undefined || value <= max);
    if (!ok) throw new SchemaIssue(path, expected, raw);
    return value;
  }, (text, path) => {
    if (!NUM_ENV_REGEXP.test(text)) throw new SchemaIssue(path, expected, text);
    return Number(text);
  });
}

/** A boolean; from the environment `true`/`false`/`1`/`0` (any case). */
export function bool(): Schema<boolean> {
  const expected = "a boolean (true or false)";
  return scalar(expected, (raw, path) => {
    if (typeof raw !== "boolean") throw new SchemaIssue(path, expected, raw);
    return raw;
  }, (text, path) => {
    const lower = text.toLowerCase();
    if (lower === "true" || lower === "1") return true;
    if (lower === "false" || lower === "0") return false;
    throw new SchemaIssue(path, expected, text);
  });
}

/** One of a fixed set of strings; the type is the union of them. */
export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return scalar(expected, (raw, path) => {
    if (typeof raw !== "string" || !values.includes(raw)) {
      throw new SchemaIssue(path, expected, raw);
    }
    return raw as V[number];
  });
}

const DECIMAL_REGEXP = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

/** Bounds of {@linkcode decimal}, as decimal strings. */
export interface DecimalOptions {
  min?: string;
  max?: string;
}

/**
 * A money amount, kept exact as a plain decimal string ("100000", "0.25"). Accepts a TOML
 * string or integer; a TOML float is taken by its shortest round-trip form (`10000.0` -> "10000").
 */
export function decimal(options: DecimalOptions = {}): Schema<string> {
  const { min, max } = options;
  const bounds = min !== undefined && max !== undefined
    ? ` between ${min} and ${max}`
    : min !== undefined
    ? ` >= ${min}`
    : max !== undefined
    ? ` <= ${max}`
    : "";
  const expected = `a decimal amount${bounds} (a string like "100000")`;
  return scalar(expected, (raw, path) => {
    let text: string | undefined;
    if (typeof raw === "string" && DECIMAL_REGEXP.test(raw.trim())) text = raw.trim();
    else if (typeof raw === "bigint") text = raw.toString();
    else if (typeof raw === "number" && Number.isFinite(raw)) text = String(raw);
    if (text === undefined) throw new SchemaIssue(path, expected, raw);
    const value = new Decimal(text);
    if ((min !== undefined && value.lt(min)) || (max !== undefined && value.gt(max))) {
      throw new SchemaIssue(path, expected, raw);
    }
    return value.toFixed();
  });
}

/** Options of {@linkcode url}. */
export interface UrlOptions {
  /** Allowed schemes with their colon, e.g. `["postgres:", "postgresql:"]`. */
  protocols: readonly string[];
}

/** An absolute URL with one of the allowed schemes, kept as the string given. */
export function url(options: UrlOptions): Schema<string> {
  const schemes = options.protocols.map((p) => `${p}//`).join(" or ");
  const expected = `a URL starting with ${schemes}`;
  return scalar(expected, (raw, path) => {
    if (typeof raw !== "string" || !URL.canParse(raw)) throw new SchemaIssue(path, expected, raw);
    if (!options.protocols.includes(new URL(raw).protocol)) {
      throw new SchemaIssue(path, expected, raw);
    }
    return raw;
  });
}
