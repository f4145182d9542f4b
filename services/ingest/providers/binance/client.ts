/**
 * The Binance Spot live provider: trades (`<sym>@trade`) and best bid/offer (`<sym>@bookTicker`)
 * over one combined-stream connection whose URL carries every remembered stream, so a reconnect
 * resubscribes by URL; changes while connected go out as SUBSCRIBE/UNSUBSCRIBE control messages,
 * at most 5 per second. Server pings are answered by Deno's WebSocket itself; the 24-hour limit is
 * met by reconnecting after `maxLifetimeMs`; a `serverShutdown` notice reconnects at once.
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
import { ControlQueue } from "./control.ts";
import { type DiscoveryRetryOptions, fetchExchangeInfo, parseExchangeInfo } from "./discovery.ts";
import type { BinanceControlRequest } from "./messages.ts";
import { binanceQuoteEvent, binanceTradeEvent, parseBinanceFrame } from "./parse.ts";
import { BINANCE_EXCHANGE, BINANCE_VENUE, BinanceSymbols } from "./symbols.ts";

/** Options of {@linkcode BinanceProvider}. */
export interface BinanceProviderOptions {
  /** Stream base URL (`wss://stream.binance.com:9443`; a trailing `/ws` or `/stream` is ignored). */
  wsUrl: string;
  /** REST base URL (`https://api.binance.com`). */
  restUrl: string;
  sink: StreamSink;
  logger?: Logger;
  /** Connect to `/ws` (raw payloads) and SUBSCRIBE on open, instead of `/stream?streams=`. */
  useRaw?: boolean;
  /** Reconnect backoff of the WsClient. */
  backoff?: BackoffOptions;
  /** Reconnect when no frame arrives for this long (default 90 000 ms; 0 disables). */
  idleTimeoutMs?: number;
  /** LIST_SUBSCRIPTIONS as an application keepalive, ms (default 30 000; 0 disables). */
  keepaliveMs?: number;
  /** Reconnect before Binance's 24-hour cut (default 23 h 50 min). */
  maxLifetimeMs?: number;
  /** Control messages per second (default 5, Binance's limit). */
  controlMessagesPerSecond?: number;
  /** Retry knobs of discovery requests. */
  discoveryRetry?: DiscoveryRetryOptions;
}

const FEED_SUFFIX: Partial<Record<Feed, string>> = { trades: "trade", bbo: "bookTicker" };
const MAX_STREAMS = 1024;
const MAX_PARAMS = 200;
const DEFAULT_LIFETIME_MS = (23 * 60 + 50) * 60_000;

interface PendingRequest {
  method: BinanceControlRequest["method"];
  streams: string[];
}

/** Binance Spot market data over WebSocket. */
export class BinanceProvider implements LiveStreamProvider {
  readonly info: ProviderInfo = {
    name: BINANCE_VENUE,
    exchange: BINANCE_EXCHANGE,
    feeds: ["trades", "bbo"],
    live: true,
    historical: false,
  };
  readonly normalizer = new BinanceSymbols();
  readonly #options: BinanceProviderOptions;
  readonly #client: WsClient;
  readonly #queue: ControlQueue;
  /** Canonical symbol -> requested feeds. */
  readonly #requested = new Map<string, Set<Feed>>();
  /** Upper-case venue symbol -> canonical. */
  readonly #byVenue = new Map<string, string>();
  readonly #failed = new Map<string, string>();
  readonly #confirmed = new Set<string>();
  readonly #pending = new Map<number, PendingRequest>();
  #urlStreams = new Set<string>();
  #listed: Set<string> | undefined;
  #nextId = 1;
  #keepalive: ReturnType<typeof setInterval> | undefined;

