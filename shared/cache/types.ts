/** The tick the cache holds and the shapes its tiers share. */

/** Aggressor side as DBN writes it: 'A' ask (sell), 'B' bid (buy), 'N' none. */
export type TickSide = "A" | "B" | "N";

/** One trade tick as the cache stores it (price fixed point 1e-9, times in ns). */
export interface CachedTick {
  /** Canonical symbol, e.g. `BTCUSD`. */
  symbol: string;
  /** Exchange name, e.g. `KRAKEN`. */
  exchange: string;
  tsEvent: bigint;
  tsRecv: bigint;
  /** Fixed point, units of 1e-9. */
  price: bigint;
  /** DBN size (u32). */
  size: number;
  side: TickSide;
}

/** Where a read was answered: L1 (memory), L2 (Redis, possibly with L1's newest), or nowhere. */
export type CacheTier = "l1" | "l2" | "empty";

/** Ticks oldest -> newest and the tier that answered. */
export interface TickReadResult {
  ticks: CachedTick[];
  tier: CacheTier;
}

/** The state of an L2 connection: "connecting" only before the first connection. */
export type L2Status = "connected" | "connecting" | "down";

/** The second tier as the tiered cache uses it (Redis, or a fake in tests). */
export interface L2TickCache {
  /** Writes ticks (arrival order) in one round trip; resolves to the number stored. */
  writeBatch(ticks: readonly CachedTick[]): Promise<number>;
  /** Up to n newest ticks of a symbol, oldest -> newest. */
  recent(symbol: string, n: number): Promise<CachedTick[]>;
  status(): L2Status;
  /** Resolves true once connected, false when `timeoutMs` passes first. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}
