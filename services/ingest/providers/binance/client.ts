/**
 * The Binance Spot live provider: trades (`<sym>@trade`) and best bid/offer (`<sym>@bookTicker`)
 * over one combined-stream connection whose URL carries every remembered stream, so a reconnect
 * resubscribes by URL; changes while connected go out as SUBSCRIBE/UNSUBSCRIBE control messages,
 * at most 5 per second. Server pings are answered by Deno's WebSocket itself; the 24-hour limit is
 * met by reconnecting after `maxLifetimeMs`; a `serverShutdown` notice reconnects at once.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import { type BackoffOptions, msToNs, VenueError } from "@shared/venue/mod.ts";
import type { Feed, StreamSink } from "../events.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { type FeedKey, WsVenueProvider } from "../_ws_venue_provider.ts";
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
export class BinanceProvider extends WsVenueProvider<BinanceSymbols> {
  readonly #options: BinanceProviderOptions;
  readonly #queue: ControlQueue;
  readonly #confirmed = new Set<string>();
  readonly #pending = new Map<number, PendingRequest>();
  #urlStreams = new Set<string>();
  #nextId = 1;
  #keepalive: ReturnType<typeof setInterval> | undefined;

  constructor(options: BinanceProviderOptions) {
    super({
      venue: BINANCE_VENUE,
      exchange: BINANCE_EXCHANGE,
      label: "Binance",
      normalizer: new BinanceSymbols(),
      venueFeeds: FEED_SUFFIX,
      sink: options.sink,
      logger: options.logger,
      client: {
        idleTimeoutMs: options.idleTimeoutMs ?? 90_000,
        maxLifetimeMs: options.maxLifetimeMs ?? DEFAULT_LIFETIME_MS,
        backoff: options.backoff,
      },
    });
    this.#options = options;
    this.#queue = new ControlQueue({
      send: (text) => this.client.send(text),
      limit: options.controlMessagesPerSecond ?? 5,
    });
  }

  /** Opens the connection; resolves once connected. */
  override async connect(): Promise<void> {
    const every = this.#options.keepaliveMs ?? 30_000;
    if (every > 0 && this.#keepalive === undefined) {
      this.#keepalive = setInterval(() => {
        if (this.isConnected()) this.#control("LIST_SUBSCRIPTIONS", []);
      }, every);
    }
    await super.connect();
  }

  /** Closes the connection and stops reconnecting. */
  override async disconnect(): Promise<void> {
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    this.#queue.close();
    await super.disconnect();
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
    if (venueSymbols === undefined) this.setListed(found);
    return found;
  }

  /** The streams of the URL: all of them on `/stream`, none on `/ws`. */
  protected url(): string {
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
  protected onOpen(): void {
    this.#queue.clear();
    this.#pending.clear();
    this.#confirmed.clear();
    const wanted = new Set(this.#allStreams());
    for (const stream of this.#urlStreams) if (wanted.has(stream)) this.#confirmed.add(stream);
    this.#control("SUBSCRIBE", [...wanted].filter((s) => !this.#urlStreams.has(s)));
    this.#control("UNSUBSCRIBE", [...this.#urlStreams].filter((s) => !wanted.has(s)));
  }

  /** True once a SUBSCRIBE (or the URL) carried the feed's stream. */
  protected isConfirmed(key: FeedKey): boolean {
    return this.#confirmed.has(stream(key));
  }

  /** At most 1024 streams on one connection. */
  protected override checkSubscribe(added: readonly FeedKey[]): void {
    if (this.requestedKeys().length + added.length > MAX_STREAMS) {
      throw new VenueError("rejected", `more than ${MAX_STREAMS} streams on one connection`, {
        venue: BINANCE_VENUE,
      });
    }
  }

  /** SUBSCRIBE or UNSUBSCRIBE the feeds' streams. */
  protected sendChange(action: "subscribe" | "unsubscribe", keys: FeedKey[]): void {
    this.#control(action === "subscribe" ? "SUBSCRIBE" : "UNSUBSCRIBE", keys.map(stream));
  }

  #allStreams(): string[] {
    return this.requestedKeys().map(stream);
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

  /** A combined or raw frame: events, control replies and shutdown notices. */
  protected onFrame(text: string, receivedMs: number): void {
    const frame = parseBinanceFrame(text);
    switch (frame.type) {
      case "drop":
        return this.drop(frame.reason, frame.detail);
      case "result":
        return this.#onResult(frame.id);
      case "error":
        return this.#onError(frame.id, frame.code, frame.msg);
      case "serverShutdown":
        this.#options.logger?.info("Binance server shutdown notice", { eventMs: frame.eventMs });
        return this.client.reconnect("server shutdown notice");
    }
    const raw = frame.type === "trade" ? frame.trade : frame.ticker;
    const feed: Feed = frame.type === "trade" ? "trades" : "bbo";
    const symbol = this.symbolFor(raw.s, feed, { s: raw.s });
    if (symbol === undefined) return;
    const id = frame.type === "trade" ? { t: frame.trade.t } : { u: frame.ticker.u };
    this.emit(() => {
      const tsRecv = msToNs(receivedMs);
      return frame.type === "trade"
        ? binanceTradeEvent(frame.trade, symbol, tsRecv)
        : binanceQuoteEvent(frame.ticker, symbol, tsRecv);
    }, { s: raw.s, ...id });
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
    this.drop("venue_error", { code, msg, id: id ?? null, method: request?.method ?? null });
    if (request?.method !== "SUBSCRIBE") return;
    for (const stream of request.streams) {
      const [venueSymbol = "", suffix] = stream.split("@");
      this.refuse(venueSymbol.toUpperCase(), this.feedOf(suffix), `code ${code}: ${msg}`);
    }
  }
}

/** The stream name of a feed (`btcusdt@trade`). */
function stream(key: FeedKey): string {
  return `${key.venueSymbol.toLowerCase()}@${FEED_SUFFIX[key.feed]}`;
}
