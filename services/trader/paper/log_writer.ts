/**
 * Batched writes of paper-trading decisions to `live_strategy_log`: rows gather in memory and are
 * written every `flushMs` (or sooner when a batch is full) with one COPY per batch. A database that is
 * down keeps the rows for the next attempt; past `maxPending` the oldest are dropped, counted and
 * logged -- the tick flow never waits for the database (the embedded PGlite runs in its own
 * worker, so its inserts do not hold up this thread either).
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import { logStrategyEvents, type Store, type StrategyLogEntry } from "@shared/storage/mod.ts";

/** Options of {@linkcode StrategyLogWriter}. */
export interface StrategyLogWriterOptions {
  store: Store;
  flushMs: number;
  logger: Logger;
  /** Rows per write (default 2000). */
  batchSize?: number;
  /** Rows kept while the database is down (default 100,000). */
  maxPending?: number;
}

/** Counters of the writer. */
export interface StrategyLogStats {
  written: number;
  pending: number;
  failedWrites: number;
  dropped: number;
}

/** See the module doc. */
export class StrategyLogWriter {
  readonly #o: Required<StrategyLogWriterOptions>;
  #pending: StrategyLogEntry[] = [];
  #written = 0;
  #failedWrites = 0;
  #dropped = 0;
  #down = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;

  constructor(options: StrategyLogWriterOptions) {
    this.#o = { batchSize: 2000, maxPending: 100_000, ...options };
    this.#timer = setInterval(() => void this.flush(), this.#o.flushMs);
  }

  /** Queues one row (never blocks). */
  add(entry: StrategyLogEntry): void {
    this.#pending.push(entry);
    this.#bound();
    if (this.#pending.length >= this.#o.batchSize && this.#flushing === undefined) {
      void this.flush();
    }
  }

  stats(): StrategyLogStats {
    return {
      written: this.#written,
      pending: this.#pending.length,
      failedWrites: this.#failedWrites,
      dropped: this.#dropped,
    };
  }

  /** Writes what is pending (one flush at a time; a second call waits for the first). */
  flush(): Promise<void> {
    this.#flushing ??= this.#write().finally(() => this.#flushing = undefined);
    return this.#flushing;
  }

  /** Stops the timer and writes the rest (best effort: failures are counted and logged). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.#pending.length > 0) await this.flush();
  }

  async #write(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#o.batchSize);
      try {
        await logStrategyEvents(this.#o.store, batch);
      } catch (error) {
        if (error instanceof RangeError) {
          // A row the table cannot hold is our bug, not an outage: drop the batch, loudly.
          this.#dropped += batch.length;
          this.#o.logger.error("Dropped invalid live_strategy_log rows", {
            error: error.message,
            rows: batch.length,
          });
          continue;
        }
        this.#pending = batch.concat(this.#pending);
        this.#bound();
        this.#failedWrites++;
        if (!this.#down) {
          this.#down = true;
          this.#o.logger.warn("Cannot write live_strategy_log; keeping rows for the next flush", {
            error: (error as Error).message,
            pending: this.#pending.length,
          });
        }
        return;
      }
      if (this.#down) {
        this.#down = false;
        this.#o.logger.info("live_strategy_log writes resumed", { pending: this.#pending.length });
      }
      this.#written += batch.length;
    }
  }

  /** Drops the oldest rows beyond maxPending (counted; logged once). */
  #bound(): void {
    const excess = this.#pending.length - this.#o.maxPending;
    if (excess <= 0) return;
    this.#pending.splice(0, excess);
    if (this.#dropped === 0) {
      this.#o.logger.error("live_strategy_log backlog full; dropping the oldest rows", {
        maxPending: this.#o.maxPending,
      });
    }
    this.#dropped += excess;
  }
}
