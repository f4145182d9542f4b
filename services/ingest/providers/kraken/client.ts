/**
 * KrakenProvider: Kraken Spot WS v2 as a LiveStreamProvider. Trades (`trade`), best bid/offer
 * (`ticker` with `event_trigger: "bbo"`) and checksummed level-2 books (`book`); app-level ping
 * keepalive; every remembered subscription resent after a reconnect.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import {
  type BackoffOptions,
  type ConnectionStatus,
  msToNs,
  VenueError,
  WsClient,
} from "@shared/venue/mod.ts";
import { type Feed, FEEDS } from "../events.ts";
import type {
  DiscoveredSymbol,
  LiveProviderOptions,
  LiveStreamProvider,
  ProviderInfo,
  ProviderStats,
  SubscriptionStatus,
} from "../types.ts";
import { BOOK_DEPTHS, type BookDepth } from "./book.ts";
import { fetchAssetPairs } from "./discovery.ts";
import { KrakenHandler, type PendingRequest } from "./handler.ts";
import {
  CHANNEL_OF_FEED,
  type KrakenChannel,
  pingRequest,
  subscribeRequest,
  unsubscribeRequest,
} from "./messages.ts";
import { KRAKEN_EXCHANGE, KRAKEN_VENUE, KrakenSymbols } from "./symbols.ts";

/** Options of {@linkcode KrakenProvider}. */
export interface KrakenProviderOptions extends LiveProviderOptions {
  /** WS v2 URL (`wss://ws.kraken.com/v2`). */
  wsUrl: string;
  /** REST base (`https://api.kraken.com`). */
  restUrl: string;
  /** App-level ping interval, ms (default 30 000; 0 disables). */
  keepaliveMs?: number;
  /** Reconnect after this long without a frame, ms (WsClient default 60 000). */
  idleTimeoutMs?: number;
  /** Reconnect backoff (WsClient defaults). */
  backoff?: BackoffOptions;
  /** Book depth subscribed (default 10). */
  bookDepth?: BookDepth;
  /** Ask for the last 50 trades on (re)subscribe (default false: restarts replay nothing). */
  tradeSnapshot?: boolean;
  /** Ask for a ticker snapshot on (re)subscribe (default true). */
  tickerSnapshot?: boolean;
  /** The normalizer (default a fresh one; discovery teaches it). */
  normalizer?: KrakenSymbols;
}

/** Kraken Spot WS v2 live provider. */
export class KrakenProvider implements LiveStreamProvider {
  /** What this provider is. */
  readonly info: ProviderInfo = {
    name: KRAKEN_VENUE,
    exchange: KRAKEN_EXCHANGE,
    feeds: FEEDS,
    live: true,
    historical: false,
  };
  readonly normalizer: KrakenSymbols;
  readonly options: KrakenProviderOptions;
  readonly #logger: Logger | undefined;
  readonly #handler: KrakenHandler;
  readonly #requested = new Map<string, Set<Feed>>();
  readonly #pending = new Map<number, PendingRequest>();
  #ws: WsClient | undefined;
  #reqId = 0;

