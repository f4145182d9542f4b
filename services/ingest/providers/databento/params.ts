/**
 * Request parameters of the Databento historical API (DBN.md B1): form/query encoding, symbol
 * lists, datetimes as the API takes them (UNIX ns as a decimal string, or ISO-8601 text), and a
 * parser of those datetimes (used by the fake server and by callers that validate early).
 * @module
 */
import { DatabentoError } from "./errors.ts";

/** Most symbols one request may carry. */
export const MAX_SYMBOLS = 2000;

/** The `symbols` value meaning every symbol of the dataset. */
export const ALL_SYMBOLS = "ALL_SYMBOLS";

/** What timeseries.get_range and the metadata estimates take. */
export interface RangeParams {
  dataset: string;
  schema: string;
  /** Omitted: every symbol ("ALL_SYMBOLS"). At most 2000. */
  symbols?: readonly string[];
  /** Inclusive; bigint = UNIX ns, string = ISO-8601 (`2020-12-28T12:00`) or `YYYY-MM-DD`. */
  start: bigint | string;
  /** Exclusive; same forms as `start`. */
  end?: bigint | string;
  /** Default "raw_symbol". */
  stypeIn?: string;
  /** Default "instrument_id". */
  stypeOut?: string;
  limit?: number;
}

/** The form fields of a range request, in the order the official client sends them. */
export function rangeForm(
  params: RangeParams,
  options: { stypeOut: boolean; extra?: Record<string, string> },
): URLSearchParams {
  const form = new URLSearchParams();
  form.set("dataset", required(params.dataset, "dataset"));
  form.set("start", datetimeParam(params.start, "start"));
  if (params.end !== undefined) form.set("end", datetimeParam(params.end, "end"));
  form.set("symbols", symbolsParam(params.symbols));
  form.set("schema", required(params.schema, "schema"));
  form.set("stype_in", params.stypeIn ?? "raw_symbol");
  if (options.stypeOut) form.set("stype_out", params.stypeOut ?? "instrument_id");
  if (params.limit !== undefined) {
    if (!Number.isSafeInteger(params.limit) || params.limit < 1) {
      throw invalid(`limit must be a positive integer, got ${params.limit}`);
    }
    form.set("limit", String(params.limit));
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) form.set(key, value);
  return form;
}

/** A datetime parameter: bigint ns as a decimal string, text passed on as given. */
export function datetimeParam(value: bigint | string, name: string): string {
  if (typeof value === "bigint") {
    if (value < 0n) throw invalid(`${name} must not be negative, got ${value}`);
    return value.toString();
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw invalid(`${name} must be UNIX nanoseconds or an ISO-8601 datetime`);
  }
  return value.trim();
}

/** Comma-joins symbols (omitted: "ALL_SYMBOLS"); rejects an empty list, commas and > 2000. */
export function symbolsParam(symbols: readonly string[] | undefined): string {
  if (symbols === undefined) return ALL_SYMBOLS;
  if (symbols.length === 0) throw invalid("symbols is an empty list (omit it for ALL_SYMBOLS)");
  if (symbols.length > MAX_SYMBOLS) {
    throw invalid(
      `${symbols.length} symbols in one request; Databento takes at most ${MAX_SYMBOLS}`,
    );
  }
  for (const symbol of symbols) {
    if (symbol.trim() === "" || symbol.includes(",")) {
      throw invalid(`Invalid symbol "${symbol}": empty or containing a comma`);
    }
  }
  return symbols.map((symbol) => symbol.trim()).join(",");
}

/** Checks a `YYYY-MM-DD` date parameter. */
export function dateParam(value: string, name: string): string {
  if (!DATE_REGEXP.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw invalid(`${name} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** `Authorization` header value: HTTP Basic with the key as user name and an empty password. */
export function basicAuth(apiKey: string): string {
  return `Basic ${btoa(`${apiKey}:`)}`;
}

/** A datetime parameter read back: nanoseconds and the step its precision implies. */
export interface ParsedDatetime {
  ns: bigint;
  /** One unit of the finest field given (1 day for a date, 1 ns for integer ns, ...). */
  resolutionNs: bigint;
}

const DATE_REGEXP = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_REGEXP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_SECOND;

/**
 * Parses a datetime as the API takes it: integer UNIX ns, `YYYY-MM-DD`, or
 * `YYYY-MM-DDTHH:MM[:SS[.fffffffff]]` with an optional `Z` / `+HH:MM` (UTC when absent).
 * Returns undefined for anything else.
 */
export function parseDatetime(text: string): ParsedDatetime | undefined {
  if (/^\d{1,20}$/.test(text)) {
    const ns = BigInt(text);
    return ns < 2n ** 64n ? { ns, resolutionNs: 1n } : undefined;
  }
  const match = DATETIME_REGEXP.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), 0);
  const check = new Date(ms);
  if (
    Number.isNaN(ms) || check.getUTCDate() !== Number(d) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59
  ) {
    return undefined;
  }
  let ns = BigInt(ms) * 1_000_000n + BigInt(s ?? 0) * NS_PER_SECOND;
  if (frac !== undefined) ns += BigInt(frac.padEnd(9, "0"));
  if (zone !== undefined && zone !== "Z") {
    const digits = zone.replace(":", "");
    const offsetMin = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    ns -= BigInt((zone.startsWith("-") ? -1 : 1) * offsetMin * 60) * NS_PER_SECOND;
  }
  if (ns < 0n) return undefined;
  const resolutionNs = frac !== undefined
    ? 10n ** BigInt(9 - frac.length)
    : s !== undefined
    ? NS_PER_SECOND
    : mi !== undefined
    ? 60n * NS_PER_SECOND
    : NS_PER_DAY;
  return { ns, resolutionNs };
}

/** The UTC calendar date of a UNIX ns time as yyyymmdd (e.g. 20201228). */
export function ymdOfNs(ns: bigint): number {
  const date = new Date(Number(ns / 1_000_000n));
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** `YYYY-MM-DD` of a yyyymmdd number. */
export function isoOfYmd(ymd: number): string {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${
    String(ymd % 100).padStart(2, "0")
  }`;
}

/** yyyymmdd of a `YYYY-MM-DD` text (no validation beyond the shape). */
export function ymdOfIso(date: string): number {
  return Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 +
    Number(date.slice(8, 10));
}

/** The yyyymmdd of the day after `ymd`. */
export function nextYmd(ymd: number): number {
  const ms = Date.UTC(Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100 - 1, ymd % 100 + 1);
  return ymdOfNs(BigInt(ms) * 1_000_000n);
}

function required(value: string, name: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalid(`${name} is required`);
  return value.trim();
}

function invalid(message: string): DatabentoError {
  return new DatabentoError("invalid_request", `Invalid Databento request: ${message}`, {
    detail: message,
  });
}
