// One block of linear memory per indicator: this header, then (for windowed kinds) a ring of
// f64 values (and, for rolling extremes, a ring of u32 sequence numbers after it).

export const KIND_SMA: i32 = 1;
export const KIND_EMA: i32 = 2;
export const KIND_RSI: i32 = 3;
export const KIND_BOLLINGER: i32 = 4;
export const KIND_ATR: i32 = 5;
export const KIND_ZSCORE: i32 = 6;
export const KIND_ROC: i32 = 7;
export const KIND_MAX: i32 = 8;
export const KIND_MIN: i32 = 9;

/** Largest period the kernels accept (a ring of 8 MB). */
export const MAX_PERIOD: i32 = 1_000_000;

/** The state of one streaming indicator. Fields are reset to 0 (NaN for outputs) by `clear`. */
@unmanaged
export class Indicator {
  kind: i32;
  period: i32;
  /** Updates needed before the first value. */
  warm: i32;
  /** Updates seen, saturating at `warm`. */
  count: i32;
  /** Ring slot of the oldest value once the ring is full; deque front for extremes. */
  head: i32;
  /** Length of the current run of equal inputs, saturating at `period`. */
  run: i32;
  /** Entries in the extremes deque. */
  size: i32;
  /** Sequence number of the next input (extremes), wraps at 2^32. */
  seq: u32;
  /** Bollinger k, or the EMA weight 2/(n+1). */
  multiplier: f64;
  /** Centre the windowed sums are taken about (re-chosen at every full turn of the ring). */
  shift: f64;
  /** Neumaier-compensated sums of (x - shift) and (x - shift)^2: value, compensation. */
  s1: f64;
  c1: f64;
  s2: f64;
  c2: f64;
  /** The previous input (previous price or close). */
  last: f64;
  /** EMA value, RSI average gain, ATR average true range. */
  a: f64;
  /** RSI average loss. */
  b: f64;
  value: f64;
  upper: f64;
  lower: f64;
  ring: usize;
}

/** Bytes of ring storage a kind needs after the header. */
export function ringBytes(kind: i32, period: i32): usize {
  const n = <usize>period;
  if (kind == KIND_SMA || kind == KIND_BOLLINGER || kind == KIND_ZSCORE || kind == KIND_ROC) {
    return n << 3;
  }
  if (kind == KIND_MAX || kind == KIND_MIN) return (n << 3) + (n << 2);
  return 0;
}

/** Updates before the first value: n, except n + 1 for kinds that look at a previous input. */
export function warmUp(kind: i32, period: i32): i32 {
  return kind == KIND_RSI || kind == KIND_ROC ? period + 1 : period;
}

/** Whether `kind` names an indicator. */
export function validKind(kind: i32): bool {
  return kind >= KIND_SMA && kind <= KIND_MIN;
}

/** Back to the state right after creation (kind, period, multiplier and ring pointer kept). */
export function clear(s: Indicator): void {
  s.count = 0;
  s.head = 0;
  s.run = 0;
  s.size = 0;
  s.seq = 0;
  s.shift = 0;
  s.s1 = 0;
  s.c1 = 0;
  s.s2 = 0;
  s.c2 = 0;
  s.last = 0;
  s.a = 0;
  s.b = 0;
  s.value = NaN;
  s.upper = NaN;
  s.lower = NaN;
}
