/**
 * The Kraken WS v2 frame handler behind KrakenProvider: acks, status, heartbeats, trades, tickers
 * and books (checksum verified on every snapshot and update; a mismatch discards the book and
 * resubscribes it, and nothing is emitted for it until a fresh snapshot verifies). Never throws.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import type { DropReason, Feed, StreamSink } from "../events.ts";
import { L2Book } from "./book.ts";
import { CHECKSUM_LEVELS } from "./checksum.ts";
import type { KrakenChannel } from "./messages.ts";
import {
  decodeFrame,
  isRecord,
  parseAck,
  parseBook,
  type ParseContext,
  parseTicker,
  parseTrade,
} from "./parse.ts";
import type { KrakenSymbols } from "./symbols.ts";

/** A request awaiting its per-symbol acks (for naming the symbol of a failed ack). */
export interface PendingRequest {
  method: "subscribe" | "unsubscribe";
  channel: KrakenChannel;
  symbols: string[];
  acks: number;
}

/** What the handler needs from its provider. */
export interface KrakenHandlerOptions {
  sink: StreamSink;
  normalizer: KrakenSymbols;
  logger?: Logger;
  bookDepth: number;
  /** True when the canonical symbol is subscribed to the feed. */
  wants: (symbol: string, feed: Feed) => boolean;
  /** Requests sent on this connection, by req_id. */
  pending: Map<number, PendingRequest>;
  /** Unsubscribe and resubscribe (with snapshot) one venue symbol's book. */
  resubscribeBook: (venueSymbol: string) => void;
}

/** Per-connection protocol state and the frame dispatcher. */
export class KrakenHandler {
  readonly #o: KrakenHandlerOptions;
  /** Canonical -> verified book; undefined while awaiting a (re)snapshot. */
  readonly #books = new Map<string, L2Book | undefined>();
  readonly #confirmed = new Map<string, Set<string>>();
  readonly #failed = new Map<string, string>();
  #resyncs = 0;
  #system: string | undefined;

  /** A handler for one provider. */
  constructor(options: KrakenHandlerOptions) {
    this.#o = options;
  }

  /** Books resubscribed after a checksum mismatch. */
  get bookResyncs(): number {
    return this.#resyncs;
  }

  /** `system` of the last status message. */
  get systemStatus(): string | undefined {
    return this.#system;
  }

  /** A book subscription was requested: updates wait for its snapshot. */
  expectBook(symbol: string): void {
    if (!this.#books.has(symbol)) this.#books.set(symbol, undefined);
  }

  /** The symbol was unsubscribed: forget its book, confirmations and failures. */
  forget(symbol: string): void {
    this.#books.delete(symbol);
    this.#confirmed.delete(symbol);
    this.#failed.delete(symbol);
  }

  /** A new connection: every book waits for its snapshot; confirmations start over. */
  reset(): void {
    for (const symbol of this.#books.keys()) this.#books.set(symbol, undefined);
    this.#confirmed.clear();
  }

  /** True when the venue acked the symbol's channel on this connection. */
  isConfirmed(symbol: string, channel: KrakenChannel): boolean {
    return this.#confirmed.get(symbol)?.has(channel) ?? false;
  }

  /** Refused subscriptions: canonical symbol -> the venue's error. */
  failures(): Record<string, string> {
    return Object.fromEntries(this.#failed);
  }

  /** Handles one text frame received at `tsRecv` (ns). */
  handle(text: string, tsRecv: bigint): void {
    try {
      this.#handle(text, tsRecv);
    } catch (error) {
      this.#o.logger?.error("Kraken frame handling failed", { error: (error as Error).message });
      this.#drop("unexpected_message", { error: (error as Error).message });
    }
  }

  #handle(text: string, tsRecv: bigint): void {
    const decoded = decodeFrame(text);
    if (!decoded.ok) return this.#drop(decoded.reason, decoded.detail);
    const frame = decoded.value;
    if (typeof frame.method === "string") return this.#onAck(frame);
    const channel = frame.channel;
    if (channel === "heartbeat") return;
    if (channel === "status") return this.#onStatus(frame);
    if (channel === "trade" || channel === "ticker" || channel === "book") {
      const { type, data } = frame;
      if ((type !== "snapshot" && type !== "update") || !Array.isArray(data)) {
        return this.#drop("malformed_json", { channel, error: "no type or data" });
      }
      const ctx: ParseContext = { normalizer: this.#o.normalizer, tsRecv };
      for (const entry of data) {
        if (channel === "book") this.#onBook(entry, type === "snapshot", ctx);
        else this.#onLevel1(channel, entry, ctx);
      }
      return;
    }
    const error = frame.error ?? frame.Error;
    if (typeof error === "string") return this.#drop("venue_error", { error });
    this.#drop("unexpected_message", {
      channel: typeof channel === "string" ? channel : undefined,
    });
  }

  #onStatus(frame: Record<string, unknown>): void {
    const entry = Array.isArray(frame.data) ? frame.data[0] : undefined;
    if (!isRecord(entry) || typeof entry.system !== "string") {
      return this.#drop("malformed_json", { channel: "status" });
    }
    if (entry.system !== this.#system && entry.system !== "online") {
      this.#o.logger?.warn("Kraken engine status", { system: entry.system });
    }
    this.#system = entry.system;
  }

