// Rate of change over n inputs and rolling extremes (monotonic deque, amortised O(1)).
import { Indicator } from "./state";

/** (x - x[t-n]) / x[t-n], like trading-signals' ROC. */
// @ts-ignore: decorator
@inline
export function rocStep(s: Indicator, x: f64): f64 {
  const n = s.period;
  if (s.count < n) {
    store<f64>(s.ring + (<usize>s.count << 3), x);
    s.count++;
    return NaN;
  }
  const slot = s.ring + (<usize>s.head << 3);
  const base = load<f64>(slot);
  store<f64>(slot, x);
  if (++s.head == n) s.head = 0;
  s.count = s.warm;
  return (s.value = (x - base) / base);
}

/** Highest (isMax) or lowest input of the last n. */
// @ts-ignore: decorator
@inline
export function extremeStep(s: Indicator, x: f64, isMax: bool): f64 {
  const n = <u32>s.period;
  const values = s.ring;
  const seqs = s.ring + (<usize>n << 3);
  const seq = s.seq;
  // Entries the new input dominates can never be the extreme again.
  while (s.size > 0) {
    const back = (<u32>s.head + <u32>s.size - 1) % n;
    const v = load<f64>(values + (<usize>back << 3));
    if (isMax ? v <= x : v >= x) s.size--;
    else break;
  }
  // Entries older than the window leave from the front (sequence numbers wrap; the age does not).
  while (s.size > 0 && seq - load<u32>(seqs + (<usize>s.head << 2)) >= n) {
    s.head = <i32>((<u32>s.head + 1) % n);
    s.size--;
  }
  const at = (<u32>s.head + <u32>s.size) % n;
  store<f64>(values + (<usize>at << 3), x);
  store<u32>(seqs + (<usize>at << 2), seq);
  s.size++;
  s.seq = seq + 1;
  if (s.count < s.warm) s.count++;
  if (s.count < s.warm) return NaN;
  return (s.value = load<f64>(values + (<usize>s.head << 3)));
}
