/**
 * Kraken Futures frame parsing. The venue sends prices and sizes as bare JSON numbers (sometimes in
 * exponent notation), so frames are parsed losslessly: a `JSON.parse` reviver keeps each number's
 * source text (`context.source`, ES2025 JSON.parse source text access, available in Deno 2.9);
 * prices then go through parsePrice and quantities become plain decimal strings, both exact.
 * @module
 */
import { parsePrice } from "@core/mod.ts";
import type { QuoteEvent, TradeEvent } from "../events.ts";
import { isRecord, malformedDrop } from "../_json.ts";
import type { KrakenFuturesFrame, KrakenFuturesTicker, KrakenFuturesTrade } from "./messages.ts";

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

const keepNumberText: Reviver = (_key, value, context) =>
  typeof value === "number" && context?.source !== undefined ? context.source : value;

/** JSON.parse, with every number replaced by its exact source text. */
export function parseLossless(text: string): unknown {
  return JSON.parse(text, keepNumberText as (key: string, value: unknown) => unknown);
}

const NUMBER = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const INTEGER = /^\d{1,20}$/;
const TRADE_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * A non-negative JSON number's text as a plain decimal (`1.5e-3` -> `0.0015`, `440` -> `440`,
 * trailing fraction zeros kept); RangeError/SyntaxError for signs, garbage or huge exponents.
 */
export function plainDecimal(text: string): string {
  const match = NUMBER.exec(text);
  if (match === null) throw new SyntaxError(`Invalid quantity ${JSON.stringify(text)}`);
  const [, whole = "", fraction = "", exponentText] = match;
  if (exponentText === undefined) return text;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > 40) throw new RangeError(`Invalid quantity ${JSON.stringify(text)}`);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const padded = point <= 0
    ? "0".repeat(1 - point) + digits
    : point >= digits.length
    ? digits + "0".repeat(point - digits.length)
    : digits;
  const at = Math.max(point, 1);
  const intPart = padded.slice(0, at).replace(/^0+(?=\d)/, "");
  const fracPart = padded.slice(at);
  return fracPart === "" ? intPart : `${intPart}.${fracPart}`;
}

/** Classifies one text frame; never throws. */
export function parseKrakenFuturesFrame(text: string): KrakenFuturesFrame {
  let value: unknown;
  try {
    value = parseLossless(text);
  } catch {
    return { type: "drop", reason: "malformed_json", detail: { frame: text.slice(0, 80) } };
  }
  if (!isRecord(value)) return malformed(value);
  if (typeof value.event === "string") return classifyEvent(value, value.event.trim());
  switch (value.feed) {
    case "trade":
      return isTrade(value) ? { type: "trade", trade: value } : malformed(value);
    case "trade_snapshot":
      if (typeof value.product_id !== "string" || !Array.isArray(value.trades)) {
        return malformed(value);
      }
      return { type: "trade_snapshot", productId: value.product_id, trades: value.trades };
    case "ticker":
    case "ticker_snapshot":
      return isTicker(value) ? { type: "ticker", ticker: value } : malformed(value);
    case "heartbeat":
      return { type: "heartbeat" };
  }
  return {
    type: "drop",
    reason: "unexpected_message",
    detail: { feed: value.feed ?? null, product_id: value.product_id ?? null },
  };
}

function classifyEvent(value: Record<string, unknown>, event: string): KrakenFuturesFrame {
  const message = typeof value.message === "string" ? value.message : undefined;
  switch (event) {
    case "info":
      return { type: "info", version: value.version };
    case "subscribed":
    case "unsubscribed":
    case "subscribed_failed":
    case "unsubscribed_failed": {
      const ids = Array.isArray(value.product_ids) ? value.product_ids : [];
      const productIds = ids.filter((id): id is string => typeof id === "string");
      const feed = typeof value.feed === "string" ? value.feed : "";
      return {
        type: "ack",
        event,
        feed,
        productIds,
        ...(message === undefined ? {} : { message }),
      };
    }
    case "error":
    case "alert":
      return { type: "error", event, message: message ?? JSON.stringify(value).slice(0, 120) };
  }
  return { type: "drop", reason: "unexpected_message", detail: { event } };
}

/** True when `value` has the documented trade fields (numbers as text). */
export function isTrade(value: unknown): value is KrakenFuturesTrade {
  return isRecord(value) && typeof value.product_id === "string" &&
    typeof value.uid === "string" && typeof value.side === "string" &&
    typeof value.seq === "string" && typeof value.time === "string" &&
    typeof value.qty === "string" && typeof value.price === "string";
}

function isTicker(
  value: Record<string, unknown>,
): value is Record<string, unknown> & KrakenFuturesTicker {
  return typeof value.product_id === "string" && typeof value.time === "string" &&
    typeof value.bid === "string" && typeof value.ask === "string" &&
    typeof value.bid_size === "string" && typeof value.ask_size === "string";
}

/** A trade as a TradeEvent (taker side buy -> B, sell -> A); throws on a bad value. */
export function krakenFuturesTradeEvent(
  trade: KrakenFuturesTrade,
  symbol: string,
  tsRecv: bigint,
): TradeEvent {
  const side = trade.side === "buy" ? "B" : trade.side === "sell" ? "A" : undefined;
  if (side === undefined) throw new RangeError(`Invalid side ${JSON.stringify(trade.side)}`);
  if (!TRADE_ID.test(trade.uid)) {
    throw new RangeError(`Invalid trade id ${JSON.stringify(trade.uid)}`);
  }
  const price = parsePrice(trade.price);
  if (price <= 0n) throw new RangeError(`Invalid price ${trade.price}: not positive`);
  const quantity = plainDecimal(trade.qty);
  if (!/[1-9]/.test(quantity)) throw new RangeError(`Invalid quantity ${trade.qty}: zero`);
  return {
    kind: "trade",
    symbol,
    tsEvent: msText(trade.time),
    tsRecv,
    price,
    quantity,
    side,
    tradeId: trade.uid,
    sequence: Number(integer(trade.seq, "seq") & 0xffff_ffffn),
  };
}

/** A ticker as a QuoteEvent (sequence 0: the ticker feed has none); throws on a bad value. */
export function krakenFuturesQuoteEvent(
  ticker: KrakenFuturesTicker,
  symbol: string,
  tsRecv: bigint,
): QuoteEvent {
  const bidPrice = parsePrice(ticker.bid);
  const askPrice = parsePrice(ticker.ask);
  if (bidPrice < 0n || askPrice < 0n) throw new RangeError("Invalid price: negative");
  return {
    kind: "bbo",
    symbol,
    tsEvent: msText(ticker.time),
    tsRecv,
    bidPrice,
    bidQuantity: plainDecimal(ticker.bid_size),
    askPrice,
    askQuantity: plainDecimal(ticker.ask_size),
    sequence: 0,
  };
}

function msText(text: string): bigint {
  return integer(text, "time") * 1_000_000n;
}

function integer(text: string, name: string): bigint {
  if (!INTEGER.test(text)) throw new RangeError(`Invalid ${name} ${JSON.stringify(text)}`);
  return BigInt(text);
}

function malformed(value: unknown): KrakenFuturesFrame {
  return malformedDrop(value, ["feed", "event", "product_id", "seq"]);
}
