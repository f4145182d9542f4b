// Bar aggregation over trade columns: one pass, state in a host-owned block of i64 slots, returns
// to the host only when something needs JavaScript (a bar closed, a strategy event is due, or a
// tick crosses the stop band of resting orders). The same kernel serves history (ticks close
// bars) and real time (a clock closes bars through barsCloseDue), so both give the same events.

// State slots (i64 each). The host (core-wasm/bars.ts) mirrors this table.
const S_KIND: i32 = 0; // 0 time bars, 1 tick bars
const S_SPAN: i32 = 1; // ns per bar, or ticks per bar
const S_OFFSET: i32 = 2; // alignment offset of time buckets, ns
const S_MODE: i32 = 3; // 0 each tick, 1 price move, 2 close bar
const S_HAS_BAR: i32 = 4;
const S_START: i32 = 5;
const S_END: i32 = 6;
const S_OPEN: i32 = 7;
const S_HIGH: i32 = 8;
const S_LOW: i32 = 9;
const S_CLOSE: i32 = 10;
const S_VOLUME: i32 = 11;
const S_COUNT: i32 = 12;
const S_EMITTED_UNTIL: i32 = 13; // end of the last bar handed out (0: none yet)
const S_HAS_LAST: i32 = 14;
const S_LAST: i32 = 15; // last tick price ever
const S_STOP_LO: i32 = 16; // return CROSS when price <= this
const S_STOP_HI: i32 = 17; // return CROSS when price >= this
const S_EVENTS: i32 = 18; // bitmask of the last return
const S_RESUME: i32 = 19; // index to continue from
const S_AT: i32 = 20; // index of the tick the events refer to
const S_SKIP_CROSS: i32 = 21; // index whose cross was already reported
// The bar just closed (real): start, end, o, h, l, c, volume, count.
const S_C_START: i32 = 22;
const S_C_END: i32 = 23;
const S_C_OPEN: i32 = 24;
const S_C_HIGH: i32 = 25;
const S_C_LOW: i32 = 26;
const S_C_CLOSE: i32 = 27;
const S_C_VOLUME: i32 = 28;
const S_C_COUNT: i32 = 29;
const S_SYN_COUNT: i32 = 30; // synthetic bars after it
const S_SYN_START: i32 = 31; // start of the first synthetic bar
const S_SYN_PRICE: i32 = 32; // their O=H=L=C
const S_TICKS: i32 = 33; // ticks consumed in total

/** Slots in a state block. */
export const BAR_STATE_SLOTS: i32 = 40;

// Event bits.
const EV_CLOSED_BEFORE: i64 = 1; // bars closed before tick `at` (not consumed); see S_C_*, S_SYN_*
const EV_CROSS: i64 = 2; // tick `at` crosses the stop band (not consumed)
const EV_TICK: i64 = 4; // tick `at` consumed; a tick event is due
const EV_CLOSED_AFTER: i64 = 8; // tick `at` consumed and completed a tick bar; see S_C_*

const MODE_EACH_TICK: i64 = 0;
const MODE_PRICE_MOVE: i64 = 1;
const MODE_CLOSE_BAR: i64 = 2;

