/**
 * Kraken WS v2 frames for the fake server and tests, written by hand (template strings, not
 * JSON.stringify) so prices and quantities go on the wire as bare numbers with the exact digits
 * given, trailing zeros included (`0.10000000`). Number arguments are decimal strings written
 * verbatim. FakeBook keeps an independent book to compute the checksum updates must carry.
 * @module
 */
import { parsePrice } from "@core/mod.ts";
import { checksumInput, crc32Text } from "./checksum.ts";

/** A trade to write; defaults: side buy, ord_type limit, next trade id, timestamp now. */
export interface FakeTrade {
  symbol: string;
  price: string;
  qty: string;
  side?: "buy" | "sell";
  ordType?: "limit" | "market";
  tradeId?: number | string;
  timestamp?: string;
}

/** A ticker entry to write; `timestamp: null` leaves the field out (older docs). */
export interface FakeTicker {
  symbol: string;
  bid: string;
  bidQty: string;
  ask: string;
  askQty: string;
  last?: string;
  timestamp?: string | null;
}

/** A book level as [price, qty] decimal text. */
export type FakeLevel = readonly [price: string, qty: string];

let nextTradeId = 1;

/** Now as Kraken writes times: RFC 3339 with microseconds. */
export function krakenTime(date = new Date()): string {
  return date.toISOString().replace("Z", "000Z");
}

/** `{"channel":"trade","type":...,"data":[...]}`. */
export function tradeFrame(type: "snapshot" | "update", trades: readonly FakeTrade[]): string {
  const data = trades.map((t) =>
    `{"symbol":${q(t.symbol)},"side":${q(t.side ?? "buy")},"price":${t.price},"qty":${t.qty},` +
    `"ord_type":${q(t.ordType ?? "limit")},"trade_id":${t.tradeId ?? nextTradeId++},` +
    `"timestamp":${q(t.timestamp ?? krakenTime())}}`
  );
  return `{"channel":"trade","type":${q(type)},"data":[${data.join(",")}]}`;
}

/** `{"channel":"ticker","type":...,"data":[...]}` (fixed 24 h statistics). */
export function tickerFrame(type: "snapshot" | "update", tickers: readonly FakeTicker[]): string {
  const data = tickers.map((t) => {
    const time = t.timestamp === null ? "" : `,"timestamp":${q(t.timestamp ?? krakenTime())}`;
    return `{"symbol":${q(t.symbol)},"bid":${t.bid},"bid_qty":${t.bidQty},"ask":${t.ask},` +
      `"ask_qty":${t.askQty},"last":${t.last ?? t.bid},"volume":997038.98383185,` +
      `"vwap":${t.bid},"low":${t.bid},"high":${t.ask},"change":-0.00017,"change_pct":-0.17${time}}`;
  });
  return `{"channel":"ticker","type":${q(type)},"data":[${data.join(",")}]}`;
}

/** Options of the book frame builders. */
export interface BookFrameOptions {
  /** The checksum to send (default: the correct one where the builder can compute it). */
  checksum?: number;
  /** Send the correct checksum plus one (mod 2^32) instead. */
  corruptChecksum?: boolean;
  /** Updates only; default now. */
  timestamp?: string;
}

function levels(list: readonly FakeLevel[]): string {
  return `[${list.map(([price, qty]) => `{"price":${price},"qty":${qty}}`).join(",")}]`;
}

function checksumOf(
  asks: readonly FakeLevel[],
  bids: readonly FakeLevel[],
  options: BookFrameOptions,
): number {
  const view = (side: readonly FakeLevel[]) => side.map(([priceText, qty]) => ({ priceText, qty }));
  const sum = options.checksum ?? crc32Text(checksumInput(view(asks), view(bids)));
  return options.corruptChecksum ? (sum + 1) >>> 0 : sum;
}

/** A book snapshot of best-first bids and asks, with the checksum of their top 10. */
export function bookSnapshotFrame(
  symbol: string,
  book: { bids: readonly FakeLevel[]; asks: readonly FakeLevel[] },
  options: BookFrameOptions = {},
): string {
  const checksum = checksumOf(book.asks, book.bids, options);
  return `{"channel":"book","type":"snapshot","data":[{"symbol":${q(symbol)},` +
    `"bids":${levels(book.bids)},"asks":${levels(book.asks)},"checksum":${checksum}}]}`;
}

