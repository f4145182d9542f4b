/**
 * The Kraken Futures live provider: trades (`trade` feed) and best bid/offer (`ticker` feed) of
 * perpetual contracts over `wss://futures.kraken.com/ws/v1`.
 *
 * Keepalive: Kraken asks for a ping at least every 60 s. Deno's WebSocket API cannot send ping
 * frames, so the provider subscribes the `heartbeat` feed on connect and re-sends that subscribe
 * every `keepaliveMs` (30 s) as the application keepalive; the venue's `subscribed` reply and the
 * heartbeats also keep the WsClient's idle timer fed.
 *
 * Trade snapshots (sent after each trade subscribe, newest first) are skipped by default so a
 * reconnect does not replay old trades; with `emitSnapshot` they are emitted oldest first.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import {
  type BackoffOptions,
  type ConnectionStatus,
  msToNs,
  unknownSymbolsLine,
  VenueError,
  WsClient,
} from "@shared/venue/mod.ts";
import type { DropReason, Feed, StreamSink } from "../events.ts";
import type {
  DiscoveredSymbol,
  LiveStreamProvider,
  ProviderInfo,
  ProviderStats,
  SubscriptionStatus,
} from "../types.ts";
import { type DiscoveryRetryOptions, fetchInstruments, parseInstruments } from "./discovery.ts";
import type { KrakenFuturesFrame, KrakenFuturesTrade } from "./messages.ts";
import {
  isTrade,
  krakenFuturesQuoteEvent,
  krakenFuturesTradeEvent,
  parseKrakenFuturesFrame,
} from "./parse.ts";
import {
  KRAKEN_FUTURES_EXCHANGE,
  KRAKEN_FUTURES_VENUE,
  type KrakenFuturesContract,
  KrakenFuturesSymbols,
} from "./symbols.ts";

/** Options of {@linkcode KrakenFuturesProvider}. */
export interface KrakenFuturesProviderOptions {
  /** The full WebSocket URL (`wss://futures.kraken.com/ws/v1`). */
  wsUrl: string;
  /** REST base URL (`https://futures.kraken.com`). */
  restUrl: string;
  sink: StreamSink;
  logger?: Logger;
  /** Perpetual family: inverse `PI` (default) or linear multi-collateral `PF`. */
  contract?: KrakenFuturesContract;
  /** Emit the trade snapshot sent after each subscribe, oldest first (default false). */
  emitSnapshot?: boolean;
  /** Heartbeat re-subscribe interval, ms (default 30 000; 0 disables). */
  keepaliveMs?: number;
  /** Reconnect when no frame arrives for this long (default 60 000 ms; 0 disables). */
  idleTimeoutMs?: number;
  /** Reconnect backoff of the WsClient. */
  backoff?: BackoffOptions;
  /** Retry knobs of discovery requests. */
  discoveryRetry?: DiscoveryRetryOptions;
}

const VENUE_FEED: Partial<Record<Feed, string>> = { trades: "trade", bbo: "ticker" };
const HEARTBEAT_SUBSCRIBE = `{"event":"subscribe","feed":"heartbeat"}`;

/** Kraken Futures market data over WebSocket. */
export class KrakenFuturesProvider implements LiveStreamProvider {
  readonly info: ProviderInfo = {
    name: KRAKEN_FUTURES_VENUE,
    exchange: KRAKEN_FUTURES_EXCHANGE,
    feeds: ["trades", "bbo"],
    live: true,
    historical: false,
  };
  readonly normalizer: KrakenFuturesSymbols;
  readonly #options: KrakenFuturesProviderOptions;
  readonly #client: WsClient;
  /** Canonical symbol -> requested feeds. */
  readonly #requested = new Map<string, Set<Feed>>();
  /** Product id -> canonical. */
  readonly #byProduct = new Map<string, string>();
  /** `feed:product` pairs the venue confirmed on this connection. */
  readonly #acked = new Set<string>();
  readonly #failed = new Map<string, string>();
  #listed: Set<string> | undefined;

