/**
 * Gap detection over stored tick times: a silence between consecutive ticks (or between a range
 * edge and the nearest tick) whose open-market part is longer than the allowed maximum.
 * @module
 */
import type { Interval } from "./sessions.ts";

/** A stretch [startNs, endNs) with no stored tick while the market was open. */
export interface Gap {
  startNs: bigint;
  /** Exclusive: the next stored tick's time, the range end or the session close. */
  endNs: bigint;
  /** (endNs - startNs) in seconds, for display. */
  seconds: number;
}

/** What {@linkcode findGaps} looks at. */
export interface FindGapsOptions {
  /** Inclusive range start, ns. */
  startNs: bigint;
  /** Exclusive range end, ns. */
  endNs: bigint;
  /** A silence piece longer than this (ns) is a gap. */
  maxGapNs: bigint;
  /**
   * The open parts of [fromNs, toNs), sorted, disjoint and not touching (e.g. `openIntervals`
   * bound to an asset type); the whole silence counts when omitted (sessions off).
   */
  open?: (fromNs: bigint, toNs: bigint) => Interval[];
}

/**
 * The gaps of [startNs, endNs) given the stored tick times in ascending order (repeats allowed,
 * times outside the range ignored). For each silence between ticks at a and b (the range edges
 * count as a tick at startNs - 1 and at endNs), each open piece of [a + 1, b) longer than
 * maxGapNs is a gap [max(a + 1, pieceStart), min(b, pieceEnd)): fetching it never asks again for
 * the tick at a nor for the one at b. A silence across the futures halt or a weekend becomes the
 * open pieces on each side. O(n) time, constant memory besides the gaps; an async source is read
 * batch by batch.
 */
export function findGaps(timestamps: Iterable<bigint>, options: FindGapsOptions): Gap[];
/** The same over an async stream of batches of ascending times. */
export function findGaps(
  timestamps: AsyncIterable<readonly bigint[]>,
  options: FindGapsOptions,
): Promise<Gap[]>;
export function findGaps(
  timestamps: Iterable<bigint> | AsyncIterable<readonly bigint[]>,
  options: FindGapsOptions,
): Gap[] | Promise<Gap[]> {
  const finder = new GapFinder(options);
  if (Symbol.asyncIterator in timestamps) {
    return (async () => {
      for await (const batch of timestamps) {
        for (const ts of batch) finder.push(ts);
      }
      return finder.finish();
    })();
  }
  for (const ts of timestamps) finder.push(ts);
  return finder.finish();
}

/** The incremental form of {@linkcode findGaps}: push ascending times, then finish once. */
export class GapFinder {
  readonly #o: FindGapsOptions;
  readonly #gaps: Gap[] = [];
  #last: bigint;
  #done = false;

  constructor(options: FindGapsOptions) {
    if (options.maxGapNs < 0n) {
      throw new RangeError(`Invalid max gap ${options.maxGapNs} ns: expected >= 0`);
    }
    this.#o = options;
    this.#last = options.startNs - 1n;
  }

  /** One stored tick time; times must not go backwards. */
  push(ts: bigint): void {
    if (ts < this.#last && ts >= this.#o.startNs) {
      throw new RangeError(`Tick times are not ascending: ${ts} after ${this.#last}`);
    }
    if (ts < this.#o.startNs || ts >= this.#o.endNs || ts === this.#last) return;
    this.#silence(this.#last, ts);
    this.#last = ts;
  }

  /** The gaps, the trailing silence up to the range end included. */
  finish(): Gap[] {
    if (!this.#done && this.#o.endNs > this.#o.startNs) this.#silence(this.#last, this.#o.endNs);
    this.#done = true;
    return this.#gaps;
  }

  #silence(a: bigint, b: bigint): void {
    const from = a + 1n;
    const max = this.#o.maxGapNs;
    if (b - from <= max) return; // no piece of it can be longer
    const pieces = this.#o.open === undefined
      ? [{ startNs: from, endNs: b }]
      : this.#o.open(from, b);
    for (const piece of pieces) {
      const startNs = piece.startNs > from ? piece.startNs : from;
      const endNs = piece.endNs < b ? piece.endNs : b;
      if (endNs - startNs > max) {
        this.#gaps.push({ startNs, endNs, seconds: Number(endNs - startNs) / 1e9 });
      }
    }
  }
}
