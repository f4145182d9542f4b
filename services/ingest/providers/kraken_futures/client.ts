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
import { type BackoffOptions, msToNs, type WsClient } from "@shared/venue/mod.ts";
import type { Feed, StreamSink } from "../events.ts";
import type { DiscoveredSymbol } from "../types.ts";
import { type FeedKey, WsVenueProvider } from "../_ws_venue_provider.ts";
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
export class KrakenFuturesProvider extends WsVenueProvider<KrakenFuturesSymbols> {
  readonly #options: KrakenFuturesProviderOptions;
  /** `feed:product` pairs the venue confirmed on this connection. */
  readonly #acked = new Set<string>();

  constructor(options: KrakenFuturesProviderOptions) {
    super({
      venue: KRAKEN_FUTURES_VENUE,
      exchange: KRAKEN_FUTURES_EXCHANGE,
      label: "Kraken Futures",
      normalizer: new KrakenFuturesSymbols(options.contract ?? "PI"),
      venueFeeds: VENUE_FEED,
      sink: options.sink,
      logger: options.logger,
      client: {
        keepalive: heartbeatKeepalive(options.keepaliveMs ?? 30_000),
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        backoff: options.backoff,
      },
    });
    this.#options = options;
  }

  /** The tradeable perpetuals of this contract family; later subscribes refuse unlisted ones. */
  async discoverSymbols(): Promise<DiscoveredSymbol[]> {
    const json = await fetchInstruments(this.#options.restUrl, this.#options.discoveryRetry);
    const found = parseInstruments(json, this.normalizer);
    this.setListed(found);
    return found;
  }

  /** The configured URL, unchanged. */
  protected url(): string {
    return this.#options.wsUrl;
  }

  /** Subscribes the heartbeat, then each feed's products. */
  protected onOpen(client: WsClient): void {
    this.#acked.clear();
    client.send(HEARTBEAT_SUBSCRIBE);
    const keys = this.requestedKeys();
    for (const [feed, venueFeed] of Object.entries(VENUE_FEED) as [Feed, string][]) {
      const ids = keys.filter((key) => key.feed === feed).map((key) => key.venueSymbol);
      if (ids.length > 0) client.send(subscribeText("subscribe", venueFeed, ids));
    }
  }

  /** True once the venue acked the feed for the product. */
  protected isConfirmed(key: FeedKey): boolean {
    return this.#acked.has(`${VENUE_FEED[key.feed]}:${key.venueSymbol}`);
  }

  /** One subscribe or unsubscribe per feed, naming its products. */
  protected sendChange(action: "subscribe" | "unsubscribe", keys: FeedKey[]): void {
    const byFeed = new Map<Feed, string[]>();
    for (const { feed, venueSymbol } of keys) {
      byFeed.set(feed, [...byFeed.get(feed) ?? [], venueSymbol]);
    }
    for (const [feed, ids] of byFeed) {
      this.client.send(subscribeText(action, VENUE_FEED[feed]!, ids));
    }
  }

  /** Events, acks, errors, heartbeats and trade snapshots. */
  protected onFrame(text: string, receivedMs: number): void {
    const frame = parseKrakenFuturesFrame(text);
    switch (frame.type) {
      case "drop":
        return this.drop(frame.reason, frame.detail);
      case "info":
      case "heartbeat":
        return;
      case "ack":
        return this.#onAck(frame);
      case "error":
        return this.drop("venue_error", { event: frame.event, message: frame.message });
      case "trade":
        return this.#onTrade(frame.trade, receivedMs);
      case "trade_snapshot": {
        if (!this.#options.emitSnapshot) return;
        // Newest first on the wire; emitted oldest first.
        for (const trade of [...frame.trades].reverse()) {
          if (isTrade(trade)) this.#onTrade(trade, receivedMs);
          else this.drop("malformed_json", { feed: "trade_snapshot", product_id: frame.productId });
        }
        return;
      }
      case "ticker": {
        const { ticker } = frame;
        const symbol = this.#symbolFor(ticker.product_id, "bbo");
        if (symbol === undefined) return;
        // The sink runs inside this try, so its throw is reported as bad_value (trades log it).
        try {
          this.sink.onEvent(krakenFuturesQuoteEvent(ticker, symbol, msToNs(receivedMs)));
        } catch (error) {
          this.drop("bad_value", {
            product_id: ticker.product_id,
            time: ticker.time,
            error: (error as Error).message,
          });
        }
        return;
      }
    }
  }

  #onTrade(trade: KrakenFuturesTrade, receivedMs: number): void {
    const symbol = this.#symbolFor(trade.product_id, "trades");
    if (symbol === undefined) return;
    this.emit(
      () => krakenFuturesTradeEvent(trade, symbol, msToNs(receivedMs)),
      { product_id: trade.product_id, seq: trade.seq },
    );
  }

  #symbolFor(productId: string, feed: Feed): string | undefined {
    return this.symbolFor(productId.toUpperCase(), feed, { product_id: productId });
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
    this.drop("venue_error", { event, feed, product_ids: productIds, message: frame.message });
    const ourFeed = this.feedOf(feed);
    if (event !== "subscribed_failed" || ourFeed === undefined) return;
    for (const id of productIds) {
      this.refuse(id.toUpperCase(), ourFeed, frame.message ?? `${event} (${feed})`);
    }
  }
}

function heartbeatKeepalive(intervalMs: number) {
  return intervalMs > 0 ? { intervalMs, message: () => HEARTBEAT_SUBSCRIBE } : undefined;
}

function subscribeText(event: string, feed: string, productIds: readonly string[]): string {
  return JSON.stringify({ event, feed, product_ids: productIds });
}
