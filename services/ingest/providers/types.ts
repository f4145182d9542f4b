/**
 * The provider trait hierarchy (seed 001, "Provider Trait Hierarchy"): DataProvider, then
 * LiveStreamProvider for venues that stream and HistoricalDataProvider for those that serve
 * history (Databento, a later issue). Canonical symbols cross these interfaces; venue symbols
 * stay inside the adapters.
 * @module
 */
import type { ConnectionStatus, SymbolNormalizer } from "@shared/venue/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import type { Feed, StreamSink } from "./events.ts";

/** What a provider is. */
export interface ProviderInfo {
  /** `binance`, `kraken`, `kraken_futures`, `replay`, `synthetic`. */
  name: string;
  /** Exchange stored with its ticks (`BINANCE`, `KRAKEN`, ...). */
  exchange: string;
  /** Feeds it can stream. */
  feeds: readonly Feed[];
  live: boolean;
  historical: boolean;
}

/** A symbol a venue lists, as discovered through its REST API. */
export interface DiscoveredSymbol {
  /** Canonical (`BTCUSD`). */
  symbol: string;
  /** As the venue writes it (`BTCUSDT`, `BTC/USD`, `PI_XBTUSD`). */
  venueSymbol: string;
  base: string;
  quote: string;
  /** The venue's trading status (`TRADING`, `online`, ...). */
  status: string;
  /** Price increment, as the venue writes it. */
  tickSize?: string;
  /** Quantity increment, as the venue writes it. */
  lotStep?: string;
  /** Decimal places of the quantity (from the lot step or the venue's precision). */
  sizeScale?: number;
}

/** The base of every provider (the seed's DataProvider / VenueConnection). */
export interface DataProvider {
  readonly info: ProviderInfo;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  connectionStatus(): ConnectionStatus;
  /** The symbols the venue lists (REST discovery for venues; the file's symbols for replay). */
  discoverSymbols(): Promise<DiscoveredSymbol[]>;
}

/** Per-symbol subscription state. */
export interface SubscriptionStatus {
  /** Canonical symbols asked for, with the feeds asked for each. */
  requested: Record<string, Feed[]>;
  /** Canonical symbols the venue confirmed (all of them for venues without acks). */
  active: string[];
  /** Symbols the venue refused, with its reason. */
  failed: Record<string, string>;
}

/** Counters a live provider keeps for `/metrics` and `/health`. */
export interface ProviderStats {
  /** Reconnects after a drop. */
  reconnections: number;
  /** Frames received. */
  messages: number;
  /** When the last frame arrived (ms since the epoch). */
  lastMessageMs: number | undefined;
  /** Books resubscribed after a checksum mismatch. */
  bookResyncs: number;
}

/** A venue that streams (the seed's LiveStreamProvider). */
export interface LiveStreamProvider extends DataProvider {
  readonly normalizer: SymbolNormalizer;
  /** Subscribes canonical symbols to feeds (default: trades); remembered across reconnects. */
  subscribe(symbols: readonly string[], feeds?: readonly Feed[]): Promise<void>;
  unsubscribe(symbols: readonly string[]): Promise<void>;
  subscriptionStatus(): SubscriptionStatus;
  stats(): ProviderStats;
}

/** History for a symbol range (Databento; a later issue). */
export interface HistoricalDataProvider extends DataProvider {
  fetchRange(request: { symbols: string[]; start: Date; end: Date; schema: string }): AsyncIterable<
    Uint8Array
  >;
}

/** What every live provider is built with. */
export interface LiveProviderOptions {
  sink: StreamSink;
  logger?: Logger;
}