  constructor(options: BinanceProviderOptions) {
    this.#options = options;
    this.#client = new WsClient({
      venue: BINANCE_VENUE,
      url: () => this.#url(),
      onOpen: () => this.#onOpen(),
      onMessage: (text, receivedMs) => {
        try {
          this.#onMessage(text, receivedMs);
        } catch (error) {
          // Only the sink can throw here; the socket must survive it.
          options.logger?.error("Binance sink failed", { error: (error as Error).message });
        }
      },
      idleTimeoutMs: options.idleTimeoutMs ?? 90_000,
      maxLifetimeMs: options.maxLifetimeMs ?? DEFAULT_LIFETIME_MS,
      backoff: options.backoff,
      logger: options.logger,
    });
    this.#queue = new ControlQueue({
      send: (text) => this.#client.send(text),
      limit: options.controlMessagesPerSecond ?? 5,
    });
  }

  /** Opens the connection; resolves once connected. */
  async connect(): Promise<void> {
    const every = this.#options.keepaliveMs ?? 30_000;
    if (every > 0 && this.#keepalive === undefined) {
      this.#keepalive = setInterval(() => {
        if (this.isConnected()) this.#control("LIST_SUBSCRIPTIONS", []);
      }, every);
    }
    await this.#client.connect();
  }

  /** Closes the connection and stops reconnecting. */
  async disconnect(): Promise<void> {
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    this.#queue.close();
    await this.#client.close();
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
      this.#subscribe(symbols, feeds);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #subscribe(symbols: readonly string[], feeds: readonly Feed[]): void {
    for (const feed of feeds) {
      if (FEED_SUFFIX[feed] === undefined) {
        throw new VenueError("rejected", `feed "${feed}" is not supported (trades, bbo)`, {
          venue: BINANCE_VENUE,
        });
      }
    }
    const venueSymbols = symbols.map((symbol) => this.normalizer.toVenue(symbol));
    if (this.#listed !== undefined) {
      const line = unknownSymbolsLine(BINANCE_VENUE, venueSymbols, [...this.#listed]);
      if (line !== undefined) {
        throw new VenueError("unknown_symbol", line, { venue: BINANCE_VENUE });
      }
    }
    const current = new Set(this.#allStreams());
    const added = [...new Set(symbols.flatMap((s) => feeds.map((f) => this.#stream(s, f))))]
      .filter((stream) => !current.has(stream));
    if (current.size + added.length > MAX_STREAMS) {
      throw new VenueError("rejected", `more than ${MAX_STREAMS} streams on one connection`, {
        venue: BINANCE_VENUE,
      });
    }
    symbols.forEach((symbol, i) => {
      const wanted = this.#requested.get(symbol) ?? new Set<Feed>();
      for (const feed of feeds) wanted.add(feed);
      this.#requested.set(symbol, wanted);
      this.#byVenue.set(venueSymbols[i]!, symbol);
      this.#failed.delete(symbol);
    });
    if (this.isConnected()) this.#control("SUBSCRIBE", added);
  }

  /** Forgets canonical symbols and unsubscribes their streams. */
  unsubscribe(symbols: readonly string[]): Promise<void> {
    const removed: string[] = [];
    for (const symbol of symbols) {
      const feeds = this.#requested.get(symbol);
      if (feeds === undefined) continue;
      for (const feed of feeds) removed.push(this.#stream(symbol, feed));
      this.#requested.delete(symbol);
      this.#byVenue.delete(this.normalizer.toVenue(symbol));
    }
    if (this.isConnected()) this.#control("UNSUBSCRIBE", removed);
    return Promise.resolve();
  }

  /** Requested, venue-confirmed and refused symbols. */
  subscriptionStatus(): SubscriptionStatus {
    const requested: Record<string, Feed[]> = {};
    const active: string[] = [];
    for (const [symbol, feeds] of this.#requested) {
      requested[symbol] = [...feeds];
      if ([...feeds].every((feed) => this.#confirmed.has(this.#stream(symbol, feed)))) {
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

  /**
   * The TRADING symbols Binance lists (all, or just `venueSymbols`); later subscribes refuse
   * symbols this listing lacks, and registration uses the discovered lot steps.
   */
  async discoverSymbols(venueSymbols?: readonly string[]): Promise<DiscoveredSymbol[]> {
    const json = await fetchExchangeInfo(this.#options.restUrl, {
      symbols: venueSymbols,
      retry: this.#options.discoveryRetry,
    });
    const found = parseExchangeInfo(json, this.normalizer);
    if (venueSymbols === undefined) this.#listed = new Set(found.map((s) => s.venueSymbol));
    return found;
  }

  #stream(symbol: string, feed: Feed): string {
    return `${this.normalizer.streamSymbol(symbol)}@${FEED_SUFFIX[feed]}`;
  }

  #allStreams(): string[] {
    return [...this.#requested].flatMap(([symbol, feeds]) =>
      [...feeds].map((feed) => this.#stream(symbol, feed))
    );
  }

  #url(): string {
    const base = this.#options.wsUrl.replace(/\/+$/, "").replace(/\/(ws|stream)$/, "");
    if (this.#options.useRaw) {
      this.#urlStreams = new Set();
      return `${base}/ws`;
    }
    const streams = this.#allStreams();
    this.#urlStreams = new Set(streams);
    return streams.length === 0 ? `${base}/stream` : `${base}/stream?streams=${streams.join("/")}`;
  }

  /** After every (re)connect: the URL carried the streams; send what changed since it was built. */
  #onOpen(): void {
    this.#queue.clear();
    this.#pending.clear();
    this.#confirmed.clear();
    const wanted = new Set(this.#allStreams());
    for (const stream of this.#urlStreams) if (wanted.has(stream)) this.#confirmed.add(stream);
    this.#control("SUBSCRIBE", [...wanted].filter((s) => !this.#urlStreams.has(s)));
    this.#control("UNSUBSCRIBE", [...this.#urlStreams].filter((s) => !wanted.has(s)));
  }

  #control(method: BinanceControlRequest["method"], streams: string[]): void {
    const chunks: string[][] = method === "LIST_SUBSCRIPTIONS" ? [[]] : [];
    for (let i = 0; i < streams.length; i += MAX_PARAMS) {
      chunks.push(streams.slice(i, i + MAX_PARAMS));
    }
    for (const params of chunks) {
      const id = this.#nextId++;
      this.#pending.set(id, { method, streams: params });
      const request = method === "LIST_SUBSCRIPTIONS" ? { method, id } : { method, params, id };
      this.#queue.enqueue(JSON.stringify(request));
    }
  }

  #onMessage(text: string, receivedMs: number): void {
    const frame = parseBinanceFrame(text);
    switch (frame.type) {
      case "drop":
        return this.#drop(frame.reason, frame.detail);
      case "result":
        return this.#onResult(frame.id);
      case "error":
        return this.#onError(frame.id, frame.code, frame.msg);
      case "serverShutdown":
        this.#options.logger?.info("Binance server shutdown notice", { eventMs: frame.eventMs });
        return this.#client.reconnect("server shutdown notice");
    }
    const raw = frame.type === "trade" ? frame.trade : frame.ticker;
    const symbol = this.#byVenue.get(raw.s);
    if (symbol === undefined) return this.#drop("unknown_symbol", { s: raw.s });
    const feed: Feed = frame.type === "trade" ? "trades" : "bbo";
    if (!this.#requested.get(symbol)?.has(feed)) {
      return this.#drop("unexpected_message", { s: raw.s, feed });
    }
    let event;
    try {
      const tsRecv = msToNs(receivedMs);
      event = frame.type === "trade"
        ? binanceTradeEvent(frame.trade, symbol, tsRecv)
        : binanceQuoteEvent(frame.ticker, symbol, tsRecv);
    } catch (error) {
      const id = frame.type === "trade" ? { t: frame.trade.t } : { u: frame.ticker.u };
      return this.#drop("bad_value", { s: raw.s, ...id, error: (error as Error).message });
    }
    this.#options.sink.onEvent(event);
  }

  #onResult(id: unknown): void {
    const request = typeof id === "number" ? this.#pending.get(id) : undefined;
    if (request === undefined) return;
    this.#pending.delete(id as number);
    const wanted = new Set(this.#allStreams());
    for (const stream of request.streams) {
      if (request.method === "SUBSCRIBE" && wanted.has(stream)) this.#confirmed.add(stream);
      if (request.method === "UNSUBSCRIBE") this.#confirmed.delete(stream);
    }
  }

  /** A refused request: its streams are forgotten (so reconnect URLs leave them out). */
  #onError(id: unknown, code: unknown, msg: string): void {
    const request = typeof id === "number" ? this.#pending.get(id) : undefined;
    if (typeof id === "number") this.#pending.delete(id);
    this.#drop("venue_error", { code, msg, id: id ?? null, method: request?.method ?? null });
    if (request?.method !== "SUBSCRIBE") return;
    for (const stream of request.streams) {
      const [venueSymbol = "", suffix] = stream.split("@");
      const symbol = this.#byVenue.get(venueSymbol.toUpperCase());
      const feeds = symbol === undefined ? undefined : this.#requested.get(symbol);
      if (symbol === undefined || feeds === undefined) continue;
      for (const feed of feeds) if (FEED_SUFFIX[feed] === suffix) feeds.delete(feed);
      this.#failed.set(symbol, `code ${code}: ${msg}`);
      if (feeds.size === 0) {
        this.#requested.delete(symbol);
        this.#byVenue.delete(venueSymbol.toUpperCase());
      }
    }
  }

  #drop(reason: DropReason, detail: Record<string, unknown>): void {
    this.#options.sink.onDrop(reason, { venue: BINANCE_VENUE, ...detail });
  }
}