/** A book update: changed levels and the checksum of the book after them (caller computes it). */
export function bookUpdateFrame(
  symbol: string,
  changes: { bids?: readonly FakeLevel[]; asks?: readonly FakeLevel[] },
  options: BookFrameOptions & { checksum: number },
): string {
  const checksum = options.corruptChecksum ? (options.checksum + 1) >>> 0 : options.checksum;
  return `{"channel":"book","type":"update","data":[{"symbol":${q(symbol)},` +
    `"bids":${levels(changes.bids ?? [])},"asks":${levels(changes.asks ?? [])},` +
    `"checksum":${checksum},"timestamp":${q(options.timestamp ?? krakenTime())}}]}`;
}

/** T5's documented BTC/USD book (VENUES.md test vector; checksum 3310070434). */
export const T5_BOOK: { bids: FakeLevel[]; asks: FakeLevel[] } = {
  asks: [
    ["45285.2", "0.00100000"],
    ["45286.4", "1.54571953"],
    ["45286.6", "1.54571109"],
    ["45289.6", "1.54560911"],
    ["45290.2", "0.15890660"],
    ["45291.8", "1.54553491"],
    ["45294.7", "0.04454749"],
    ["45296.1", "0.35380000"],
    ["45297.5", "0.09945542"],
    ["45299.5", "0.18772827"],
  ],
  bids: [
    ["45283.5", "0.10000000"],
    ["45283.4", "1.54582015"],
    ["45282.1", "0.10000000"],
    ["45281.0", "0.10000000"],
    ["45280.3", "1.54592586"],
    ["45279.0", "0.07990000"],
    ["45277.6", "0.03310103"],
    ["45277.5", "0.30000000"],
    ["45277.3", "1.54602737"],
    ["45276.6", "0.15445238"],
  ],
};

/** The fake venue's own book for one symbol (kept apart from the provider's L2Book). */
export class FakeBook {
  readonly symbol: string;
  readonly depth: number;
  readonly #bids = new Map<bigint, FakeLevel>();
  readonly #asks = new Map<bigint, FakeLevel>();

  /** A book holding `initial` (default T5's levels), cut to `depth` levels a side. */
  constructor(symbol: string, initial = T5_BOOK, depth = 10) {
    this.symbol = symbol;
    this.depth = depth;
    this.#apply(initial.bids, initial.asks);
  }

  /** Best-first levels. */
  levels(): { bids: FakeLevel[]; asks: FakeLevel[] } {
    const sorted = (side: Map<bigint, FakeLevel>, descending: boolean) =>
      [...side.entries()]
        .sort(([a], [b]) => (a === b ? 0 : (a < b) !== descending ? -1 : 1))
        .map(([, level]) => level);
    return { bids: sorted(this.#bids, true), asks: sorted(this.#asks, false) };
  }

  /** The checksum of the current top 10. */
  checksum(): number {
    const { bids, asks } = this.levels();
    const view = (side: FakeLevel[]) => side.map(([priceText, qty]) => ({ priceText, qty }));
    return crc32Text(checksumInput(view(asks), view(bids)));
  }

  /** A snapshot frame of the current book. */
  snapshotFrame(options: BookFrameOptions = {}): string {
    return bookSnapshotFrame(this.symbol, this.levels(), options);
  }

  /** Applies changes (qty "0" deletes) and returns the update frame with the new checksum. */
  update(
    changes: { bids?: readonly FakeLevel[]; asks?: readonly FakeLevel[] },
    options: Omit<BookFrameOptions, "checksum"> = {},
  ): string {
    this.#apply(changes.bids ?? [], changes.asks ?? []);
    return bookUpdateFrame(this.symbol, changes, { ...options, checksum: this.checksum() });
  }

  #apply(bids: readonly FakeLevel[], asks: readonly FakeLevel[]): void {
    for (const [side, list] of [[this.#bids, bids], [this.#asks, asks]] as const) {
      for (const level of list) {
        const price = parsePrice(level[0]);
        if (/^[0.]+$/.test(level[1])) side.delete(price);
        else side.set(price, level);
      }
    }
    const { bids: b, asks: a } = this.levels();
    for (const [price] of b.slice(this.depth)) this.#bids.delete(parsePrice(price));
    for (const [price] of a.slice(this.depth)) this.#asks.delete(parsePrice(price));
  }
}

function q(text: string): string {
  return JSON.stringify(text);
}
