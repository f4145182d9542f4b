// Streaming indicator kernels: one block of linear memory per indicator (see state.ts), a
// single-step update for once-per-bar use and batch updates over f64 columns (NaN before warm-up).
import {
  clear,
  Indicator,
  KIND_ATR,
  KIND_BOLLINGER,
  KIND_EMA,
  KIND_MAX,
  KIND_MIN,
  KIND_ROC,
  KIND_RSI,
  KIND_SMA,
  KIND_ZSCORE,
  MAX_PERIOD,
  ringBytes,
  validKind,
  warmUp,
} from "./state";
import { bollingerStep, smaStep, zscoreStep } from "./window";
import { atrStep, emaStep, rsiStep } from "./smoothing";
import { extremeStep, rocStep } from "./rolling";

// @ts-ignore: decorator
@inline
function state(ptr: usize): Indicator {
  return changetype<Indicator>(ptr);
}

/**
 * Creates an indicator of `kind` over `period` inputs (`multiplier`: Bollinger's k, else ignored).
 * Returns its pointer, or 0 for an unknown kind, a period outside [1, MAX_PERIOD] or a k that is
 * not a finite number >= 0.
 */
export function indicatorNew(kind: i32, period: i32, multiplier: f64): usize {
  if (!validKind(kind) || period < 1 || period > MAX_PERIOD) return 0;
  if (kind == KIND_BOLLINGER && !(isFinite(multiplier) && multiplier >= 0)) return 0;
  const header = (offsetof<Indicator>() + 15) & ~15;
  const ptr = heap.alloc(header + ringBytes(kind, period));
  const s = state(ptr);
  s.kind = kind;
  s.period = period;
  s.warm = warmUp(kind, period);
  s.multiplier = kind == KIND_EMA ? 2 / (<f64>period + 1) : multiplier;
  s.ring = ptr + header;
  clear(s);
  return ptr;
}

/** Frees an indicator created by indicatorNew. */
export function indicatorFree(ptr: usize): void {
  heap.free(ptr);
}

/** Forgets every input. */
export function indicatorReset(ptr: usize): void {
  clear(state(ptr));
}

/** Adds one input; returns the main value (NaN before warm-up). ATR takes x as high, low and close. */
export function indicatorUpdate(ptr: usize, x: f64): f64 {
  const s = state(ptr);
  switch (s.kind) {
    case KIND_SMA:
      return smaStep(s, x);
    case KIND_EMA:
      return emaStep(s, x);
    case KIND_RSI:
      return rsiStep(s, x);
    case KIND_BOLLINGER:
      return bollingerStep(s, x);
    case KIND_ATR:
      return atrStep(s, x, x, x);
    case KIND_ZSCORE:
      return zscoreStep(s, x);
    case KIND_ROC:
      return rocStep(s, x);
    case KIND_MAX:
      return extremeStep(s, x, true);
    case KIND_MIN:
      return extremeStep(s, x, false);
  }
  return NaN;
}

/** Adds one bar to an ATR; returns the ATR (NaN before warm-up). */
export function indicatorUpdateHlc(ptr: usize, high: f64, low: f64, close: f64): f64 {
  const s = state(ptr);
  if (s.kind != KIND_ATR) return indicatorUpdate(ptr, close);
  return atrStep(s, high, low, close);
}

// @ts-ignore: decorator
@inline
function at(column: usize, i: i32): usize {
  return column + (<usize>i << 3);
}

/**
 * Adds n inputs from `values`, writing each main value to `out` (may be `values` itself: each
 * input is read before its output is written). ATR takes each input as high, low and close.
 */
export function indicatorUpdateMany(ptr: usize, values: usize, out: usize, n: i32): void {
  const s = state(ptr);
  const kind = s.kind;
  if (kind == KIND_SMA) {
    for (let i = 0; i < n; i++) store<f64>(at(out, i), smaStep(s, load<f64>(at(values, i))));
  } else if (kind == KIND_EMA) {
    for (let i = 0; i < n; i++) store<f64>(at(out, i), emaStep(s, load<f64>(at(values, i))));
  } else if (kind == KIND_RSI) {
    for (let i = 0; i < n; i++) store<f64>(at(out, i), rsiStep(s, load<f64>(at(values, i))));
  } else if (kind == KIND_ZSCORE) {
    for (let i = 0; i < n; i++) store<f64>(at(out, i), zscoreStep(s, load<f64>(at(values, i))));
  } else if (kind == KIND_ROC) {
    for (let i = 0; i < n; i++) store<f64>(at(out, i), rocStep(s, load<f64>(at(values, i))));
  } else if (kind == KIND_MAX) {
    for (let i = 0; i < n; i++) {
      store<f64>(at(out, i), extremeStep(s, load<f64>(at(values, i)), true));
    }
  } else if (kind == KIND_MIN) {
    for (let i = 0; i < n; i++) {
      store<f64>(at(out, i), extremeStep(s, load<f64>(at(values, i)), false));
    }
  } else {
    for (let i = 0; i < n; i++) store<f64>(at(out, i), indicatorUpdate(ptr, load<f64>(at(values, i))));
  }
}

/** Adds n inputs to Bollinger bands, writing the three bands (NaN before warm-up). */
export function indicatorUpdateBands(
  ptr: usize,
  values: usize,
  middle: usize,
  upper: usize,
  lower: usize,
  n: i32,
): void {
  const s = state(ptr);
  for (let i = 0; i < n; i++) {
    const m = bollingerStep(s, load<f64>(at(values, i)));
    const ready = s.count >= s.period;
    store<f64>(at(middle, i), m);
    store<f64>(at(upper, i), ready ? s.upper : NaN);
    store<f64>(at(lower, i), ready ? s.lower : NaN);
  }
}

/** Adds n bars to an ATR from high, low and close columns; `out` may alias `close`. */
export function indicatorUpdateManyHlc(
  ptr: usize,
  high: usize,
  low: usize,
  close: usize,
  out: usize,
  n: i32,
): void {
  const s = state(ptr);
  for (let i = 0; i < n; i++) {
    const v = atrStep(s, load<f64>(at(high, i)), load<f64>(at(low, i)), load<f64>(at(close, i)));
    store<f64>(at(out, i), v);
  }
}

/** The latest main value (NaN before warm-up). */
export function indicatorValue(ptr: usize): f64 {
  return state(ptr).value;
}

/** The latest upper Bollinger band (NaN before warm-up). */
export function indicatorUpper(ptr: usize): f64 {
  return state(ptr).upper;
}

/** The latest lower Bollinger band (NaN before warm-up). */
export function indicatorLower(ptr: usize): f64 {
  return state(ptr).lower;
}

/** 1 once the indicator has had its warm-up inputs, else 0. */
export function indicatorReady(ptr: usize): i32 {
  const s = state(ptr);
  return s.count >= s.warm ? 1 : 0;
}
