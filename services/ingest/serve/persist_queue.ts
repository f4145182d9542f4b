/**
 * The persistence path of `serve`: a bounded in-memory queue of ticks and one batcher that writes
 * a batch when `batchSize` ticks are waiting or `flushIntervalMs` has passed since the oldest one,
 * whichever comes first, through the fast batchInsert. While the database is down the batch is
 * retried with backoff and the queue fills; past `capacity` the queued ticks are spilled to disk
 * (spill.ts) and loaded back once the database returns. Nothing accepted is lost: `close()` writes
 * or spills everything.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import { batchInsert, type BatchInsertResult, type Store, type Tick } from "@shared/storage/mod.ts";
import { backoffDelay, type BackoffOptions } from "@shared/venue/mod.ts";
import { listSpills, readSpill, removeSpill, writeSpill } from "./spill.ts";

/** Options of {@linkcode PersistQueue}. */
export interface PersistQueueOptions {
  store: Store;
  /** Ticks per write (`[database] batch_size`). */
  batchSize: number;
  /** Longest wait before a partial batch is written, ms (default 250). */
  flushIntervalMs?: number;
  /** Ticks held in memory before spilling to disk (default 100 000). */
  capacity?: number;
  /** Spill folder (`<data_dir>/spill`). */
  spillDir: string;
  /** Archive root, for writes that touch archived days. */
  archiveRoot?: string;
  /** Retry backoff while the database is down (default 100 ms doubling to 5 s). */
  backoff?: BackoffOptions;
  logger?: Logger;
  /** After each successful write: its result and how long it took. */
  onBatch?: (result: BatchInsertResult, ms: number) => void;
}

/** Counters of the queue. */
export interface PersistStats {
  persisted: number;
  duplicates: number;
  rejected: number;
  batches: number;
  failedWrites: number;
  spilled: number;
  reloaded: number;
}

/** Bounded queue + batcher + spill in front of batchInsert. */
export class PersistQueue {
  readonly options: PersistQueueOptions;
  readonly stats: PersistStats = {
    persisted: 0,
    duplicates: 0,
    rejected: 0,
    batches: 0,
    failedWrites: 0,
    spilled: 0,
    reloaded: 0,
  };
  #queue: Tick[] = [];
  #head = 0;
  #oldestMs = 0;
  #inFlight = 0;
  #spilling: Promise<void> = Promise.resolve();
  #spillPending = 0;
  #dbUp = true;
  #lastError: string | undefined;
  #closing = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void>;

  constructor(options: PersistQueueOptions) {
    this.options = options;
    this.#loop = this.#run();
  }

  /** Ticks waiting in memory (the batch being written included). */
  get depth(): number {
    return this.#queue.length - this.#head + this.#inFlight;
  }

  /** Ticks in spill files not yet loaded. */
  get spillPending(): number {
    return this.#spillPending;
  }

  /** False while writes fail. */
  get databaseUp(): boolean {
    return this.#dbUp;
  }

  /** The last write error (one line), while the database is down. */
  get lastError(): string | undefined {
    return this.#dbUp ? undefined : this.#lastError;
  }

  /** Memory capacity. */
  get capacity(): number {
    return this.options.capacity ?? 100_000;
  }