  /** A provider; nothing opens until {@linkcode connect}. */
  constructor(options: KrakenProviderOptions) {
    if (options.bookDepth !== undefined && !BOOK_DEPTHS.includes(options.bookDepth)) {
      throw new RangeError(
        `Invalid book depth ${options.bookDepth}: expected one of ${BOOK_DEPTHS.join(", ")}`,
      );
    }
    this.options = options;
    this.normalizer = options.normalizer ?? new KrakenSymbols();
    this.#logger = options.logger?.child({ component: KRAKEN_VENUE });
    this.#handler = new KrakenHandler({
      sink: options.sink,
      normalizer: this.normalizer,
      logger: this.#logger,
      bookDepth: options.bookDepth ?? 10,
      wants: (symbol, feed) => this.#requested.get(symbol)?.has(feed) ?? false,
      pending: this.#pending,
      resubscribeBook: (venueSymbol) => this.#resubscribeBook(venueSymbol),
    });
  }

  /** Opens the connection; resolves once connected and subscribed. */
  connect(): Promise<void> {
    if (this.#ws === undefined) {
      const keepaliveMs = this.options.keepaliveMs ?? 30_000;
      this.#ws = new WsClient({
        venue: KRAKEN_VENUE,
        url: () => this.options.wsUrl,
        onMessage: (text, receivedMs) => this.#handler.handle(text, msToNs(receivedMs)),
        onOpen: (client) => this.#onOpen(client),
        onStatus: (status, error) =>
          this.#logger?.debug("Connection status", { status, error: error?.message }),
        keepalive: keepaliveMs > 0
          ? { intervalMs: keepaliveMs, message: () => pingRequest(this.#nextReqId()) }
          : undefined,
        idleTimeoutMs: this.options.idleTimeoutMs,
        backoff: this.options.backoff,
        logger: this.#logger,
      });
    }
    return this.#ws.connect();
  }

  /** Closes the connection (no reconnect); connect() may be called again afterwards. */
  async disconnect(): Promise<void> {
    const ws = this.#ws;
    this.#ws = undefined;
    await ws?.close();
  }

  /** True while the socket is open. */
  isConnected(): boolean {
    return this.#ws?.status === "connected";
  }

  /** The WsClient's status. */
  connectionStatus(): ConnectionStatus {
    return this.#ws?.status ?? "disconnected";
  }

  /** Subscribes canonical symbols to feeds (default trades); remembered across reconnects. */
  subscribe(symbols: readonly string[], feeds: readonly Feed[] = ["trades"]): Promise<void> {
    return new Promise((resolve) => resolve(this.#subscribe(symbols, feeds)));
  }

  /** Unsubscribes canonical symbols from every feed; unknown ones are ignored. */
  unsubscribe(symbols: readonly string[]): Promise<void> {
    return new Promise((resolve) => resolve(this.#unsubscribe(symbols)));
  }

  #subscribe(symbols: readonly string[], feeds: readonly Feed[]): void {
    if (feeds.length === 0) return;
    for (const feed of feeds) {
      if (!FEEDS.includes(feed)) {
        throw new VenueError("rejected", `unsupported feed ${JSON.stringify(feed)}`, {
          venue: KRAKEN_VENUE,
        });
      }
    }
    const venueOf = new Map(symbols.map((symbol) => [symbol, this.normalizer.toVenue(symbol)]));
    const added = new Map<KrakenChannel, string[]>();
    for (const [symbol, venueSymbol] of venueOf) {
      const wanted = this.#requested.get(symbol) ?? new Set<Feed>();
      this.#requested.set(symbol, wanted);
      for (const feed of feeds) {
        if (wanted.has(feed)) continue;
        wanted.add(feed);
        if (feed === "book") this.#handler.expectBook(symbol);
        const channel = CHANNEL_OF_FEED[feed];
        added.set(channel, [...added.get(channel) ?? [], venueSymbol]);
      }
    }
    if (this.isConnected()) {
      for (const [channel, list] of added) this.#sendSubscribe(channel, list);
    }
  }

  #unsubscribe(symbols: readonly string[]): void {
    const removed = new Map<KrakenChannel, string[]>();
    for (const symbol of symbols) {
      const feeds = this.#requested.get(symbol);
      if (feeds === undefined) continue;
      this.#requested.delete(symbol);
      this.#handler.forget(symbol);
      const venueSymbol = this.normalizer.toVenue(symbol);
      for (const feed of feeds) {
        const channel = CHANNEL_OF_FEED[feed];
        removed.set(channel, [...removed.get(channel) ?? [], venueSymbol]);
      }
    }
    if (this.isConnected()) {
      for (const [channel, list] of removed) this.#send("unsubscribe", channel, list);
    }
  }

  /** Requested feeds, venue-confirmed symbols and refusals. */
  subscriptionStatus(): SubscriptionStatus {
    const requested: Record<string, Feed[]> = {};
    const active: string[] = [];
    for (const [symbol, feeds] of this.#requested) {
      requested[symbol] = [...feeds];
      const confirmed = [...feeds].every((feed) =>
        this.#handler.isConfirmed(symbol, CHANNEL_OF_FEED[feed])
      );
      if (confirmed && feeds.size > 0) active.push(symbol);
    }
    return { requested, active, failed: this.#handler.failures() };
  }

  /** Connection counters and book resyncs. */
  stats(): ProviderStats {
    return {
      reconnections: this.#ws?.reconnections ?? 0,
      messages: this.#ws?.messages ?? 0,
      lastMessageMs: this.#ws?.lastMessageMs,
      bookResyncs: this.#handler.bookResyncs,
    };
  }

  /** The engine status of the last `status` message (`online`, `maintenance`, ...). */
  get systemStatus(): string | undefined {
    return this.#handler.systemStatus;
  }

  /** Lists the venue's pairs through REST AssetPairs and teaches the normalizer their scales. */
  async discoverSymbols(): Promise<DiscoveredSymbol[]> {
    const symbols = await fetchAssetPairs({
      restUrl: this.options.restUrl,
      backoff: this.options.backoff,
    });
    this.normalizer.learn(symbols);
    return symbols;
  }

  #nextReqId(): number {
    this.#reqId = (this.#reqId + 1) % 1_000_000_000;
    return this.#reqId;
  }

  #onOpen(client: WsClient): void {
    this.#pending.clear();
    this.#handler.reset();
    const byChannel = new Map<KrakenChannel, string[]>();
    for (const [symbol, feeds] of this.#requested) {
      const venueSymbol = this.normalizer.toVenue(symbol);
      for (const feed of feeds) {
        const channel = CHANNEL_OF_FEED[feed];
        byChannel.set(channel, [...byChannel.get(channel) ?? [], venueSymbol]);
      }
    }
    for (const [channel, list] of byChannel) this.#sendSubscribe(channel, list, client);
  }

  #sendSubscribe(channel: KrakenChannel, symbols: string[], client = this.#ws): void {
    this.#send("subscribe", channel, symbols, client);
  }

  #send(
    method: "subscribe" | "unsubscribe",
    channel: KrakenChannel,
    symbols: string[],
    client = this.#ws,
  ): void {
    if (symbols.length === 0 || client === undefined) return;
    const reqId = this.#nextReqId();
    this.#pending.set(reqId, { method, channel, symbols, acks: 0 });
    if (this.#pending.size > 10_000) this.#pending.delete(this.#pending.keys().next().value!);
    const text = method === "unsubscribe"
      ? unsubscribeRequest(channel, symbols, reqId)
      : subscribeRequest(channel, symbols, {
        reqId,
        snapshot: channel === "book"
          ? true
          : channel === "trade"
          ? this.options.tradeSnapshot ?? false
          : this.options.tickerSnapshot ?? true,
        depth: channel === "book" ? this.options.bookDepth ?? 10 : undefined,
        eventTrigger: channel === "ticker" ? "bbo" : undefined,
      });
    client.send(text);
  }

  /** After a checksum mismatch: drop the venue's book subscription and take a fresh snapshot. */
  #resubscribeBook(venueSymbol: string): void {
    this.#send("unsubscribe", "book", [venueSymbol]);
    this.#sendSubscribe("book", [venueSymbol]);
  }
}
