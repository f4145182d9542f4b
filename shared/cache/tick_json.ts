/**
 * The JSON record of a tick in the L2 cache, readable with `redis-cli LRANGE ticks:BTCUSD 0 10`:
 * `{"symbol":"BTCUSD","exchange":"KRAKEN","ts_event":"1700000000000000000",
 * "ts_recv":"1700000000000000500","price":"42150.25","size":3,"side":"B"}`. Times are decimal
 * strings (ns does not fit a JSON number) and the price is the exact decimal of its fixed point.
 * @module
 */
import { formatPrice, parsePrice } from "@core/mod.ts";
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import type { CachedTick, TickSide } from "./types.ts";

const I64_MAX = 2n ** 63n - 1n;
const U32_MAX = 2 ** 32 - 1;
const TIMESTAMP_REGEXP = /^(0|[1-9][0-9]{0,18})$/;
const SNIPPET_LENGTH = 80;

/** Encodes a tick as its JSON record. */
export function encodeTickJson(tick: CachedTick): string {
  return `{"symbol":${JSON.stringify(tick.symbol)},"exchange":${
    JSON.stringify(tick.exchange)
  },"ts_event":"${tick.tsEvent}","ts_recv":"${tick.tsRecv}","price":"${
    formatPrice(tick.price)
  }","size":${tick.size},"side":"${tick.side}"}`;
}

/** Decodes a JSON record; throws a one-line SyntaxError naming the bad field when malformed. */
export function decodeTickJson(text: string): CachedTick {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(text, "not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(text, "not a JSON object");
  }
  const record = value as Record<string, unknown>;
  return {
    symbol: name(text, record, "symbol", validateSymbol),
    exchange: name(text, record, "exchange", validateExchange),
    tsEvent: timestamp(text, record, "ts_event"),
    tsRecv: timestamp(text, record, "ts_recv"),
    price: price(text, record),
    size: size(text, record),
    side: side(text, record),
  };
}

function malformed(text: string, reason: string): SyntaxError {
  const snippet = text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}...` : text;
  return new SyntaxError(`Cannot decode tick record ${JSON.stringify(snippet)}: ${reason}`);
}

function name(
  text: string,
  record: Record<string, unknown>,
  field: "symbol" | "exchange",
  validate: (value: string) => string,
): string {
  const value = record[field];
  if (typeof value !== "string") throw malformed(text, `"${field}" is not a string`);
  try {
    return validate(value);
  } catch {
    throw malformed(text, `"${field}" ${JSON.stringify(value)} is not a valid ${field}`);
  }
}

function timestamp(text: string, record: Record<string, unknown>, field: string): bigint {
  const value = record[field];
  if (typeof value !== "string" || !TIMESTAMP_REGEXP.test(value)) {
    throw malformed(text, `"${field}" is not a string of decimal digits`);
  }
  const ns = BigInt(value);
  if (ns > I64_MAX) throw malformed(text, `"${field}" ${value} is out of the i64 range`);
  return ns;
}

function price(text: string, record: Record<string, unknown>): bigint {
  const value = record.price;
  if (typeof value !== "string") throw malformed(text, `"price" is not a string`);
  try {
    return parsePrice(value);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw malformed(text, `"price" ${JSON.stringify(value)} is not an exact price (${reason})`);
  }
}

function size(text: string, record: Record<string, unknown>): number {
  const value = record.size;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw malformed(text, `"size" is not an integer in [0, ${U32_MAX}]`);
  }
  return value;
}

function side(text: string, record: Record<string, unknown>): TickSide {
  const value = record.side;
  if (value !== "A" && value !== "B" && value !== "N") {
    throw malformed(text, `"side" is not "A", "B" or "N"`);
  }
  return value;
}
