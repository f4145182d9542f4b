/**
 * Binance Spot stream payloads as the venue sends them (VENUES.md 1.2-1.3), and the adapter's
 * classification of one incoming frame.
 * @module
 */
import type { DropReason } from "../events.ts";

/** `<symbol>@trade`: one raw trade. */
export interface BinanceTrade {
  e: "trade";
  /** Event time, ms. */
  E: number;
  /** Symbol, upper case. */
  s: string;
  /** Trade id. */
  t: number;
  /** Price, decimal string. */
  p: string;
  /** Quantity, decimal string. */
  q: string;
  /** Trade time, ms. */
  T: number;
  /** True when the buyer was the maker, i.e. the taker sold. */
  m: boolean;
}

/** `<symbol>@bookTicker`: best bid and ask; no event type and no event time. */
export interface BinanceBookTicker {
  /** Order book update id. */
  u: number;
  s: string;
  /** Best bid price. */
  b: string;
  /** Best bid quantity. */
  B: string;
  /** Best ask price. */
  a: string;
  /** Best ask quantity. */
  A: string;
}

/** A control request (`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, ...). */
export interface BinanceControlRequest {
  method: "SUBSCRIBE" | "UNSUBSCRIBE" | "LIST_SUBSCRIPTIONS" | "SET_PROPERTY" | "GET_PROPERTY";
  params?: unknown[];
  id: number;
}

/** One frame, classified. `stream` is the combined wrapper's stream name when there was one. */
export type BinanceFrame =
  | { type: "trade"; trade: BinanceTrade; stream?: string }
  | { type: "bookTicker"; ticker: BinanceBookTicker; stream?: string }
  | { type: "serverShutdown"; eventMs: unknown }
  | { type: "result"; id: unknown; result: unknown }
  | { type: "error"; id: unknown; code: unknown; msg: string }
  | { type: "drop"; reason: DropReason; detail: Record<string, unknown> };
