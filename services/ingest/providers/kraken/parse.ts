/**
 * Kraken Spot WS v2 parsing: frames decoded losslessly, then each trade, ticker and book entry
 * checked field by field into normalized events. Nothing here throws on venue input; a bad entry
 * becomes a `Rejected` with the drop reason and its key fields.
 * @module
 */
import { parsePrice } from "@core/mod.ts";
import { rfc3339ToNs } from "@shared/venue/clock.ts";
import type { DropReason, QuoteEvent, Side, TradeEvent } from "../events.ts";
import { isRecord } from "../_json.ts";
import type { L2Level } from "./book.ts";
import { isJsonNumber, parseLossless, plainDecimal } from "./lossless_json.ts";
import type { KrakenSymbols } from "./symbols.ts";

/** A dropped entry: why, and its key fields for the log. */
export interface Rejected {
  ok: false;
  reason: DropReason;
  detail: Record<string, unknown>;
}

/** A parse outcome. */
export type Parsed<T> = { ok: true; value: T } | Rejected;

/** What every entry parser needs. */
export interface ParseContext {
  normalizer: KrakenSymbols;
  /** Receive time, ns. */
  tsRecv: bigint;
}

/** A parsed book entry (levels keep their exact text for the checksum). */
export interface BookData {
  symbol: string;
  venueSymbol: string;
  bids: L2Level[];
  asks: L2Level[];
  checksum: number;
  /** Venue time when the entry carries one (updates do, snapshots do not). */
  tsEvent: bigint | undefined;
}

/** A parsed subscribe/unsubscribe ack or pong. */
export interface Ack {
  method: string;
  success: boolean;
  channel: string | undefined;
  venueSymbol: string | undefined;
  error: string | undefined;
  reqId: number | undefined;
}

/** Thrown inside an entry parser, caught at its edge. */
class Reject extends Error {
  constructor(readonly reason: DropReason, readonly detail: Record<string, unknown>) {
    super(reason);
  }
}

function guard<T>(fn: () => T): Parsed<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof Reject) return { ok: false, reason: error.reason, detail: error.detail };
    return { ok: false, reason: "bad_value", detail: { error: (error as Error).message } };
  }
}

/** Decodes a frame to a plain object (numbers as source text); malformed_json otherwise. */
export function decodeFrame(text: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = parseLossless(text);
  } catch (error) {
    return { ok: false, reason: "malformed_json", detail: { error: (error as Error).message } };
  }
  if (!isRecord(value)) {
    return { ok: false, reason: "malformed_json", detail: { error: "frame is not an object" } };
  }
  return { ok: true, value };
}

/** True for a non-null, non-array object. */
export { isRecord };

function field(entry: Record<string, unknown>, name: string, what: string): unknown {
  const value = entry[name];
  if (value === undefined) throw new Reject("malformed_json", { error: `${what} without ${name}` });
  return value;
}

function text(entry: Record<string, unknown>, name: string, what: string): string {
  const value = field(entry, name, what);
  if (typeof value !== "string") {
    throw new Reject("malformed_json", { error: `${what} ${name} is not a string` });
  }
  return value;
}

function number(entry: Record<string, unknown>, name: string, what: string): string {
  const value = text(entry, name, what);
  if (!isJsonNumber(value)) {
    throw new Reject("bad_value", { error: `${what} ${name} is not a number`, [name]: value });
  }
  return value;
}

function priceOf(value: string, what: string, symbol: string): bigint {
  try {
    const price = parsePrice(plainDecimal(value));
    if (price <= 0n) throw new RangeError("not positive");
    return price;
  } catch (error) {
    throw new Reject("bad_value", { symbol, [what]: value, error: (error as Error).message });
  }
}

function qtyOf(value: string, what: string, symbol: string): string {
  try {
    return plainDecimal(value);
  } catch (error) {
    throw new Reject("bad_value", { symbol, [what]: value, error: (error as Error).message });
  }
}

function timeOf(value: string, symbol: string): bigint {
  try {
    return rfc3339ToNs(value);
  } catch (error) {
    throw new Reject("bad_value", { symbol, timestamp: value, error: (error as Error).message });
  }
}

function symbolOf(entry: Record<string, unknown>, what: string, ctx: ParseContext): string[] {
  const venueSymbol = text(entry, "symbol", what);
  try {
    return [ctx.normalizer.toCanonical(venueSymbol), venueSymbol];
  } catch {
    throw new Reject("unknown_symbol", { symbol: venueSymbol });
  }
}

function record(entry: unknown, what: string): Record<string, unknown> {
  if (!isRecord(entry)) throw new Reject("malformed_json", { error: `${what} is not an object` });
  return entry;
}