  /** Queues a tick; never blocks, never throws. */
  push(tick: Tick): void {
    if (this.#queue.length === this.#head) this.#oldestMs = Date.now();
    this.#queue.push(tick);
    const waiting = this.#queue.length - this.#head;
    if (waiting >= this.capacity) this.#spillQueued();
    else if (waiting >= this.options.batchSize) this.#wake?.();
  }

  /** Writes everything queued (or spills it when the database is down), then stops. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wake?.();
    await this.#loop;
    await this.#spilling;
    const left = this.#take(this.#queue.length - this.#head);
    if (left.length > 0) await this.#spill(left);
  }

  async #run(): Promise<void> {
    await this.#countLeftovers();
    let attempt = 0;
    while (true) {
      const waiting = this.#queue.length - this.#head;
      if (this.#closing && (waiting === 0 || !this.#dbUp)) return;
      if (waiting === 0 && (this.#spillPending === 0 || !this.#dbUp)) {
        await this.#sleep(this.#dbUp ? 1000 : backoffDelay(attempt, this.#backoff));
        if (!this.#dbUp && this.#spillPending > 0) await this.#probe(() => attempt++);
        continue;
      }
      const due = this.#oldestMs + (this.options.flushIntervalMs ?? 250) - Date.now();
      if (waiting > 0 && waiting < this.options.batchSize && due > 0 && !this.#closing) {
        await this.#sleep(due);
        continue;
      }
      if (waiting === 0) {
        await this.#reloadSpills();
        continue;
      }
      const batch = this.#take(Math.min(waiting, this.options.batchSize));
      this.#inFlight = batch.length;
      const ok = await this.#write(batch);
      this.#inFlight = 0;
      if (ok) {
        attempt = 0;
        if (this.#spillPending > 0) await this.#reloadSpills();
        continue;
      }
      this.#unshift(batch);
      if (this.#closing) return;
      await this.#sleep(backoffDelay(attempt++, this.#backoff));
    }
  }

  get #backoff(): BackoffOptions {
    return this.options.backoff ?? { initialMs: 100, maxMs: 5000 };
  }

  async #write(batch: Tick[]): Promise<boolean> {
    const started = performance.now();
    try {
      const result = await batchInsert(this.options.store, batch, {
        archiveRoot: this.options.archiveRoot,
      });
      this.stats.batches++;
      this.stats.persisted += result.inserted;
      this.stats.duplicates += result.duplicates;
      this.stats.rejected += result.rejected.length;
      if (!this.#dbUp) this.options.logger?.info("Database is back", { queued: this.depth });
      this.#dbUp = true;
      this.options.onBatch?.(result, performance.now() - started);
      for (const rejected of result.rejected.slice(0, 3)) {
        this.options.logger?.warn("Tick rejected", { reason: rejected.reason });
      }
      return true;
    } catch (error) {
      this.stats.failedWrites++;
      this.#lastError = error instanceof Error ? error.message : String(error);
      if (this.#dbUp) {
        this.options.logger?.error("Database write failed; queueing ticks", {
          error: this.#lastError,
          queued: this.depth,
        });
      }
      this.#dbUp = false;
      return false;
    }
  }

  /** While down with only spilled ticks left, a cheap query tells when the database is back. */
  async #probe(nextAttempt: () => void): Promise<void> {
    try {
      await this.options.store.query("SELECT 1");
      this.#dbUp = true;
    } catch {
      nextAttempt();
    }
  }

  #take(count: number): Tick[] {
    const batch = this.#queue.slice(this.#head, this.#head + count);
    this.#head += count;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 65_536 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (this.#queue.length > this.#head) this.#oldestMs = Date.now();
    return batch;
  }

  #unshift(batch: Tick[]): void {
    this.#queue = [...batch, ...this.#queue.slice(this.#head)];
    this.#head = 0;
  }

  #spillQueued(): void {
    const ticks = this.#take(this.#queue.length - this.#head);
    this.#spilling = this.#spilling.then(() => this.#spill(ticks));
  }

  async #spill(ticks: Tick[]): Promise<void> {
    try {
      const batch = await writeSpill(this.options.spillDir, ticks);
      this.stats.spilled += batch.ticks;
      this.#spillPending += batch.ticks;
      this.options.logger?.warn("Spilled queued ticks to disk", {
        ticks: batch.ticks,
        dir: batch.dir,
      });
    } catch (error) {
      // The disk failed too: keep them in memory rather than lose them.
      this.options.logger?.error("Spill failed; keeping ticks in memory", {
        error: error instanceof Error ? error.message : String(error),
      });
      this.#unshift(ticks);
    }
  }

  async #reloadSpills(): Promise<void> {
    await this.#spilling;
    for (const dir of await listSpills(this.options.spillDir)) {
      let ticks: Tick[];
      try {
        ticks = await readSpill(dir);
      } catch (error) {
        this.options.logger?.error("Cannot read spill batch; left on disk", {
          dir,
          error: error instanceof Error ? error.message : String(error),
        });
        this.#spillPending = 0;
        continue;
      }
      for (let start = 0; start < ticks.length; start += this.options.batchSize) {
        if (!await this.#write(ticks.slice(start, start + this.options.batchSize))) return;
      }
      await removeSpill(dir);
      this.stats.reloaded += ticks.length;
      this.#spillPending = Math.max(0, this.#spillPending - ticks.length);
      this.options.logger?.info("Loaded spilled ticks", { ticks: ticks.length, dir });
    }
    this.#spillPending = 0;
  }

  async #countLeftovers(): Promise<void> {
    const dirs = await listSpills(this.options.spillDir).catch(() => []);
    if (dirs.length > 0) {
      this.#spillPending = 1; // loaded on the first idle moment; the count is learnt then
      this.options.logger?.info("Found spilled ticks from an earlier run", {
        batches: dirs.length,
      });
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        this.#wake = undefined;
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
