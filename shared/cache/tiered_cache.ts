/**
 * The tiered tick cache: writes update L1 (WASM rings) at once and queue the tick for L2 (Redis),
 * flushed in one pipeline when 256 ticks are pending or a few ms after the first; the caller never
 * waits for Redis and never sees its errors (they are counted and logged once per outage). Reads
 * go L1 -> L2 (backfilling what L1 lacked) -> empty.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import type { MemoryTickCache } from "./memory_cache.ts";
import { PendingQueue } from "./_pending_queue.ts";
import type { CachedTick, L2Status, L2TickCache, TickReadResult } from "./types.ts";

/** Options for {@linkcode TieredTickCache}. */
export interface TieredTickCacheOptions {
  /** L1; owned by the tiered cache (close() frees it). */
  memory: MemoryTickCache;
  /** L2; owned too (close() closes it). Absent: L1 only. */
  l2?: L2TickCache;
  logger: Logger;
  /** Pending ticks that start a flush at once (default 256). */
  flushThreshold?: number;
  /** Flush this long after the first pending tick, ms (default 5). */
  flushDelayMs?: number;
  /** Pending ticks kept at most; beyond, the oldest are dropped as failures (default 10,000). */
  maxPending?: number;
}

/** Counters of a {@linkcode TieredTickCache}. */
export interface TieredCacheStats {
  /** Ticks written (to L1). */
  writes: number;
  /** Ticks Redis stored. */
  l2Writes: number;
  /** Ticks that did not reach Redis (failed flushes, pending overflow). */
  l2Failures: number;
  /** L2 reads that failed (the answer came from L1 alone). */
  l2ReadFailures: number;
  /** Reads answered by L1 alone. */
  l1Hits: number;
  /** Reads L2 contributed to. */
  l2Hits: number;
  /** Reads that found nothing. */
  misses: number;
  /** Ticks waiting for L2. */
  pending: number;
  l2Status: "disabled" | L2Status;
}

function sameTick(a: CachedTick, b: CachedTick): boolean {
  return a.tsEvent === b.tsEvent && a.tsRecv === b.tsRecv && a.price === b.price &&
    a.size === b.size && a.side === b.side && a.exchange === b.exchange;
}

/** L2 ticks (oldest -> newest) older than L1's oldest: found by identity, else by event time. */
function olderThanL1(l2: CachedTick[], l1: readonly CachedTick[]): CachedTick[] {
  const oldest = l1[0];
  if (oldest === undefined) return l2;
  for (let i = l2.length - 1; i >= 0; i--) if (sameTick(l2[i]!, oldest)) return l2.slice(0, i);
  const end = l2.findIndex((t) => t.tsEvent >= oldest.tsEvent);
  return end === -1 ? l2 : l2.slice(0, end);
}

/** L1 + L2 tick cache with write-behind to L2. */
export class TieredTickCache {
  readonly #memory: MemoryTickCache;
  readonly #l2: L2TickCache | undefined;
  readonly #logger: Logger;
  readonly #threshold: number;
  readonly #delayMs: number;
  readonly #pending: PendingQueue;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #awaitingConnection = false;
  #outageFailures = -1;
  #closed = false;
  #writes = 0;
  #l2Writes = 0;
  #l2Failures = 0;
  #l2ReadFailures = 0;
  #l1Hits = 0;
  #l2Hits = 0;
  #misses = 0;

  constructor(options: TieredTickCacheOptions) {
    this.#memory = options.memory;
    this.#l2 = options.l2;
    this.#logger = options.logger.child({ component: "tick_cache" });
    this.#threshold = options.flushThreshold ?? 256;
    this.#delayMs = options.flushDelayMs ?? 5;
    this.#pending = new PendingQueue(options.maxPending ?? 10_000);
  }

