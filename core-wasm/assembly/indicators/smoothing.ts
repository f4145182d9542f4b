// Recursive smoothers, arranged to give trading-signals 8.3.0's numbers operation for operation:
// EMA seeded with the first input (reported once n inputs are in), Wilder smoothing (WSMA:
// first value the plain mean of n inputs, then prev + (x - prev) / n) for RSI and ATR.
import { Indicator } from "./state";

// @ts-ignore: decorator
@inline
export function emaStep(s: Indicator, x: f64): f64 {
  const w = s.multiplier;
  const previous = s.count == 0 ? x : s.a;
  s.a = x * w + previous * (1 - w);
  if (s.count < s.warm) s.count++;
  return s.count < s.warm ? NaN : (s.value = s.a);
}

/** Wilder smoothing of `x` into field `a` (sum during warm-up); `k` inputs came before x. */
// @ts-ignore: decorator
@inline
function wilder(average: f64, x: f64, k: i32, n: i32): f64 {
  if (k < n) return average + x; // running sum of the first n inputs
  return (x - average) * (1 / <f64>n) + average;
}

// @ts-ignore: decorator
@inline
export function rsiStep(s: Indicator, x: f64): f64 {
  if (s.count == 0) {
    s.last = x;
    s.count = 1;
    return NaN;
  }
  const n = s.period;
  const k = s.count - 1; // differences seen before this one
  const up = x > s.last;
  const gain = up ? x - s.last : 0;
  const loss = up ? 0 : s.last - x;
  s.last = x;
  s.a = wilder(s.a, gain, k, n);
  s.b = wilder(s.b, loss, k, n);
  if (k + 1 == n) {
    s.a = s.a / <f64>n;
    s.b = s.b / <f64>n;
  }
  if (s.count < s.warm) s.count++;
  if (s.count < s.warm) return NaN;
  if (s.b == 0) return (s.value = 100);
  return (s.value = 100 - 100 / (s.a / s.b + 1));
}

// @ts-ignore: decorator
@inline
export function atrStep(s: Indicator, high: f64, low: f64, close: f64): f64 {
  const range = high - low;
  const tr = s.count == 0
    ? range
    : Math.max(range, Math.max(Math.abs(high - s.last), Math.abs(low - s.last)));
  s.last = close;
  const n = s.period;
  const k = s.count;
  s.a = wilder(s.a, tr, k, n);
  if (k + 1 == n) s.a = s.a / <f64>n;
  if (s.count < s.warm) s.count++;
  return s.count < s.warm ? NaN : (s.value = s.a);
}
