/**
 * What providers emit: normalized market events with canonical symbols, DBN fixed-point prices
 * (1e-9, exact) and exact quantities as plain decimal strings. The serve pipeline turns them into
 * DBN records and tick rows.
 * @module
 */

/** Aggressor side as DBN writes it: B buyer (taker bought), A seller (taker sold), N unknown. */
export type Side = "A" | "B" | "N";

/** One trade. */
export interface TradeEvent {
  kind: "trade";
  /** Canonical symbol (`BTCUSD`). */
  symbol: string;
  /** Venue event time, ns since the epoch. */
  tsEvent: bigint;
  /** Our receive time, ns since the epoch. */
  tsRecv: bigint;
  /** DBN fixed point, units of 1e-9, parsed exactly from the venue's text. */
  price: bigint;
  /** Exact traded amount, plain decimal ("0.00123000" is fine; no exponent, no sign). */
  quantity: string;
  side: Side;
  /** The venue's trade id (printable ASCII, at most 64). */
  tradeId: string;
  /** Venue sequence number (u32), 0 when the venue has none. */
  sequence: number;
}

/** Best bid and offer (level 1), published as a DBN BBO record. */
export interface QuoteEvent {
  kind: "bbo";
  symbol: string;
  tsEvent: bigint;
  tsRecv: bigint;
  bidPrice: bigint;
  bidQuantity: string;
  askPrice: bigint;
  askQuantity: string;
  sequence: number;
}

/** One price level of a book. */
export interface BookLevel {
  price: bigint;
  quantity: string;
}

/** The top of a verified level-2 book after an update, published as a DBN MBP-10 record. */
export interface BookEvent {
  kind: "book";
  symbol: string;
  tsEvent: bigint;
  tsRecv: bigint;
  /** Best first, at most 10. */
  bids: BookLevel[];
  /** Best first, at most 10. */
  asks: BookLevel[];
  /** True for the state right after a snapshot. */
  snapshot: boolean;
  sequence: number;
}

/** Any market event. */
export type MarketEvent = TradeEvent | QuoteEvent | BookEvent;

/** The feeds a live provider can stream for a symbol. */
export type Feed = "trades" | "bbo" | "book";

/** Every feed name. */
export const FEEDS: readonly Feed[] = ["trades", "bbo", "book"];

/**
 * Why an incoming message was dropped. Counted per reason (`ingest_dropped_total{reason}`) and
 * logged once per kind.
 */
export type DropReason =
  | "malformed_json" // not JSON, or not the documented shape
  | "corrupt_file" // a replayed DBN file that is cut short or corrupt (the rest is skipped)
  | "unexpected_message" // valid JSON the adapter does not know
  | "unknown_symbol" // a symbol we did not subscribe or cannot map
  | "bad_value" // a price, size or time that does not parse exactly or is out of range
  | "checksum_mismatch" // a book whose CRC32 does not match the venue's (book resubscribed)
  | "venue_error" // an error or failed subscription reported by the venue
  | "queue_full" // persistence queue full and spill failed
  | "invalid_tick"; // the database rejected a tick

/** Where a live provider sends what it receives. */
export interface StreamSink {
  /** A normalized event. Called synchronously in arrival order. */
  onEvent(event: MarketEvent): void;
  /** A dropped message, with its key fields (never the whole frame) for a one-time log line. */
  onDrop(reason: DropReason, detail: Record<string, unknown>): void;
}