  constructor(options: KrakenFuturesProviderOptions) {
    this.#options = options;
    this.normalizer = new KrakenFuturesSymbols(options.contract ?? "PI");
    const keepaliveMs = options.keepaliveMs ?? 30_000;
    this.#client = new WsClient({
      venue: KRAKEN_FUTURES_VENUE,
      url: () => options.wsUrl,
      onOpen: (client) => this.#onOpen(client),
      onMessage: (text, receivedMs) => {
        try {
          this.#onMessage(text, receivedMs);
        } catch (error) {
          // Only the sink can throw here; the socket must survive it.
          options.logger?.error("Kraken Futures sink failed", { error: (error as Error).message });
        }
      },
      keepalive: keepaliveMs > 0
        ? { intervalMs: keepaliveMs, message: () => HEARTBEAT_SUBSCRIBE }
        : undefined,
      idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
      backoff: options.backoff,
      logger: options.logger,
    });
  }

  /** Opens the connection; resolves once connected and subscribed. */
  connect(): Promise<void> {
    return this.#client.connect();
  }

  /** Closes the connection and stops reconnecting. */
  disconnect(): Promise<void> {
    return this.#client.close();
  }

  /** True while the connection is open. */
  isConnected(): boolean {
    return this.#client.status === "connected";
  }

  /** The WsClient's status. */
  connectionStatus(): ConnectionStatus {
    return this.#client.status;
  }

  /** Subscribes canonical symbols to `trades` and/or `bbo`; remembered across reconnects. */
  subscribe(symbols: readonly string[], feeds: readonly Feed[] = ["trades"]): Promise<void> {
    try {
      for (const feed of feeds) {
        if (VENUE_FEED[feed] === undefined) {
          throw new VenueError("rejected", `feed "${feed}" is not supported (trades, bbo)`, {
            venue: KRAKEN_FUTURES_VENUE,
          });
        }
      }
      const products = symbols.map((symbol) => this.normalizer.toVenue(symbol));
      if (this.#listed !== undefined) {
        const line = unknownSymbolsLine(KRAKEN_FUTURES_VENUE, products, [...this.#listed]);
        if (line !== undefined) {
          throw new VenueError("unknown_symbol", line, { venue: KRAKEN_FUTURES_VENUE });
        }
      }
      const added = new Map<Feed, string[]>();
      symbols.forEach((symbol, i) => {
        const wanted = this.#requested.get(symbol) ?? new Set<Feed>();
        for (const feed of feeds) {
          if (!wanted.has(feed)) added.set(feed, [...added.get(feed) ?? [], products[i]!]);
          wanted.add(feed);
        }
        this.#requested.set(symbol, wanted);
        this.#byProduct.set(products[i]!, symbol);
        this.#failed.delete(symbol);
      });
      if (this.isConnected()) {
        for (const [feed, ids] of added) this.#send("subscribe", feed, ids);
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Forgets canonical symbols and unsubscribes their feeds. */
  unsubscribe(symbols: readonly string[]): Promise<void> {
    const removed = new Map<Feed, string[]>();
    for (const symbol of symbols) {
      const feeds = this.#requested.get(symbol);
      if (feeds === undefined) continue;
      const product = this.normalizer.toVenue(symbol);
      for (const feed of feeds) removed.set(feed, [...removed.get(feed) ?? [], product]);
      this.#requested.delete(symbol);
      this.#byProduct.delete(product);
    }
    if (this.isConnected()) {
      for (const [feed, ids] of removed) this.#send("unsubscribe", feed, ids);
    }
    return Promise.resolve();
  }

  /** Requested, venue-confirmed and refused symbols. */
  subscriptionStatus(): SubscriptionStatus {
    const requested: Record<string, Feed[]> = {};
    const active: string[] = [];
    for (const [symbol, feeds] of this.#requested) {
      requested[symbol] = [...feeds];
      const product = this.normalizer.toVenue(symbol);
      if ([...feeds].every((feed) => this.#acked.has(`${VENUE_FEED[feed]}:${product}`))) {
        active.push(symbol);
      }
    }
    return { requested, active, failed: Object.fromEntries(this.#failed) };
  }

  /** Connection counters. */
  stats(): ProviderStats {
    const client = this.#client;
    return {
      reconnections: client.reconnections,
      messages: client.messages,
      lastMessageMs: client.lastMessageMs,
      bookResyncs: 0,
    };
  }

  /** The tradeable perpetuals of this contract family; later subscribes refuse unlisted ones. */
  async discoverSymbols(): Promise<DiscoveredSymbol[]> {
    const json = await fetchInstruments(this.#options.restUrl, this.#options.discoveryRetry);
    const found = parseInstruments(json, this.normalizer);
    this.#listed = new Set(found.map((symbol) => symbol.venueSymbol));
    return found;
  }

  #onOpen(client: WsClient): void {
    this.#acked.clear();
    client.send(HEARTBEAT_SUBSCRIBE);
    for (const [feed, venueFeed] of Object.entries(VENUE_FEED) as [Feed, string][]) {
      const ids = [...this.#requested]
        .filter(([, feeds]) => feeds.has(feed))
        .map(([symbol]) => this.normalizer.toVenue(symbol));
      if (ids.length > 0) client.send(subscribeText("subscribe", venueFeed, ids));
    }
  }

  #send(event: "subscribe" | "unsubscribe", feed: Feed, productIds: string[]): void {
    if (productIds.length > 0) {
      this.#client.send(subscribeText(event, VENUE_FEED[feed]!, productIds));
    }
  }

  #onMessage(text: string, receivedMs: number): void {
    const frame = parseKrakenFuturesFrame(text);
    switch (frame.type) {
      case "drop":
        return this.#drop(frame.reason, frame.detail);
      case "info":
      case "heartbeat":
        return;
      case "ack":
        return this.#onAck(frame);
      case "error":
        return this.#drop("venue_error", { event: frame.event, message: frame.message });
      case "trade":
        return this.#onTrade(frame.trade, receivedMs);
      case "trade_snapshot": {
        if (!this.#options.emitSnapshot) return;
        // Newest first on the wire; emitted oldest first.
        for (const trade of [...frame.trades].reverse()) {
          if (isTrade(trade)) this.#onTrade(trade, receivedMs);
          else {this.#drop("malformed_json", {
              feed: "trade_snapshot",
              product_id: frame.productId,
            });}
        }
        return;
      }
      case "ticker": {
        const { ticker } = frame;
        const symbol = this.#symbolFor(ticker.product_id, "bbo");
        if (symbol === undefined) return;
        try {
          const event = krakenFuturesQuoteEvent(ticker, symbol, msToNs(receivedMs));
          this.#options.sink.onEvent(event);
        } catch (error) {
          this.#badValue(error, { product_id: ticker.product_id, time: ticker.time });
        }
        return;
      }
    }
  }

  #onTrade(trade: KrakenFuturesTrade, receivedMs: number): void {
    const symbol = this.#symbolFor(trade.product_id, "trades");
    if (symbol === undefined) return;
    let event;
    try {
      event = krakenFuturesTradeEvent(trade, symbol, msToNs(receivedMs));
    } catch (error) {
      return this.#badValue(error, { product_id: trade.product_id, seq: trade.seq });
    }
    this.#options.sink.onEvent(event);
  }

  /** The canonical symbol of a subscribed product and feed; drops and returns undefined else. */
  #symbolFor(productId: string, feed: Feed): string | undefined {
    const symbol = this.#byProduct.get(productId.toUpperCase());
    if (symbol === undefined) {
      this.#drop("unknown_symbol", { product_id: productId });
      return undefined;
    }
    if (!this.#requested.get(symbol)?.has(feed)) {
      this.#drop("unexpected_message", { product_id: productId, feed });
      return undefined;
    }
    return symbol;
  }

  #onAck(frame: Extract<KrakenFuturesFrame, { type: "ack" }>): void {
    const { event, feed, productIds } = frame;
    if (event === "subscribed" || event === "unsubscribed") {
      for (const id of productIds) {
        if (event === "subscribed") this.#acked.add(`${feed}:${id.toUpperCase()}`);
        else this.#acked.delete(`${feed}:${id.toUpperCase()}`);
      }
      return;
    }
    this.#drop("venue_error", { event, feed, product_ids: productIds, message: frame.message });
    if (event !== "subscribed_failed") return;
    // A refused subscription is forgotten, so reconnects do not ask again.
    const ourFeed = (Object.keys(VENUE_FEED) as Feed[]).find((f) => VENUE_FEED[f] === feed);
    for (const id of productIds) {
      const symbol = this.#byProduct.get(id.toUpperCase());
      const feeds = symbol === undefined ? undefined : this.#requested.get(symbol);
      if (symbol === undefined || feeds === undefined || ourFeed === undefined) continue;
      feeds.delete(ourFeed);
      this.#failed.set(symbol, frame.message ?? `${event} (${feed})`);
      if (feeds.size === 0) {
        this.#requested.delete(symbol);
        this.#byProduct.delete(id.toUpperCase());
      }
    }
  }

  #badValue(error: unknown, detail: Record<string, unknown>): void {
    this.#drop("bad_value", { ...detail, error: (error as Error).message });
  }

  #drop(reason: DropReason, detail: Record<string, unknown>): void {
    this.#options.sink.onDrop(reason, { venue: KRAKEN_FUTURES_VENUE, ...detail });
  }
}

function subscribeText(event: string, feed: string, productIds: readonly string[]): string {
  return JSON.stringify({ event, feed, product_ids: productIds });
}
