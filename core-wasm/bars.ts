/**
 * The bar kernel's typed face: aggregates trade columns into time or tick bars inside the core
 * and returns only when the host has work (a bar closed, a strategy event is due, a tick crossed
 * the stop band). Prices are fixed point (1e-9) i64; nothing here creates a BigInt per tick.
 * @module
 */
import { core } from "./_instance.ts";
import { CoreBuffer } from "./buffer.ts";

// Slots of the kernel's state block (assembly/bars/mod.ts).
const S = {
  kind: 0,
  span: 1,
  offset: 2,
  mode: 3,
  hasBar: 4,
  start: 5,
  end: 6,
  open: 7,
  high: 8,
  low: 9,
  close: 10,
  volume: 11,
  count: 12,
  emittedUntil: 13,
  stopLo: 16,
  stopHi: 17,
  at: 20,
  resume: 19,
  skipCross: 21,
  cStart: 22,
  cEnd: 23,
  cOpen: 24,
  cHigh: 25,
  cLow: 26,
  cClose: 27,
  cVolume: 28,
  cCount: 29,
  synCount: 30,
  synStart: 31,
  synPrice: 32,
  ticks: 33,
} as const;
const STATE_SLOTS = 40;

/** Event bits returned by {@linkcode BarKernel.run} and {@linkcode BarKernel.closeDue}. */
export const BarEvent = {
  /** Bars closed before tick `at` (not yet consumed): `closedBar()` if real, then `synthetic()`. */
  ClosedBefore: 1,
  /** Tick `at` crosses the stop band (not yet consumed). */
  Cross: 2,
  /** Tick `at` was consumed and a tick event is due (`openBar()` holds the bar so far). */
  Tick: 4,
  /** Tick `at` was consumed and completed a tick bar (`closedBar()`). */
  ClosedAfter: 8,
} as const;

/** How the kernel groups ticks and when it reports them. */
export interface BarKernelOptions {
  kind: "time" | "tick";
  /** ns per bar (time) or ticks per bar (tick). */
  span: bigint;
  /** Alignment offset of time buckets, ns (0: aligned to the epoch). */
  offset?: bigint;
  /** 0: every tick, 1: on price move, 2: on bar close only. */
  mode: 0 | 1 | 2;
}

/** A bar in fixed point as the kernel holds it. */
export interface FixedBar {
  start: bigint;
  end: bigint;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  /** Sum of DBN sizes. */
  volume: bigint;
  count: number;
}

/** Synthetic bars after a close: `count` bars from `start`, all at `price`. */
export interface SyntheticRun {
  count: number;
  start: bigint;
  price: bigint;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** One bar aggregation: a state block in the core plus the calls that drive it. */
export class BarKernel implements Disposable {
  readonly #state: CoreBuffer;

  constructor(options: BarKernelOptions) {
    if (options.span <= 0n) throw new RangeError(`Bar span must be positive, got ${options.span}`);
    this.#state = new CoreBuffer(STATE_SLOTS * 8);
    const s = this.#state.i64();
    s.fill(0n);
    s[S.kind] = options.kind === "time" ? 0n : 1n;
    s[S.span] = options.span;
    s[S.offset] = options.offset ?? 0n;
    s[S.mode] = BigInt(options.mode);
    s[S.stopLo] = I64_MIN;
    s[S.stopHi] = I64_MAX;
    s[S.skipCross] = -1n;
  }

  /**
   * Runs over rows [from, to) of columns at the given core pointers (u64 ts, i64 price, u32
   * size). Returns the event bits (0: all consumed); see {@linkcode at} and {@linkcode resume}.
   */
  run(ts: number, price: number, size: number, from: number, to: number): number {
    return Number(core.barsRun(this.#state.ptr, ts, price, size, from, to));
  }

  /** Real-time clock: closes the bars due at `nowNs`. Returns the event bits (0 or ClosedBefore). */
  closeDue(nowNs: bigint): number {
    return Number(core.barsCloseDue(this.#state.ptr, nowNs));
  }

  /** Index of the tick the last events refer to. */
  get at(): number {
    return this.#slotNumber(S.at);
  }

  /** Index to continue from after handling the last events. */
  get resume(): number {
    return this.#slotNumber(S.resume);
  }

  /** Ticks consumed so far. */
  get ticks(): number {
    return this.#slotNumber(S.ticks);
  }

  /** Resting orders: the next tick with price <= lo or >= hi stops the run (Cross). */
  setStopBand(lo: bigint, hi: bigint): void {
    const s = this.#state.i64();
    s[S.stopLo] = lo;
    s[S.stopHi] = hi;
  }

  /** Marks row `index` as handled for crosses (-1 at the start of each chunk). */
  skipCrossAt(index: number): void {
    this.#state.i64()[S.skipCross] = BigInt(index);
  }

  /** The bar the last ClosedBefore/ClosedAfter closed, or undefined when only synthetic bars. */
  closedBar(): FixedBar | undefined {
    const s = this.#state.i64();
    const count = Number(s[S.cCount]);
    if (count === 0) return undefined;
    return {
      start: s[S.cStart]!,
      end: s[S.cEnd]!,
      open: s[S.cOpen]!,
      high: s[S.cHigh]!,
      low: s[S.cLow]!,
      close: s[S.cClose]!,
      volume: s[S.cVolume]!,
      count,
    };
  }

  /** Synthetic bars the last ClosedBefore reported. */
  synthetic(): SyntheticRun {
    const s = this.#state.i64();
    return { count: Number(s[S.synCount]), start: s[S.synStart]!, price: s[S.synPrice]! };
  }

  /** The open bar so far, or undefined. */
  openBar(): FixedBar | undefined {
    const s = this.#state.i64();
    if (s[S.hasBar] === 0n) return undefined;
    return {
      start: s[S.start]!,
      end: s[S.end]!,
      open: s[S.open]!,
      high: s[S.high]!,
      low: s[S.low]!,
      close: s[S.close]!,
      volume: s[S.volume]!,
      count: Number(s[S.count]),
    };
  }

  /** Frees the state block; idempotent. */
  free(): void {
    this.#state.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }

  #slotNumber(i: number): number {
    return Number(this.#state.i64()[i]);
  }
}

/** Sentinels of an empty stop band. */
export const NO_STOP = { lo: I64_MIN, hi: I64_MAX } as const;
