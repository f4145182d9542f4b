/**
 * Replay pacing: when a record is due on the wall clock (its ts_event gap from the first record,
 * divided by the speed), cancellable sleeps, and the event-loop yield of full-speed loops.
 * @module
 */
import { setImmediate } from "node:timers";

/** Records handled between two yields to the event loop when nothing else waits. */
export const YIELD_EVERY = 1000;

/** Longest single setTimeout (larger values fire at once). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Resolves on the next turn of the event loop, after pending I/O and timers had their chance. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Maps event times to wall-clock due times: `anchorWall + (tsEvent - anchorTs) / speed`, anchored
 * at the first record after construction or `reset()`. A record earlier than the anchor is due at
 * once. Speed 0 or Infinity means full speed (never waits).
 */
export class Pacer {
  /** True when records are never delayed. */
  readonly fullSpeed: boolean;
  readonly #speed: number;
  #anchorTs: bigint | undefined;
  #anchorWallMs = 0;

  /** Throws a RangeError unless `speed` is 0, Infinity or a positive finite number. */
  constructor(speed: number) {
    if (Number.isNaN(speed) || speed < 0) {
      throw new RangeError(
        `Invalid replay speed ${speed}: expected 0, Infinity or a positive number`,
      );
    }
    this.#speed = speed;
    this.fullSpeed = speed === 0 || speed === Infinity;
  }

  /** Anchors again at the next record (a new loop pass, or time going backwards). */
  reset(): void {
    this.#anchorTs = undefined;
  }

  /**
   * Milliseconds to wait before emitting a record stamped `tsEvent` when the wall clock reads
   * `nowMs`; 0 when due. Gaps below a millisecond add up instead of each sleeping.
   */
  delayMs(tsEvent: bigint, nowMs: number): number {
    if (this.fullSpeed) return 0;
    if (this.#anchorTs === undefined) {
      this.#anchorTs = tsEvent;
      this.#anchorWallMs = nowMs;
      return 0;
    }
    const aheadNs = tsEvent - this.#anchorTs;
    if (aheadNs <= 0n) return 0;
    const due = this.#anchorWallMs + Number(aheadNs) / 1e6 / this.#speed;
    const wait = due - nowMs;
    return wait >= 1 ? wait : 0;
  }
}

/** One cancellable sleep at a time; `cancel()` ends a pending sleep early (for disconnect). */
export class Sleeper {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;

  /** Sleeps `ms` (split into setTimeout-sized pieces); resolves early on `cancel()`. */
  async sleep(ms: number): Promise<void> {
    let left = ms;
    while (left > 0) {
      const step = Math.min(left, MAX_TIMEOUT_MS);
      const cancelled = await new Promise<boolean>((resolve) => {
        this.#wake = () => resolve(true);
        this.#timer = setTimeout(() => resolve(false), step);
      });
      this.#timer = undefined;
      this.#wake = undefined;
      if (cancelled) return;
      left -= step;
    }
  }

  /** Ends the pending sleep now, clearing its timer. */
  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
