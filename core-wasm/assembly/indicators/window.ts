// Windowed statistics over the last n inputs (SMA, Bollinger bands, z-score), O(1) per update.
//
// Sums are taken about a centre `shift` with Neumaier compensation. A value's term is computed
// from the same bits when it enters and when it leaves, so the running sums equal the (nearly
// exact) sums of the current window's terms; each full turn of the ring recomputes them about
// the window's mean, so a trending series never drifts away from its centre. A window whose n
// inputs are all equal is detected exactly (run length): its deviation is 0 and its mean is the
// input itself.
import { Indicator } from "./state";

// @ts-ignore: decorator
@inline
function neumaier(p: usize, v: f64): void {
  const sum = load<f64>(p);
  const t = sum + v;
  const c = Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
  store<f64>(p, t);
  store<f64>(p, load<f64>(p, 8) + c, 8);
}

// @ts-ignore: decorator
@inline
function sumsPtr(s: Indicator): usize {
  return changetype<usize>(s) + offsetof<Indicator>("s1");
}

/** Recomputes the sums about the window's mean (n loads; once per n updates). */
function recentre(s: Indicator): void {
  const n = <usize>s.period;
  const ring = s.ring;
  let sum: f64 = 0;
  let comp: f64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const v = load<f64>(ring + (i << 3));
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  const centre = (sum + comp) / <f64>n;
  s.shift = centre;
  s.s1 = 0;
  s.c1 = 0;
  s.s2 = 0;
  s.c2 = 0;
  const p = sumsPtr(s);
  for (let i: usize = 0; i < n; i++) {
    const d = load<f64>(ring + (i << 3)) - centre;
    neumaier(p, d);
    neumaier(p + 16, d * d);
  }
}

/** Adds x to the window (dropping the oldest input once full). */
export function windowPush(s: Indicator, x: f64): void {
  const n = s.period;
  if (s.count > 0 && x == s.last) {
    if (s.run < n) s.run++;
  } else {
    s.run = 1;
  }
  s.last = x;
  const p = sumsPtr(s);
  if (s.count < n) {
    if (s.count == 0) s.shift = x;
    store<f64>(s.ring + (<usize>s.count << 3), x);
    s.count++;
    const d = x - s.shift;
    neumaier(p, d);
    neumaier(p + 16, d * d);
    if (s.count == n) recentre(s);
    return;
  }
  const slot = s.ring + (<usize>s.head << 3);
  const old = load<f64>(slot);
  store<f64>(slot, x);
  if (++s.head == n) {
    s.head = 0;
    recentre(s);
    return;
  }
  const d = x - s.shift;
  const o = old - s.shift;
  neumaier(p, d);
  neumaier(p, -o);
  neumaier(p + 16, d * d);
  neumaier(p + 16, -(o * o));
}

/** Mean of the full window. */
// @ts-ignore: decorator
@inline
export function windowMean(s: Indicator): f64 {
  if (s.run >= s.period) return s.last;
  return s.shift + (s.s1 + s.c1) / <f64>s.period;
}

/** Population standard deviation of the full window (0 for a flat window). */
// @ts-ignore: decorator
@inline
export function windowStd(s: Indicator): f64 {
  if (s.run >= s.period) return 0;
  const n = <f64>s.period;
  const m = (s.s1 + s.c1) / n;
  const variance = (s.s2 + s.c2) / n - m * m;
  return variance > 0 ? Math.sqrt(variance) : 0;
}

// @ts-ignore: decorator
@inline
export function smaStep(s: Indicator, x: f64): f64 {
  windowPush(s, x);
  if (s.count < s.period) return NaN;
  return (s.value = windowMean(s));
}

// @ts-ignore: decorator
@inline
export function bollingerStep(s: Indicator, x: f64): f64 {
  windowPush(s, x);
  if (s.count < s.period) return NaN;
  const middle = windowMean(s);
  const band = windowStd(s) * s.multiplier;
  s.upper = middle + band;
  s.lower = middle - band;
  return (s.value = middle);
}

/** (x - mean) / std over the window including x; 0 when the deviation is 0. */
// @ts-ignore: decorator
@inline
export function zscoreStep(s: Indicator, x: f64): f64 {
  windowPush(s, x);
  if (s.count < s.period) return NaN;
  const std = windowStd(s);
  return (s.value = std > 0 ? (x - windowMean(s)) / std : 0);
}
