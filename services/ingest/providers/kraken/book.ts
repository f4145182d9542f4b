/**
 * One symbol's level-2 book as Kraken WS v2 maintains it: a snapshot replaces it; an update applies
 * every level in message order (`qty` 0 deletes, a price may repeat), then each side is cut to the
 * subscribed depth (Kraken sends no delete for levels that fall out of range). Levels keep the
 * venue's exact text for the checksum.
 * @module
 */
import type { BookLevel } from "../events.ts";
import { bookChecksum, type ChecksumLevel } from "./checksum.ts";

/** A parsed wire level: exact price (1e-9), the price's source text, exact quantity text. */
export interface L2Level extends ChecksumLevel {
  price: bigint;
}

/** Depths Kraken accepts for the book channel. */
export const BOOK_DEPTHS = [10, 25, 100, 500, 1000] as const;
/** A depth Kraken accepts. */
export type BookDepth = (typeof BOOK_DEPTHS)[number];

/** True for a quantity text that is zero (`0`, `0.00000000`). */
export function isZeroQty(qty: string): boolean {
  return /^[0.]+$/.test(qty);
}

/** A Kraken L2 book for one symbol. */
export class L2Book {
  readonly depth: number;
  /** Best first: descending prices. */
  readonly bids: L2Level[] = [];
  /** Best first: ascending prices. */
  readonly asks: L2Level[] = [];

  /** An empty book that keeps `depth` levels a side. */
  constructor(depth: number) {
    this.depth = depth;
  }

  /** Replaces the book with a snapshot's levels (zero quantities ignored). */
  applySnapshot(bids: readonly L2Level[], asks: readonly L2Level[]): void {
    this.bids.length = 0;
    this.asks.length = 0;
    this.applyUpdate(bids, asks);
  }

  /** Applies an update's levels in order, then truncates both sides to the depth. */
  applyUpdate(bids: readonly L2Level[], asks: readonly L2Level[]): void {
    for (const level of bids) upsert(this.bids, level, true);
    for (const level of asks) upsert(this.asks, level, false);
    if (this.bids.length > this.depth) this.bids.length = this.depth;
    if (this.asks.length > this.depth) this.asks.length = this.depth;
  }

  /** Kraken's CRC32 of the top 10 asks and bids. */
  checksum(): number {
    return bookChecksum(this.asks, this.bids);
  }

  /** The best `count` levels of each side, best first, as events carry them. */
  top(count: number): { bids: BookLevel[]; asks: BookLevel[] } {
    const view = (side: L2Level[]) =>
      side.slice(0, count).map(({ price, qty }) => ({ price, quantity: qty }));
    return { bids: view(this.bids), asks: view(this.asks) };
  }
}

/** Sets, inserts or (qty 0) deletes `level` on a best-first side. */
function upsert(side: L2Level[], level: L2Level, descending: boolean): void {
  let lo = 0;
  let hi = side.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const price = side[mid]!.price;
    if (descending ? price > level.price : price < level.price) lo = mid + 1;
    else hi = mid;
  }
  const found = lo < side.length && side[lo]!.price === level.price;
  if (isZeroQty(level.qty)) {
    if (found) side.splice(lo, 1);
  } else if (found) {
    side[lo] = level;
  } else {
    side.splice(lo, 0, level);
  }
}
