/**
 * What the Binance and Kraken Futures live providers share beyond their wire formats: the
 * WsClient's lifecycle and counters, which feeds each canonical symbol wants (remembered across
 * reconnects) and the venue symbol it maps to, refused subscriptions, the discovered listing
 * later subscribes are checked against, and the drops of frames nobody asked for. Subclasses
 * speak the venue: its URL, what to send on open and on a change, its acks and its frames.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import {
  type ConnectionStatus,
  type SymbolNormalizer,
  unknownSymbolsLine,
  VenueError,
  WsClient,
  type WsClientOptions,
} from "@shared/venue/mod.ts";
import type { DropReason, Feed, MarketEvent, StreamSink } from "./events.ts";
import type {
  DiscoveredSymbol,
  LiveStreamProvider,
  ProviderInfo,
  ProviderStats,
  SubscriptionStatus,
} from "./types.ts";

/** One feed of one requested symbol. */
export interface FeedKey {
  /** Canonical (`BTCUSD`). */
  symbol: string;
  /** The normalizer's venue form (`BTCUSDT`, `PI_XBTUSD`). */
  venueSymbol: string;
  feed: Feed;
}

/** What a {@linkcode WsVenueProvider} is built with. */
export interface WsVenueConfig<N extends SymbolNormalizer> {
  /** The venue's name in errors, drops and logs (`binance`). */
  venue: string;
  /** Exchange stored with its ticks (`BINANCE`). */
  exchange: string;
  /** The venue in log lines (`Binance`). */
  label: string;
  normalizer: N;
  /** Each supported feed with the venue's name for it (`{ trades: "trade", bbo: "ticker" }`). */
  venueFeeds: Readonly<Partial<Record<Feed, string>>>;
  sink: StreamSink;
  logger?: Logger;
  /** WsClient knobs besides the URL, handlers and logger. */
  client: Pick<WsClientOptions, "keepalive" | "idleTimeoutMs" | "maxLifetimeMs" | "backoff">;
}

/** A LiveStreamProvider over one reconnecting WebSocket; subclasses add the wire format. */
export abstract class WsVenueProvider<N extends SymbolNormalizer> implements LiveStreamProvider {
  /** What this provider is. */
  readonly info: ProviderInfo;
  /** Canonical <-> venue symbols. */
  readonly normalizer: N;
  /** The connection. */
  protected readonly client: WsClient;
  /** Where events and drops go. */
  protected readonly sink: StreamSink;
  readonly #config: WsVenueConfig<N>;
  /** Canonical symbol -> requested feeds. */
  readonly #requested = new Map<string, Set<Feed>>();
  /** Venue symbol -> canonical. */
  readonly #byVenue = new Map<string, string>();
  readonly #failed = new Map<string, string>();
  #listed: Set<string> | undefined;

  /** Builds the WsClient; nothing opens until {@linkcode connect}. */
  constructor(config: WsVenueConfig<N>) {
    this.#config = config;
    this.normalizer = config.normalizer;
    this.sink = config.sink;
    this.info = {
      name: config.venue,
      exchange: config.exchange,
      feeds: Object.keys(config.venueFeeds) as Feed[],
      live: true,
      historical: false,
    };
    this.client = new WsClient({
      ...config.client,
      venue: config.venue,
      url: () => this.url(),
      onOpen: (client) => this.onOpen(client),
      onMessage: (text, receivedMs) => {
        try {
          this.onFrame(text, receivedMs);
        } catch (error) {
          // Only the sink can throw here; the socket must survive it.
          config.logger?.error(`${config.label} sink failed`, { error: (error as Error).message });
        }
      },
      logger: config.logger,
    });
  }

  /** Opens the connection; resolves once connected and subscribed. */
  connect(): Promise<void> {
    return this.client.connect();
  }

  /** Closes the connection and stops reconnecting. */
  disconnect(): Promise<void> {
    return this.client.close();
  }

  /** True while the connection is open. */
  isConnected(): boolean {
    return this.client.status === "connected";
  }

  /** The WsClient's status. */
  connectionStatus(): ConnectionStatus {
    return this.client.status;
  }

