/**
 * Kraken Spot WS v2 wire shapes (VENUES.md section 2) as the lossless decoder yields them: every
 * JSON number arrives as its exact source text (`WireNumber`). Plus the client requests.
 * @module
 */
import type { Feed } from "../events.ts";

/** A JSON number's exact source text (`0.10000000`). */
export type WireNumber = string;

/** The channels this adapter reads. */
export type KrakenChannel = "trade" | "ticker" | "book";

/** Feed -> channel: trades -> trade, bbo -> ticker (event_trigger bbo), book -> book. */
export const CHANNEL_OF_FEED: Readonly<Record<Feed, KrakenChannel>> = {
  trades: "trade",
  bbo: "ticker",
  book: "book",
};

/** `{"channel":"status","type":"update","data":[...]}` on connect and on engine changes. */
export interface WireStatus {
  api_version: string;
  connection_id: WireNumber;
  system: "online" | "cancel_only" | "maintenance" | "post_only";
  version: string;
}

/** One trade of a `trade` snapshot or update. */
export interface WireTrade {
  symbol: string;
  side: "buy" | "sell";
  price: WireNumber;
  qty: WireNumber;
  ord_type: "limit" | "market";
  trade_id: WireNumber;
  timestamp: string;
}

/** One `ticker` entry (level 1); `timestamp` only in the newer docs. */
export interface WireTicker {
  symbol: string;
  bid: WireNumber;
  bid_qty: WireNumber;
  ask: WireNumber;
  ask_qty: WireNumber;
  last?: WireNumber;
  timestamp?: string;
}

/** One book level. */
export interface WireBookLevel {
  price: WireNumber;
  qty: WireNumber;
}

/** One `book` entry: a symbol's snapshot or changed levels, with the checksum after applying. */
export interface WireBook {
  symbol: string;
  bids: WireBookLevel[];
  asks: WireBookLevel[];
  checksum: WireNumber;
  timestamp?: string;
}

/** A channel data frame. */
export interface WireData<T> {
  channel: string;
  type: "snapshot" | "update";
  data: T[];
}

/** A subscribe/unsubscribe ack (one per symbol) or a pong. */
export interface WireAck {
  method: "subscribe" | "unsubscribe" | "pong" | string;
  result?: { channel?: string; symbol?: string; snapshot?: boolean; depth?: WireNumber };
  success?: boolean;
  error?: string;
  /** Failed acks name the symbol at the top level. */
  symbol?: string;
  req_id?: WireNumber;
  time_in?: string;
  time_out?: string;
  warnings?: string[];
}

/** Options of a subscribe request beyond channel and symbols. */
export interface SubscribeParams {
  snapshot: boolean;
  /** Book only. */
  depth?: number;
  /** Ticker only: `bbo` or `trades`. */
  eventTrigger?: "bbo" | "trades";
}

/** `{"method":"subscribe","params":{...},"req_id":n}` with `snapshot` always explicit. */
export function subscribeRequest(
  channel: KrakenChannel,
  symbols: readonly string[],
  params: SubscribeParams & { reqId: number },
): string {
  const body: Record<string, unknown> = { channel, symbol: symbols };
  if (params.depth !== undefined) body.depth = params.depth;
  if (params.eventTrigger !== undefined) body.event_trigger = params.eventTrigger;
  body.snapshot = params.snapshot;
  return JSON.stringify({ method: "subscribe", params: body, req_id: params.reqId });
}

/** `{"method":"unsubscribe","params":{"channel":...,"symbol":[...]},"req_id":n}`. */
export function unsubscribeRequest(
  channel: KrakenChannel,
  symbols: readonly string[],
  reqId: number,
): string {
  return JSON.stringify({
    method: "unsubscribe",
    params: { channel, symbol: symbols },
    req_id: reqId,
  });
}

/** The application ping `{"method":"ping","req_id":n}`. */
export function pingRequest(reqId: number): string {
  return JSON.stringify({ method: "ping", req_id: reqId });
}
