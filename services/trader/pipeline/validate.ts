/**
 * Tick validation before a live trade reaches the cache and the strategies: positive price and
 * size, a sane timestamp, a known instrument. A rejected tick is counted by reason, never thrown.
 * @module
 */
import type { LiveTrade } from "../ipc/mod.ts";

/** Why a tick was rejected. */
export type RejectReason =
  | "bad_price"
  | "bad_size"
  | "bad_timestamp"
  | "future_timestamp"
  | "unknown_instrument";

/** Every reason, for metrics. */
export const REJECT_REASONS: readonly RejectReason[] = [
  "bad_price",
  "bad_size",
  "bad_timestamp",
  "future_timestamp",
  "unknown_instrument",
];

/** 2000-01-01T00:00:00Z in ns: nothing we trade is older. */
const MIN_TS_NS = 946_684_800_000_000_000n;
/** How far ahead of our clock a venue's timestamp may be (clock skew). */
export const MAX_FUTURE_NS = 60_000_000_000n;

/** Checks ticks against the subscribed symbols and the instrument each channel carries. */
export class TickValidator {
  readonly #symbols: ReadonlySet<string>;
  /** `symbol@exchange` -> the instrument id its first valid tick carried. */
  readonly #instruments = new Map<string, number>();
  readonly #nowNs: () => bigint;
  /** The latest ts_event accepted; moved on by {@linkcode refreshClock}. */
  #horizonNs = 0n;

  constructor(symbols: Iterable<string>, nowNs: () => bigint = wallClockNs) {
    this.#symbols = new Set(symbols);
    this.#nowNs = nowNs;
    this.refreshClock();
  }

  /** Reads the clock once (per batch of ticks, not per tick). */
  refreshClock(): void {
    this.#horizonNs = this.#nowNs() + MAX_FUTURE_NS;
  }

  /** Forgets the instrument a channel carried (its writer restarted: it may carry another). */
  forget(symbol: string, exchange: string): void {
    this.#instruments.delete(`${symbol}@${exchange}`);
  }

  /** Undefined when the tick is good, else why not. */
  check(trade: LiveTrade): RejectReason | undefined {
    if (trade.price <= 0n) return "bad_price";
    if (!(trade.size > 0)) return "bad_size";
    if (trade.tsEvent < MIN_TS_NS) return "bad_timestamp";
    if (trade.tsEvent > this.#horizonNs) return "future_timestamp";
    if (!this.#symbols.has(trade.symbol)) return "unknown_instrument";
    const key = `${trade.symbol}@${trade.exchange}`;
    const known = this.#instruments.get(key);
    if (known === undefined) this.#instruments.set(key, trade.instrumentId);
    else if (known !== trade.instrumentId) return "unknown_instrument";
    return undefined;
  }
}

function wallClockNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
