/**
 * Reader wake-up by adaptive polling. Shared memory has no "data ready" event, so a reader checks
 * the write sequence; the policy trades CPU for latency in three stages:
 *
 * 1. Spin: after a record arrives, keep polling without yielding for `spinMicros` (default 100 us).
 *    A busy stream (a record at least every 100 us) is seen within a poll, well under a microsecond
 *    of copy time, at the cost of one core while it lasts.
 * 2. Yield: then poll once per turn of the event loop (setImmediate, a few microseconds) for
 *    `yieldMicros` (default 1000 us), so timers and sockets run in between.
 * 3. Sleep: then sleep between polls, doubling from 1 ms up to `maxSleepMs` (default 10 ms): an idle
 *    reader wakes about 100 times a second and costs almost no CPU; the first record after a quiet
 *    spell waits at most `maxSleepMs`.
 *
 * While records keep coming, the loop still yields to the event loop every `busyYieldMs` (default
 * 2 ms), so a spinning reader never starves the rest of its process.
 *
 * `consumeMany()` runs the one policy over a changing set of readers (a trader with several
 * channels); `consume()` is that loop over a single reader.
 * @module
 */
import { setImmediate } from "node:timers";
import { monotonicNs } from "./_libc.ts";
import type { ChannelReader } from "./channel_reader.ts";
import { RecordBatch } from "./record_batch.ts";

/** The knobs of the adaptive wait. */
export interface PollPolicy {
  spinMicros: number;
  yieldMicros: number;
  maxSleepMs: number;
  busyYieldMs: number;
}

/** The defaults described above. */
export const DEFAULT_POLL_POLICY: Readonly<PollPolicy> = {
  spinMicros: 100,
  yieldMicros: 1000,
  maxSleepMs: 10,
  busyYieldMs: 2,
};

/** Counters of one consume loop (what a reader spends waiting). */
export interface PollStats {
  polls: number;
  batches: number;
  records: number;
  lost: number;
  yields: number;
  sleeps: number;
}

/** Options for {@linkcode consume}. */
export interface ConsumeOptions {
  /** Stops the loop (checked between polls). */
  signal?: AbortSignal;
  policy?: Partial<PollPolicy>;
  /** Records per poll (default 1024). */
  batchSize?: number;
  /** A clock in nanoseconds (default CLOCK_MONOTONIC). */
  now?: () => number;
}

/** Options for {@linkcode consumeMany}. */
export interface ConsumeManyOptions extends ConsumeOptions {
  /**
   * Backpressure: while it returns true nothing is polled (the consumer's queue is full). The loop
   * yields to the event loop for `yieldMicros`, then sleeps 1 ms between checks.
   */
  paused?: () => boolean;
  /** Counters to update in place, so a caller can read them while the loop runs. */
  stats?: PollStats;
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fresh zeroed counters. */
export function emptyPollStats(): PollStats {
  return { polls: 0, batches: 0, records: 0, lost: 0, yields: 0, sleeps: 0 };
}

/**
 * Polls `reader` until the signal aborts, handing each non-empty batch (and any loss it reports) to
 * `onBatch` synchronously; the batch is reused, so copy what must outlive the call.
 */
export function consume(
  reader: ChannelReader,
  onBatch: (batch: RecordBatch) => void,
  options: ConsumeOptions = {},
): Promise<PollStats> {
  const readers = [reader];
  return consumeMany(() => readers, (batch) => onBatch(batch), options);
}

/**
 * One adaptive loop over many readers: each round asks `getReaders()` for the current set (it may
 * change between rounds), polls each once and hands every non-empty batch to `onBatch` with the
 * reader and its index in that round's array. The wait policy runs on rounds: any record in a round
 * counts as activity. Batches are reused (one per slot size), so copy what must outlive the call.
 */
export async function consumeMany(
  getReaders: () => readonly ChannelReader[],
  onBatch: (batch: RecordBatch, reader: ChannelReader, index: number) => void,
  options: ConsumeManyOptions = {},
): Promise<PollStats> {
  const policy = { ...DEFAULT_POLL_POLICY, ...options.policy };
  const now = options.now ?? monotonicNs;
  const signal = options.signal;
  const paused = options.paused;
  const batchSize = options.batchSize ?? 1024;
  const batches = new Map<number, RecordBatch>();
  const stats = options.stats ?? emptyPollStats();
  const spinNs = policy.spinMicros * 1000;
  const yieldNs = policy.yieldMicros * 1000;
  const busyYieldNs = policy.busyYieldMs * 1e6;
  let lastRecord = now();
  let lastYield = lastRecord;
  let sleepMs = 1;
  let rounds = 0;
  let pausedSince = -1;
  while (!signal?.aborted) {
    if (paused !== undefined && paused()) {
      const t = now();
      if (pausedSince < 0) pausedSince = t;
      if (t - pausedSince < yieldNs) {
        await yieldNow();
        stats.yields++;
      } else {
        await sleep(1);
        stats.sleeps++;
      }
      lastYield = now();
      continue;
    }
    pausedSince = -1;
    const readers = getReaders();
    rounds++;
    let active = false;
    for (let index = 0; index < readers.length; index++) {
      const reader = readers[index]!;
      let batch = batches.get(reader.slotBytes);
      if (batch === undefined) {
        batch = new RecordBatch(reader.slotBytes, batchSize);
        batches.set(reader.slotBytes, batch);
      }
      stats.polls++;
      const count = reader.poll(batch);
      if (count > 0 || batch.lost > 0) {
        stats.batches++;
        stats.records += count;
        stats.lost += batch.lost;
        active = true;
        onBatch(batch, reader, index);
        if (signal?.aborted) break;
      }
    }
    if (active) {
      lastRecord = now();
      sleepMs = 1;
      if (lastRecord - lastYield > busyYieldNs) {
        await yieldNow();
        stats.yields++;
        lastYield = now();
      }
      continue;
    }
    // Reading the clock costs about as much as a poll: spin in runs of 32 rounds between readings.
    if ((rounds & 31) !== 0) continue;
    const t = now();
    const idle = t - lastRecord;
    if (idle < spinNs && t - lastYield < busyYieldNs) continue;
    if (idle < spinNs + yieldNs) {
      await yieldNow();
      stats.yields++;
    } else {
      await sleep(sleepMs);
      stats.sleeps++;
      sleepMs = Math.min(sleepMs * 2, policy.maxSleepMs);
    }
    lastYield = now();
  }
  return stats;
}