  /** Subscribes canonical symbols to `trades` and/or `bbo`; remembered across reconnects. */
  subscribe(symbols: readonly string[], feeds: readonly Feed[] = ["trades"]): Promise<void> {
    try {
      this.#subscribe(symbols, feeds);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Forgets canonical symbols and unsubscribes their feeds. */
  unsubscribe(symbols: readonly string[]): Promise<void> {
    const removed: FeedKey[] = [];
    for (const symbol of symbols) {
      const feeds = this.#requested.get(symbol);
      if (feeds === undefined) continue;
      const venueSymbol = this.normalizer.toVenue(symbol);
      for (const feed of feeds) removed.push({ symbol, venueSymbol, feed });
      this.#requested.delete(symbol);
      this.#byVenue.delete(venueSymbol);
    }
    if (this.isConnected()) this.sendChange("unsubscribe", removed);
    return Promise.resolve();
  }

  /** Requested, venue-confirmed and refused symbols. */
  subscriptionStatus(): SubscriptionStatus {
    const requested: Record<string, Feed[]> = {};
    const active: string[] = [];
    for (const [symbol, feeds] of this.#requested) {
      requested[symbol] = [...feeds];
      const venueSymbol = this.normalizer.toVenue(symbol);
      if ([...feeds].every((feed) => this.isConfirmed({ symbol, venueSymbol, feed }))) {
        active.push(symbol);
      }
    }
    return { requested, active, failed: Object.fromEntries(this.#failed) };
  }

  /** Connection counters. */
  stats(): ProviderStats {
    const client = this.client;
    return {
      reconnections: client.reconnections,
      messages: client.messages,
      lastMessageMs: client.lastMessageMs,
      bookResyncs: 0,
    };
  }

  /** The symbols the venue lists. */
  abstract discoverSymbols(): Promise<DiscoveredSymbol[]>;

  /** The URL to open, asked before every connect. */
  protected abstract url(): string;

  /** After every (re)connect: send what the venue needs to stream every requested feed. */
  protected abstract onOpen(client: WsClient): void;

  /** One text frame from the venue, with its receive time (ms since the epoch). */
  protected abstract onFrame(text: string, receivedMs: number): void;

  /** True when the venue confirmed this feed of this symbol on the current connection. */
  protected abstract isConfirmed(key: FeedKey): boolean;

  /** Tells the open connection about feeds added or removed (`keys` may be empty). */
  protected abstract sendChange(action: "subscribe" | "unsubscribe", keys: FeedKey[]): void;

  /** Throws to refuse a subscribe before anything is remembered (`added`: the new feeds). */
  protected checkSubscribe(_added: readonly FeedKey[]): void {}

  /** Every requested feed of every symbol, in request order. */
  protected requestedKeys(): FeedKey[] {
    return [...this.#requested].flatMap(([symbol, feeds]) => {
      const venueSymbol = this.normalizer.toVenue(symbol);
      return [...feeds].map((feed) => ({ symbol, venueSymbol, feed }));
    });
  }

  /** The supported feed the venue calls `venueFeed`, if any. */
  protected feedOf(venueFeed: string | undefined): Feed | undefined {
    const entries = Object.entries(this.#config.venueFeeds) as [Feed, string][];
    return entries.find(([, name]) => name === venueFeed)?.[0];
  }

  /** Remembers the discovered listing; later subscribes refuse symbols it lacks. */
  protected setListed(found: readonly DiscoveredSymbol[]): void {
    this.#listed = new Set(found.map((symbol) => symbol.venueSymbol));
  }

  /** The canonical symbol of a subscribed venue symbol and feed; drops and returns undefined else. */
  protected symbolFor(
    venueSymbol: string,
    feed: Feed,
    detail: Record<string, unknown>,
  ): string | undefined {
    const symbol = this.#byVenue.get(venueSymbol);
    if (symbol === undefined) {
      this.drop("unknown_symbol", detail);
      return undefined;
    }
    if (!this.#requested.get(symbol)?.has(feed)) {
      this.drop("unexpected_message", { ...detail, feed });
      return undefined;
    }
    return symbol;
  }

  /** A refused subscription is forgotten (so reconnects do not ask again) and its reason kept. */
  protected refuse(venueSymbol: string, feed: Feed | undefined, reason: string): void {
    const symbol = this.#byVenue.get(venueSymbol);
    const feeds = symbol === undefined ? undefined : this.#requested.get(symbol);
    if (symbol === undefined || feeds === undefined) return;
    if (feed !== undefined) feeds.delete(feed);
    this.#failed.set(symbol, reason);
    if (feeds.size === 0) {
      this.#requested.delete(symbol);
      this.#byVenue.delete(venueSymbol);
    }
  }

  /** Sends `build()`'s event to the sink; a throw while building drops the frame as `bad_value`. */
  protected emit(build: () => MarketEvent, detail: Record<string, unknown>): void {
    let event: MarketEvent;
    try {
      event = build();
    } catch (error) {
      return this.drop("bad_value", { ...detail, error: (error as Error).message });
    }
    this.sink.onEvent(event);
  }

  /** Reports a dropped frame, tagged with the venue. */
  protected drop(reason: DropReason, detail: Record<string, unknown>): void {
    this.sink.onDrop(reason, { venue: this.#config.venue, ...detail });
  }

  #subscribe(symbols: readonly string[], feeds: readonly Feed[]): void {
    const { venue, venueFeeds } = this.#config;
    for (const feed of feeds) {
      if (venueFeeds[feed] === undefined) {
        throw new VenueError(
          "rejected",
          `feed "${feed}" is not supported (${this.info.feeds.join(", ")})`,
          { venue },
        );
      }
    }
    const venueSymbols = symbols.map((symbol) => this.normalizer.toVenue(symbol));
    if (this.#listed !== undefined) {
      const line = unknownSymbolsLine(venue, venueSymbols, [...this.#listed]);
      if (line !== undefined) throw new VenueError("unknown_symbol", line, { venue });
    }
    const added: FeedKey[] = [];
    const seen = new Set<string>();
    symbols.forEach((symbol, i) => {
      for (const feed of feeds) {
        const id = `${feed} ${symbol}`;
        if (this.#requested.get(symbol)?.has(feed) || seen.has(id)) continue;
        seen.add(id);
        added.push({ symbol, venueSymbol: venueSymbols[i]!, feed });
      }
    });
    this.checkSubscribe(added);
    symbols.forEach((symbol, i) => {
      const wanted = this.#requested.get(symbol) ?? new Set<Feed>();
      for (const feed of feeds) wanted.add(feed);
      this.#requested.set(symbol, wanted);
      this.#byVenue.set(venueSymbols[i]!, symbol);
      this.#failed.delete(symbol);
    });
    if (this.isConnected()) this.sendChange("subscribe", added);
  }
}