  #onLevel1(channel: "trade" | "ticker", entry: unknown, ctx: ParseContext): void {
    const parsed = channel === "trade" ? parseTrade(entry, ctx) : parseTicker(entry, ctx);
    if (!parsed.ok) return this.#drop(parsed.reason, parsed.detail);
    const event = parsed.value;
    if (!this.#o.wants(event.symbol, channel === "trade" ? "trades" : "bbo")) {
      return this.#drop("unknown_symbol", { channel, symbol: event.symbol });
    }
    this.#o.sink.onEvent(event);
  }

  #onBook(entry: unknown, snapshot: boolean, ctx: ParseContext): void {
    const parsed = parseBook(entry, ctx);
    if (!parsed.ok) {
      this.#drop(parsed.reason, parsed.detail);
      // A level we could not apply leaves the book unknown: take a fresh snapshot
      const symbol = parsed.detail.symbol;
      if (typeof symbol === "string" && this.#books.get(symbol) !== undefined) this.#resync(symbol);
      return;
    }
    const data = parsed.value;
    if (!this.#books.has(data.symbol) || !this.#o.wants(data.symbol, "book")) {
      return this.#drop("unknown_symbol", { channel: "book", symbol: data.symbol });
    }
    let book = this.#books.get(data.symbol);
    // Updates still in flight for a discarded book are expected; the snapshot rebuilds it
    if (!snapshot && book === undefined) return;
    if (snapshot) {
      book = new L2Book(this.#o.bookDepth);
      book.applySnapshot(data.bids, data.asks);
    } else {
      book!.applyUpdate(data.bids, data.asks);
    }
    const got = book!.checksum();
    if (got !== data.checksum) {
      this.#drop("checksum_mismatch", { symbol: data.symbol, expected: data.checksum, got });
      return this.#resync(data.symbol);
    }
    this.#books.set(data.symbol, book);
    this.#o.sink.onEvent({
      kind: "book",
      symbol: data.symbol,
      tsEvent: data.tsEvent ?? ctx.tsRecv,
      tsRecv: ctx.tsRecv,
      ...book!.top(CHECKSUM_LEVELS),
      snapshot,
      sequence: 0,
    });
  }

  #resync(symbol: string): void {
    this.#resyncs++;
    this.#books.set(symbol, undefined);
    this.#o.logger?.warn("Kraken book resubscribed", { symbol });
    this.#o.resubscribeBook(this.#o.normalizer.toVenue(symbol));
  }

  #onAck(frame: Record<string, unknown>): void {
    const parsed = parseAck(frame);
    if (!parsed.ok) return this.#drop(parsed.reason, parsed.detail);
    const ack = parsed.value;
    if (ack.method === "pong") {
      if (!ack.success) this.#drop("venue_error", { method: "ping", error: ack.error });
      return;
    }
    if (ack.method !== "subscribe" && ack.method !== "unsubscribe") {
      if (!ack.success) return this.#drop("venue_error", { method: ack.method, error: ack.error });
      return this.#drop("unexpected_message", { method: ack.method });
    }
    const request = ack.reqId === undefined ? undefined : this.#o.pending.get(ack.reqId);
    if (request !== undefined && ++request.acks >= request.symbols.length) {
      this.#o.pending.delete(ack.reqId!);
    }
    const channel = ack.channel ?? request?.channel;
    let venueSymbols = ack.venueSymbol === undefined ? [] : [ack.venueSymbol];
    if (venueSymbols.length === 0 && request !== undefined) {
      const named = request.symbols.filter((symbol) => ack.error?.includes(symbol));
      venueSymbols = named.length > 0 || request.symbols.length > 1 ? named : request.symbols;
    }
    const symbols = venueSymbols.map((venueSymbol) => {
      try {
        return this.#o.normalizer.toCanonical(venueSymbol);
      } catch {
        return venueSymbol;
      }
    });
    if (!ack.success) {
      const error = ack.error ?? "subscription failed";
      if (symbols.length === 0) return this.#drop("venue_error", { method: ack.method, error });
      for (const symbol of symbols) {
        if (ack.method === "subscribe") this.#failed.set(symbol, error);
        this.#drop("venue_error", { symbol, channel, method: ack.method, error });
      }
      return;
    }
    if (channel === undefined) return;
    for (const symbol of symbols) {
      const channels = this.#confirmed.get(symbol) ?? new Set<string>();
      this.#confirmed.set(symbol, channels);
      if (ack.method === "subscribe") {
        channels.add(channel);
        this.#failed.delete(symbol);
      } else {
        channels.delete(channel);
      }
    }
  }

  #drop(reason: DropReason, detail: Record<string, unknown>): void {
    try {
      this.#o.sink.onDrop(reason, detail);
    } catch (error) {
      this.#o.logger?.error("Drop sink failed", { reason, error: (error as Error).message });
    }
  }
}