/** A `trade` entry -> TradeEvent (side: taker buy -> B, sell -> A; sequence = trade_id u32). */
export function parseTrade(entry: unknown, ctx: ParseContext): Parsed<TradeEvent> {
  return guard(() => {
    const trade = record(entry, "trade");
    const [symbol] = symbolOf(trade, "trade", ctx) as [string];
    const sideText = text(trade, "side", "trade");
    if (sideText !== "buy" && sideText !== "sell") {
      throw new Reject("bad_value", { symbol, side: sideText });
    }
    const side: Side = sideText === "buy" ? "B" : "A";
    const tradeId = number(trade, "trade_id", "trade");
    if (!/^\d{1,64}$/.test(tradeId)) throw new Reject("bad_value", { symbol, trade_id: tradeId });
    return {
      kind: "trade",
      symbol,
      tsEvent: timeOf(text(trade, "timestamp", "trade"), symbol),
      tsRecv: ctx.tsRecv,
      price: priceOf(number(trade, "price", "trade"), "price", symbol),
      quantity: qtyOf(number(trade, "qty", "trade"), "qty", symbol),
      side,
      tradeId,
      sequence: Number(BigInt(tradeId) & 0xffff_ffffn),
    };
  });
}

/** A `ticker` entry -> QuoteEvent (no timestamp: the receive time). */
export function parseTicker(entry: unknown, ctx: ParseContext): Parsed<QuoteEvent> {
  return guard(() => {
    const ticker = record(entry, "ticker");
    const [symbol] = symbolOf(ticker, "ticker", ctx) as [string];
    const timestamp = ticker.timestamp;
    if (timestamp !== undefined && typeof timestamp !== "string") {
      throw new Reject("malformed_json", { symbol, error: "ticker timestamp is not a string" });
    }
    return {
      kind: "bbo",
      symbol,
      tsEvent: timestamp === undefined ? ctx.tsRecv : timeOf(timestamp, symbol),
      tsRecv: ctx.tsRecv,
      bidPrice: priceOf(number(ticker, "bid", "ticker"), "bid", symbol),
      bidQuantity: qtyOf(number(ticker, "bid_qty", "ticker"), "bid_qty", symbol),
      askPrice: priceOf(number(ticker, "ask", "ticker"), "ask", symbol),
      askQuantity: qtyOf(number(ticker, "ask_qty", "ticker"), "ask_qty", symbol),
      sequence: 0,
    };
  });
}

function levels(book: Record<string, unknown>, name: string, symbol: string): L2Level[] {
  const list = field(book, name, "book");
  if (!Array.isArray(list)) {
    throw new Reject("malformed_json", { symbol, error: `${name} not a list` });
  }
  return list.map((item) => {
    const level = record(item, `book ${name} level`);
    const priceText = qtyOf(number(level, "price", "book level"), "price", symbol);
    return {
      price: priceOf(priceText, "price", symbol),
      priceText,
      qty: qtyOf(number(level, "qty", "book level"), "qty", symbol),
    };
  });
}

/** A `book` entry -> levels with exact text, the venue's checksum and time. */
export function parseBook(entry: unknown, ctx: ParseContext): Parsed<BookData> {
  return guard(() => {
    const book = record(entry, "book");
    const [symbol, venueSymbol] = symbolOf(book, "book", ctx) as [string, string];
    const checksumText = number(book, "checksum", "book");
    const checksum = Number(checksumText);
    if (!/^\d+$/.test(checksumText) || checksum > 0xffff_ffff) {
      throw new Reject("bad_value", { symbol, checksum: checksumText });
    }
    const timestamp = book.timestamp;
    return {
      symbol,
      venueSymbol,
      bids: levels(book, "bids", symbol),
      asks: levels(book, "asks", symbol),
      checksum,
      tsEvent: typeof timestamp === "string" ? timeOf(timestamp, symbol) : undefined,
    };
  });
}

/** A `method` frame (subscribe/unsubscribe ack, pong). */
export function parseAck(frame: Record<string, unknown>): Parsed<Ack> {
  return guard(() => {
    const method = text(frame, "method", "ack");
    const result = isRecord(frame.result) ? frame.result : {};
    const success = frame.success === undefined ? method === "pong" : frame.success === true;
    const str = (value: unknown) => typeof value === "string" ? value : undefined;
    const reqId = str(frame.req_id);
    return {
      method,
      success,
      channel: str(result.channel),
      venueSymbol: str(result.symbol) ?? str(frame.symbol),
      error: str(frame.error),
      reqId: reqId !== undefined && /^\d{1,15}$/.test(reqId) ? Number(reqId) : undefined,
    };
  });
}
