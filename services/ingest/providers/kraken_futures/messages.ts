/**
 * Kraken Futures WebSocket v1 payloads (VENUES.md 3.3) after lossless parsing: every JSON number
 * arrives as its exact source text (`34832.5`, `3.891007752e-9`), so numeric fields are strings.
 * @module
 */
import type { DropReason } from "../events.ts";

/** A trade, as a delta (`feed: "trade"`) or inside a `trade_snapshot`. */
export interface KrakenFuturesTrade {
  feed: string;
  product_id: string;
  /** Trade UUID. */
  uid: string;
  /** The taker's side: `buy` or `sell`. */
  side: string;
  /** `fill`, `liquidation`, `termination` or `block`. */
  type?: string;
  /** Subscription message sequence number (number text). */
  seq: string;
  /** Epoch ms (number text). */
  time: string;
  /** Number text, exponent notation possible. */
  qty: string;
  /** Number text, exponent notation possible. */
  price: string;
}

/** A `ticker` / `ticker_snapshot` message: the fields the adapter reads. */
export interface KrakenFuturesTicker {
  feed: string;
  product_id: string;
  time: string;
  bid: string;
  ask: string;
  bid_size: string;
  ask_size: string;
}

/** One frame, classified. */
export type KrakenFuturesFrame =
  | { type: "trade"; trade: KrakenFuturesTrade }
  | { type: "trade_snapshot"; productId: string; trades: unknown[] }
  | { type: "ticker"; ticker: KrakenFuturesTicker }
  | { type: "heartbeat" }
  | { type: "info"; version: unknown }
  | { type: "ack"; event: string; feed: string; productIds: string[]; message?: string }
  | { type: "error"; event: string; message: string }
  | { type: "drop"; reason: DropReason; detail: Record<string, unknown> };
