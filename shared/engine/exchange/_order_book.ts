/** The open orders of one symbol: market orders waiting for a tick, resting limits and their band. */
import { MAX_I64 } from "./fixed.ts";
import type { Order } from "./order_types.ts";

/** The open limits of a symbol that a tick must cross to fill one. */
export interface LimitBand {
  /** Highest open buy limit (a price at or below it fills); -1n when none. */
  readonly buyAtOrBelow: bigint;
  /** Lowest open sell limit (a price at or above it fills); MAX_I64 when none. */
  readonly sellAtOrAbove: bigint;
}

/** The band of a symbol with no open limit order. */
export const NO_BAND: LimitBand = Object.freeze({ buyAtOrBelow: -1n, sellAtOrAbove: MAX_I64 });

/** An order the exchange may change (the public {@linkcode Order} is a frozen snapshot). */
export type OrderRecord = { -readonly [K in keyof Order]: Order[K] };

/** Open orders of one symbol, each list in id order. */
export class OrderBook {
  #market: OrderRecord[] = [];
  #limits: OrderRecord[] = [];
  #band: LimitBand | undefined = NO_BAND;

  /** Whether market orders wait for a tick. */
  get hasMarket(): boolean {
    return this.#market.length > 0;
  }

  /** Adds an open order (ids grow, so appending keeps id order). */
  add(record: OrderRecord): void {
    if (record.type === "market") {
      this.#market.push(record);
    } else {
      this.#limits.push(record);
      this.#band = undefined;
    }
  }

  /** Removes an open order (a cancel). */
  remove(record: OrderRecord): void {
    if (record.type === "market") {
      this.#market = this.#market.filter((o) => o !== record);
    } else {
      this.#limits = this.#limits.filter((o) => o !== record);
      this.#band = undefined;
    }
  }

  /** Removes and returns every market order, in id order. */
  takeMarket(): OrderRecord[] {
    const taken = this.#market;
    this.#market = [];
    return taken;
  }

  /** Removes and returns the limit orders `price` crosses, in id order. */
  takeCrossed(price: bigint): OrderRecord[] {
    const band = this.band();
    if (price > band.buyAtOrBelow && price < band.sellAtOrAbove) return [];
    const crossed: OrderRecord[] = [];
    const resting: OrderRecord[] = [];
    for (const record of this.#limits) {
      const limit = record.limitPrice!;
      const hit = record.side === "BUY" ? price <= limit : price >= limit;
      (hit ? crossed : resting).push(record);
    }
    this.#limits = resting;
    this.#band = undefined;
    return crossed;
  }

  /** The highest open buy limit and the lowest open sell limit. */
  band(): LimitBand {
    if (this.#band === undefined) {
      let buyAtOrBelow = -1n;
      let sellAtOrAbove = MAX_I64;
      for (const record of this.#limits) {
        const limit = record.limitPrice!;
        if (record.side === "BUY") {
          if (limit > buyAtOrBelow) buyAtOrBelow = limit;
        } else if (limit < sellAtOrAbove) sellAtOrAbove = limit;
      }
      this.#band = Object.freeze({ buyAtOrBelow, sellAtOrAbove });
    }
    return this.#band;
  }
}