// @ts-ignore: decorator
@inline function slot(state: usize, i: i32): i64 {
  return load<i64>(state + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function put(state: usize, i: i32, v: i64): void {
  store<i64>(state + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline function bucketOf(t: i64, span: i64, offset: i64): i64 {
  let r = (t - offset) % span;
  if (r < 0) r += span;
  return t - r;
}

/** Moves the open bar into the closed slots. */
function closeOpenBar(state: usize, end: i64): void {
  put(state, S_C_START, slot(state, S_START));
  put(state, S_C_END, end);
  put(state, S_C_OPEN, slot(state, S_OPEN));
  put(state, S_C_HIGH, slot(state, S_HIGH));
  put(state, S_C_LOW, slot(state, S_LOW));
  put(state, S_C_CLOSE, slot(state, S_CLOSE));
  put(state, S_C_VOLUME, slot(state, S_VOLUME));
  put(state, S_C_COUNT, slot(state, S_COUNT));
  put(state, S_HAS_BAR, 0);
}

/**
 * Closes, as of time `now`, the open time bar if its interval ended (events EV_CLOSED_BEFORE with
 * a real bar) and counts the empty intervals since the last bar handed out (synthetic bars).
 * Returns the event bits (0: nothing closed). Tick bars never close by time.
 */
function closeUntil(state: usize, now: i64): i64 {
  if (slot(state, S_KIND) != 0) return 0;
  const span = slot(state, S_SPAN);
  const bucket = bucketOf(now, span, slot(state, S_OFFSET));
  let events: i64 = 0;
  let from = slot(state, S_EMITTED_UNTIL);
  put(state, S_SYN_COUNT, 0);
  if (slot(state, S_HAS_BAR) != 0) {
    const end = slot(state, S_END);
    if (now < end) return 0;
    closeOpenBar(state, end);
    events = EV_CLOSED_BEFORE;
    from = end;
    put(state, S_EMITTED_UNTIL, end);
  } else {
    put(state, S_C_COUNT, 0);
  }
  if (from > 0 && slot(state, S_HAS_LAST) != 0 && bucket > from) {
    put(state, S_SYN_COUNT, (bucket - from) / span);
    put(state, S_SYN_START, from);
    put(state, S_SYN_PRICE, slot(state, S_LAST));
    put(state, S_EMITTED_UNTIL, bucket);
    events = EV_CLOSED_BEFORE;
  }
  return events;
}

/** Real-time clock: closes what is due at `now` (ns). Returns the event bits. */
export function barsCloseDue(state: usize, now: i64): i64 {
  const events = closeUntil(state, now);
  put(state, S_EVENTS, events);
  return events;
}

/**
 * Aggregates ticks [from, to) of the columns `ts` (u64), `price` (i64), `size` (u32) until
 * something needs the host. Returns the event bits (0: every tick consumed); S_AT is the tick the
 * events refer to and S_RESUME where to continue.
 */
export function barsRun(
  state: usize,
  ts: usize,
  price: usize,
  size: usize,
  from: i32,
  to: i32,
): i64 {
  const kind = slot(state, S_KIND);
  const span = slot(state, S_SPAN);
  const offset = slot(state, S_OFFSET);
  const mode = slot(state, S_MODE);
  const stopLo = slot(state, S_STOP_LO);
  const stopHi = slot(state, S_STOP_HI);
  const skip = <i32>slot(state, S_SKIP_CROSS);
  let hasBar = slot(state, S_HAS_BAR);
  let end = slot(state, S_END);
  let high = slot(state, S_HIGH);
  let low = slot(state, S_LOW);
  let volume = slot(state, S_VOLUME);
  let count = slot(state, S_COUNT);
  let last = slot(state, S_LAST);
  let hasLast = slot(state, S_HAS_LAST);
  let ticks = slot(state, S_TICKS);
  let events: i64 = 0;
  let i = from;
  for (; i < to; i++) {
    const t = load<i64>(ts + (<usize>i << 3));
    const p = load<i64>(price + (<usize>i << 3));
    if (kind == 0) {
      if (hasBar != 0 ? t >= end : slot(state, S_EMITTED_UNTIL) > 0 &&
          bucketOf(t, span, offset) > slot(state, S_EMITTED_UNTIL)) {
        put(state, S_HIGH, high);
        put(state, S_LOW, low);
        put(state, S_CLOSE, last);
        put(state, S_HAS_BAR, hasBar);
        put(state, S_END, end);
        put(state, S_LAST, last);
        put(state, S_HAS_LAST, hasLast);
        put(state, S_VOLUME, volume);
        put(state, S_COUNT, count);
        events = closeUntil(state, t);
        hasBar = 0;
        break;
      }
    }
    if (hasBar == 0) {
      hasBar = 1;
      // A late tick (before the last bar handed out) opens the next interval, never a past one.
      const emitted = slot(state, S_EMITTED_UNTIL);
      put(state, S_START, kind == 0 ? bucketOf(t > emitted ? t : emitted, span, offset) : t);
      end = kind == 0 ? slot(state, S_START) + span : t;
      put(state, S_OPEN, p);
      high = p;
      low = p;
      volume = 0;
      count = 0;
    }
    if (mode == MODE_CLOSE_BAR) {
      // Fast path: no tick events are due, so consume every tick that neither ends the bar
      // (its time, or for tick bars its Nth tick, left to the general path) nor crosses the band.
      const lim = kind != 0 ? min<i64>(<i64>to, <i64>i + span - count - 1) : <i64>to;
      let k = i;
      while (<i64>k < lim) {
        const tk = load<i64>(ts + (<usize>k << 3));
        if (kind == 0 && tk >= end) break;
        const pk = load<i64>(price + (<usize>k << 3));
        if ((pk <= stopLo || pk >= stopHi) && k != skip) break;
        high = pk > high ? pk : high;
        low = pk < low ? pk : low;
        volume += <i64>load<u32>(size + (<usize>k << 2));
        last = pk;
        if (kind != 0) end = tk;
        k++;
      }
      if (k > i) {
        count += <i64>(k - i);
        ticks += <i64>(k - i);
        hasLast = 1;
        i = k - 1;
        continue;
      }
    }
    if ((p <= stopLo || p >= stopHi) && i != skip) {
      events = EV_CROSS;
      break;
    }
    if (p > high) high = p;
    if (p < low) low = p;
    volume += <i64>load<u32>(size + (<usize>i << 2));
    count++;
    ticks++;
    const moved = hasLast == 0 || p != last;
    last = p;
    hasLast = 1;
    if (kind != 0) end = t;
    if (mode == MODE_EACH_TICK || (mode == MODE_PRICE_MOVE && moved)) events = EV_TICK;
    if (kind != 0 && count >= span) {
      put(state, S_CLOSE, p);
      put(state, S_END, end);
      put(state, S_HIGH, high);
      put(state, S_LOW, low);
      put(state, S_VOLUME, volume);
      put(state, S_COUNT, count);
      closeOpenBar(state, end);
      put(state, S_EMITTED_UNTIL, end);
      put(state, S_SYN_COUNT, 0);
      hasBar = 0;
      events |= EV_CLOSED_AFTER;
    }
    if (events != 0) {
      if (hasBar != 0) put(state, S_CLOSE, p);
      put(state, S_AT, i);
      put(state, S_RESUME, i + 1);
      i = -1;
      break;
    }
  }
  if (i >= 0) {
    // Stopped before consuming tick i (a close or a cross), or consumed everything.
    put(state, S_AT, i);
    put(state, S_RESUME, i);
    if (hasBar != 0 && count > 0) put(state, S_CLOSE, last);
  }
  put(state, S_HAS_BAR, hasBar);
  put(state, S_END, end);
  put(state, S_HIGH, high);
  put(state, S_LOW, low);
  put(state, S_VOLUME, volume);
  put(state, S_COUNT, count);
  put(state, S_LAST, last);
  put(state, S_HAS_LAST, hasLast);
  put(state, S_TICKS, ticks);
  put(state, S_EVENTS, events);
  return events;
}
