/**
 * Binance frame parsing: classify a text frame (combined-wrapped or raw), then turn trades and book
 * tickers into events. Prices are parsed exactly from their strings; quantities stay as sent.
 * @module
 */
import { parsePrice } from "@core/mod.ts";
import type { QuoteEvent, TradeEvent } from "../events.ts";
import { isRecord, malformedDrop } from "../_json.ts";
import type { BinanceBookTicker, BinanceFrame, BinanceTrade } from "./messages.ts";

const QUANTITY = /^\d+(?:\.\d+)?$/;

/** Classifies one text frame; never throws. */
export function parseBinanceFrame(text: string): BinanceFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: "drop", reason: "malformed_json", detail: { frame: text.slice(0, 80) } };
  }
  if (!isRecord(value)) return malformed(value);
  if (typeof value.stream === "string" && "data" in value) {
    if (!isRecord(value.data)) return malformed(value);
    return classifyEvent(value.data, value.stream);
  }
  if ("result" in value && "id" in value) {
    return { type: "result", id: value.id, result: value.result };
  }
  if ("code" in value && typeof value.msg === "string") {
    return { type: "error", id: value.id, code: value.code, msg: value.msg };
  }
  if (isRecord(value.error) && typeof value.error.msg === "string") {
    return { type: "error", id: value.id, code: value.error.code, msg: value.error.msg };
  }
  return classifyEvent(value, undefined);
}

function classifyEvent(data: Record<string, unknown>, stream: string | undefined): BinanceFrame {
  const tag = stream === undefined ? {} : { stream };
  if (data.e === "trade") {
    if (!isTradeShape(data)) return malformed(data);
    return { type: "trade", trade: data, ...tag };
  }
  if (data.e === "serverShutdown") return { type: "serverShutdown", eventMs: data.E };
  if (data.e === undefined && "u" in data && "b" in data && "a" in data) {
    if (!isBookTickerShape(data)) return malformed(data);
    return { type: "bookTicker", ticker: data, ...tag };
  }
  return {
    type: "drop",
    reason: "unexpected_message",
    detail: { event: data.e ?? null, stream: stream ?? null },
  };
}

/** A trade as a TradeEvent; RangeError/SyntaxError when a value is out of range or not exact. */
export function binanceTradeEvent(trade: BinanceTrade, symbol: string, tsRecv: bigint): TradeEvent {
  const price = positivePrice(trade.p);
  if (!Number.isSafeInteger(trade.T) || trade.T < 0) {
    throw new RangeError(`Invalid time ${trade.T}`);
  }
  if (!Number.isSafeInteger(trade.t) || trade.t < 0) {
    throw new RangeError(`Invalid trade id ${trade.t}`);
  }
  return {
    kind: "trade",
    symbol,
    tsEvent: BigInt(trade.T) * 1_000_000n,
    tsRecv,
    price,
    quantity: quantity(trade.q, false),
    // m: the buyer was the maker, so the taker (aggressor) sold.
    side: trade.m ? "A" : "B",
    tradeId: String(trade.t),
    sequence: trade.t >>> 0,
  };
}

/**
 * A book ticker as a QuoteEvent. It carries no event time, so tsEvent is the receive time; the
 * update id `u` is the sequence (wrapped to u32).
 */
export function binanceQuoteEvent(
  ticker: BinanceBookTicker,
  symbol: string,
  tsRecv: bigint,
): QuoteEvent {
  if (!Number.isSafeInteger(ticker.u) || ticker.u < 0) {
    throw new RangeError(`Invalid update id ${ticker.u}`);
  }
  return {
    kind: "bbo",
    symbol,
    tsEvent: tsRecv,
    tsRecv,
    bidPrice: nonNegativePrice(ticker.b),
    bidQuantity: quantity(ticker.B, true),
    askPrice: nonNegativePrice(ticker.a),
    askQuantity: quantity(ticker.A, true),
    sequence: ticker.u >>> 0,
  };
}

function positivePrice(text: string): bigint {
  const price = parsePrice(text);
  if (price <= 0n) throw new RangeError(`Invalid price ${JSON.stringify(text)}: not positive`);
  return price;
}

function nonNegativePrice(text: string): bigint {
  const price = parsePrice(text);
  if (price < 0n) throw new RangeError(`Invalid price ${JSON.stringify(text)}: negative`);
  return price;
}

function quantity(text: string, zeroAllowed: boolean): string {
  if (!QUANTITY.test(text)) throw new SyntaxError(`Invalid quantity ${JSON.stringify(text)}`);
  if (!zeroAllowed && !/[1-9]/.test(text)) {
    throw new RangeError(`Invalid quantity ${JSON.stringify(text)}: zero`);
  }
  return text;
}

function isTradeShape(
  data: Record<string, unknown>,
): data is Record<string, unknown> & BinanceTrade {
  return typeof data.s === "string" && typeof data.p === "string" && typeof data.q === "string" &&
    typeof data.t === "number" && typeof data.T === "number" && typeof data.m === "boolean";
}

function isBookTickerShape(
  data: Record<string, unknown>,
): data is Record<string, unknown> & BinanceBookTicker {
  return typeof data.s === "string" && typeof data.u === "number" && typeof data.b === "string" &&
    typeof data.B === "string" && typeof data.a === "string" && typeof data.A === "string";
}

function malformed(value: unknown): BinanceFrame {
  return malformedDrop(value, ["e", "s", "stream", "id"]);
}
