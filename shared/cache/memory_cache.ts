/**
 * L1 of the tick cache: one ring per symbol in the WASM core (`max_ticks_per_symbol` entries, FIFO
 * eviction, entries older than `ttl_seconds` by insert time are not returned). Exchange names are
 * kept in a small table here; each slot stores their index.
 * @module
 */
import {
  MAX_TICK_EXCHANGE_INDEX,
  MAX_TICK_RING_CAPACITY,
  TickRing,
  type TickSlot,
  tickTag,
} from "@core/mod.ts";
import type { CachedTick, TickSide } from "./types.ts";

/** Options for {@linkcode MemoryTickCache} (`[cache.memory]`). */
export interface MemoryTickCacheOptions {
  /** Ticks kept per symbol; the oldest is evicted first. */
  maxTicksPerSymbol: number;
  /** Seconds a tick stays readable after it was cached. */
  ttlSeconds: number;
  /** Milliseconds now (default Date.now): the TTL runs on it. */
  clock?: () => number;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U32_MAX = 2 ** 32 - 1;
const SIDE_CODE: Readonly<Record<string, number>> = { A: 65, B: 66, N: 78 };

function sideOf(code: number): TickSide {
  return code === 65 ? "A" : code === 66 ? "B" : "N";
}

function checkTick(tick: CachedTick): number {
  const code = SIDE_CODE[tick.side];
  if (code === undefined) {
    throw new RangeError(
      `Cannot cache tick of "${tick.symbol}": side "${tick.side}" is not A, B or N`,
    );
  }
  const { price, tsEvent, tsRecv, size } = tick;
  if (
    typeof price !== "bigint" || price < I64_MIN || price > I64_MAX ||
    typeof tsEvent !== "bigint" || tsEvent < 0n || tsEvent > I64_MAX ||
    typeof tsRecv !== "bigint" || tsRecv < 0n || tsRecv > I64_MAX
  ) {
    throw new RangeError(
      `Cannot cache tick of "${tick.symbol}": price ${price}, ts_event ${tsEvent} or ts_recv ${tsRecv} is out of range`,
    );
  }
  if (!Number.isInteger(size) || size < 0 || size > U32_MAX) {
    throw new RangeError(`Cannot cache tick of "${tick.symbol}": size ${size} is not a u32`);
  }
  return code;
}

/** The L1 tick cache: per-symbol rings in core memory. Call free() (or `using`) when done. */
export class MemoryTickCache implements Disposable {
  /** Ticks kept per symbol. */
  readonly maxTicksPerSymbol: number;
  /** Seconds a tick stays readable. */
  readonly ttlSeconds: number;
  readonly #clock: () => number;
  readonly #rings = new Map<string, TickRing>();
  readonly #exchangeIndex = new Map<string, number>();
  readonly #exchanges: string[] = [];
  #freed = false;

  constructor(options: MemoryTickCacheOptions) {
    const { maxTicksPerSymbol, ttlSeconds } = options;
    if (
      !Number.isInteger(maxTicksPerSymbol) || maxTicksPerSymbol < 1 ||
      maxTicksPerSymbol > MAX_TICK_RING_CAPACITY
    ) {
      throw new RangeError(
        `Cannot create the memory tick cache: max_ticks_per_symbol ${maxTicksPerSymbol} is not an integer in [1, ${MAX_TICK_RING_CAPACITY}]`,
      );
    }
    if (!(ttlSeconds > 0)) {
      throw new RangeError(
        `Cannot create the memory tick cache: ttl_seconds ${ttlSeconds} is not > 0`,
      );
    }
    this.maxTicksPerSymbol = maxTicksPerSymbol;
    this.ttlSeconds = ttlSeconds;
    this.#clock = options.clock ?? Date.now;
  }

  /** Caches a tick as its symbol's newest; throws RangeError for a field the ring cannot hold. */
  push(tick: CachedTick): void {
    const code = checkTick(tick);
    this.#ring(tick.symbol).push(tick, tickTag(code, this.#exchangeOf(tick.exchange)));
  }

  /**
   * Inserts older ticks (oldest -> newest) before a symbol's oldest cached tick while its ring has
   * room; they expire with that tick. Returns how many were inserted (the newest of them first).
   */
  backfill(symbol: string, ticks: readonly CachedTick[]): number {
    const ring = this.#ring(symbol);
    let inserted = 0;
    for (let i = ticks.length - 1; i >= 0; i--) {
      const tick = ticks[i]!;
      const code = checkTick(tick);
      if (!ring.prepend(tick, tickTag(code, this.#exchangeOf(tick.exchange)))) break;
      inserted++;
    }
    return inserted;
  }

  /** The newest live tick of a symbol, or undefined. */
  latest(symbol: string): CachedTick | undefined {
    const slot = this.#rings.get(symbol)?.latest();
    return slot === undefined ? undefined : this.#tick(symbol, slot);
  }

  /** Up to n newest live ticks of a symbol, oldest -> newest. */
  recent(symbol: string, n: number): CachedTick[] {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Cannot read ${n} ticks of "${symbol}": not a non-negative integer`);
    }
    const ring = this.#rings.get(symbol);
    if (ring === undefined || n === 0) return [];
    const count = Math.min(n, ring.live());
    const out = new Array<CachedTick>(count);
    for (let i = 0; i < count; i++) out[i] = this.#tick(symbol, ring.at(count - 1 - i));
    return out;
  }

  /** Live ticks cached for a symbol. */
  size(symbol: string): number {
    return this.#rings.get(symbol)?.live() ?? 0;
  }

  /** Symbols holding at least one live tick. */
  symbols(): string[] {
    const out: string[] = [];
    for (const [symbol, ring] of this.#rings) if (ring.live() > 0) out.push(symbol);
    return out;
  }

  /** Forgets one symbol's ticks, or every symbol's. */
  clear(symbol?: string): void {
    if (symbol === undefined) {
      for (const ring of this.#rings.values()) ring.free();
      this.#rings.clear();
      return;
    }
    this.#rings.get(symbol)?.free();
    this.#rings.delete(symbol);
  }

  /** Returns every ring to the core; idempotent. Later pushes throw. */
  free(): void {
    this.clear();
    this.#freed = true;
  }

  [Symbol.dispose](): void {
    this.free();
  }

  #ring(symbol: string): TickRing {
    let ring = this.#rings.get(symbol);
    if (ring === undefined) {
      if (this.#freed) throw new TypeError("Cannot use MemoryTickCache: it was freed");
      ring = new TickRing({
        capacity: this.maxTicksPerSymbol,
        ttlMs: this.ttlSeconds * 1000,
        clock: this.#clock,
      });
      this.#rings.set(symbol, ring);
    }
    return ring;
  }

  #exchangeOf(exchange: string): number {
    let index = this.#exchangeIndex.get(exchange);
    if (index === undefined) {
      index = this.#exchanges.length;
      if (index > MAX_TICK_EXCHANGE_INDEX) {
        throw new RangeError(
          `Cannot cache exchange "${exchange}": ${index} exchange names already cached`,
        );
      }
      this.#exchanges.push(exchange);
      this.#exchangeIndex.set(exchange, index);
    }
    return index;
  }

  #tick(symbol: string, slot: TickSlot): CachedTick {
    return {
      symbol,
      exchange: this.#exchanges[slot.exchangeIndex]!,
      tsEvent: slot.tsEvent,
      tsRecv: slot.tsRecv,
      price: slot.price,
      size: slot.size,
      side: sideOf(slot.sideCode),
    };
  }
}