  /** Caches a tick in L1 now and queues it for L2; throws only for a tick L1 cannot hold. */
  write(tick: CachedTick): void {
    this.#memory.push(tick);
    this.#writes++;
    if (this.#l2 === undefined || this.#closed) return;
    if (this.#pending.push(tick)) this.#failed(1, "pending buffer full");
    if (this.#pending.length >= this.#threshold) this.#start(false);
    else if (
      this.#timer === undefined && this.#inFlight === undefined && !this.#awaitingConnection
    ) this.#schedule();
  }

  /** The newest live tick of a symbol in L1. */
  latest(symbol: string): CachedTick | undefined {
    return this.#memory.latest(symbol);
  }

  /** Up to n newest ticks of a symbol from L1 alone, oldest -> newest. */
  recentL1(symbol: string, n: number): CachedTick[] {
    const ticks = this.#memory.recent(symbol, n);
    if (ticks.length > 0) this.#l1Hits++;
    else if (n > 0) this.#misses++;
    return ticks;
  }

  /**
   * Up to n newest ticks of a symbol, oldest -> newest: L1 when it holds n, else L2 fills in the
   * older ones (and L1 is backfilled with them). L2 errors fall back to L1's answer.
   */
  async recent(symbol: string, n: number): Promise<TickReadResult> {
    const l1 = this.#memory.recent(symbol, n);
    if (n === 0) return { ticks: l1, tier: "empty" };
    const l2 = this.#l2;
    if (l1.length >= n || l2 === undefined || l2.status() !== "connected") return this.#fromL1(l1);
    let fromL2: CachedTick[];
    try {
      fromL2 = await l2.recent(symbol, n);
    } catch {
      this.#l2ReadFailures++;
      return this.#fromL1(l1);
    }
    const older = olderThanL1(fromL2, l1);
    if (older.length === 0) return this.#fromL1(l1);
    const lacking = older.slice(Math.max(0, older.length - (n - l1.length)));
    this.#memory.backfill(symbol, lacking);
    this.#l2Hits++;
    return { ticks: [...lacking, ...l1], tier: "l2" };
  }

  /** Counters and the L2 state. */
  stats(): TieredCacheStats {
    return {
      writes: this.#writes,
      l2Writes: this.#l2Writes,
      l2Failures: this.#l2Failures,
      l2ReadFailures: this.#l2ReadFailures,
      l1Hits: this.#l1Hits,
      l2Hits: this.#l2Hits,
      misses: this.#misses,
      pending: this.#pending.length,
      l2Status: this.#l2?.status() ?? "disabled",
    };
  }

  /**
   * Writes every pending tick to L2 and waits for it (at shutdown, in tests). Waits for a first
   * connection up to the L2's connect timeout; what cannot be written is counted as failed.
   */
  async flush(): Promise<void> {
    const l2 = this.#l2;
    if (l2 === undefined) return;
    this.#clearTimer();
    for (;;) {
      if (this.#inFlight !== undefined) {
        await this.#inFlight;
        continue;
      }
      if (this.#pending.length === 0) return;
      if (l2.status() === "connecting") await l2.ready();
      this.#start(true);
    }
  }

  /** Flushes, closes L2 and frees L1; idempotent. Later writes throw. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    this.#clearTimer();
    await this.#l2?.close();
    this.#memory.free();
  }

  #fromL1(ticks: CachedTick[]): TickReadResult {
    if (ticks.length === 0) {
      this.#misses++;
      return { ticks, tier: "empty" };
    }
    this.#l1Hits++;
    return { ticks, tier: "l1" };
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#start(false);
    }, this.#delayMs);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Starts one flush of everything pending unless one runs; `force` ignores "connecting". */
  #start(force: boolean): void {
    const l2 = this.#l2;
    if (l2 === undefined || this.#inFlight !== undefined || this.#pending.length === 0) return;
    if (!force && l2.status() === "connecting") {
      // Before the first connection ticks wait (bounded by maxPending) instead of failing.
      if (this.#awaitingConnection) return;
      this.#awaitingConnection = true;
      this.#clearTimer();
      void l2.ready().then(() => {
        this.#awaitingConnection = false;
        if (!this.#closed) this.#start(l2.status() !== "connecting");
      });
      return;
    }
    this.#clearTimer();
    const batch = this.#pending.take(this.#pending.capacity);
    this.#inFlight = this.#write(l2, batch).finally(() => {
      this.#inFlight = undefined;
      if (this.#closed || this.#pending.length === 0) return;
      if (this.#pending.length >= this.#threshold) this.#start(false);
      else this.#schedule();
    });
  }

  async #write(l2: L2TickCache, batch: CachedTick[]): Promise<void> {
    try {
      const stored = await l2.writeBatch(batch);
      this.#l2Writes += stored;
      if (stored < batch.length) this.#failed(batch.length - stored, "Redis rejected a command");
      else this.#resumed();
    } catch (e) {
      this.#failed(batch.length, e instanceof Error ? e.message : String(e));
    }
  }

  #failed(ticks: number, reason: string): void {
    this.#l2Failures += ticks;
    if (this.#outageFailures >= 0) {
      this.#outageFailures += ticks;
      return;
    }
    this.#outageFailures = ticks;
    this.#logger.warn("L2 cache writes failing; ticks stay in L1 only", { error: reason });
  }

  #resumed(): void {
    if (this.#outageFailures < 0) return;
    this.#logger.info("L2 cache writes resumed", { failedTicks: this.#outageFailures });
    this.#outageFailures = -1;
  }
}
