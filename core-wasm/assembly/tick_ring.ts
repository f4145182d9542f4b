// Per-symbol tick rings for the L1 cache: one block of linear memory per ring, a header and
// `capacity` fixed-size slots, FIFO eviction when full, and expiry by insert time. The host reads
// the slots straight from memory (core-wasm/tick_ring.ts mirrors the layout below), so only
// writes and expiry cross the boundary.
//
// Insert times never decrease within a ring (a clock that steps back is clamped to the newest
// insert time; backfilled entries take the oldest entry's time), so expired entries are always a
// prefix starting at the oldest slot.

// Header (32 bytes).
const H_CAPACITY: usize = 0; // i32 slots
const H_COUNT: usize = 4; // i32 live entries
const H_NEXT: usize = 8; // i32 slot the next push writes
const H_TTL: usize = 16; // f64 ms an entry lives after its insert time
/** Bytes before the first slot. */
export const TICK_RING_HEADER: usize = 32;

// Slot (40 bytes, 8-aligned).
const F_TS_EVENT: usize = 0; // i64 ns
const F_PRICE: usize = 8; // i64 fixed 1e-9
const F_TS_RECV: usize = 16; // i64 ns
const F_INSERTED: usize = 24; // f64 ms on the host's clock
const F_SIZE: usize = 32; // u32
const F_EXCHANGE: usize = 36; // u16 index into the host's exchange table
const F_SIDE: usize = 38; // u8 char code 'A' / 'B' / 'N'
/** Bytes per slot. */
export const TICK_SLOT_BYTES: usize = 40;

/** Largest capacity a ring accepts (160 MiB of slots). */
export const MAX_TICK_RING_CAPACITY: i32 = 1 << 22;

// @ts-ignore: decorator
@inline function slotAt(ring: usize, index: i32): usize {
  return ring + TICK_RING_HEADER + <usize>index * TICK_SLOT_BYTES;
}

// @ts-ignore: decorator
@inline function writeSlot(
  slot: usize,
  tsEvent: i64,
  price: i64,
  tsRecv: i64,
  size: u32,
  tag: i32,
  inserted: f64,
): void {
  store<i64>(slot, tsEvent, F_TS_EVENT);
  store<i64>(slot, price, F_PRICE);
  store<i64>(slot, tsRecv, F_TS_RECV);
  store<f64>(slot, inserted, F_INSERTED);
  store<u32>(slot, size, F_SIZE);
  store<u16>(slot, <u16>(tag >>> 8), F_EXCHANGE);
  store<u8>(slot, <u8>tag, F_SIDE);
  store<u8>(slot, 0, F_SIDE + 1);
}

/**
 * Creates a ring of `capacity` slots whose entries live `ttlMs` after insertion (Infinity: no
 * expiry). Returns its pointer, or 0 for a capacity outside [1, MAX_TICK_RING_CAPACITY] or a TTL
 * that is not > 0.
 */
export function tickRingNew(capacity: i32, ttlMs: f64): usize {
  if (capacity < 1 || capacity > MAX_TICK_RING_CAPACITY || !(ttlMs > 0)) return 0;
  const ring = heap.alloc(TICK_RING_HEADER + <usize>capacity * TICK_SLOT_BYTES);
  store<i32>(ring, capacity, H_CAPACITY);
  store<i32>(ring, 0, H_COUNT);
  store<i32>(ring, 0, H_NEXT);
  store<i32>(ring, 0, 12);
  store<f64>(ring, ttlMs, H_TTL);
  store<i64>(ring, 0, 24);
  return ring;
}

/** Frees a ring created by tickRingNew. */
export function tickRingFree(ring: usize): void {
  heap.free(ring);
}

/** Forgets every entry. */
export function tickRingClear(ring: usize): void {
  store<i32>(ring, 0, H_COUNT);
  store<i32>(ring, 0, H_NEXT);
}

/**
 * Appends one tick as the newest entry, evicting the oldest when full. `tag` packs the exchange
 * index (bits 8-23) and the side char code (bits 0-7). Returns the slot's address.
 */
export function tickRingPush(
  ring: usize,
  tsEvent: i64,
  price: i64,
  tsRecv: i64,
  size: u32,
  tag: i32,
  nowMs: f64,
): usize {
  const capacity = load<i32>(ring, H_CAPACITY);
  const count = load<i32>(ring, H_COUNT);
  const next = load<i32>(ring, H_NEXT);
  let inserted = nowMs;
  if (count > 0) {
    const newest = load<f64>(slotAt(ring, next == 0 ? capacity - 1 : next - 1), F_INSERTED);
    if (inserted < newest) inserted = newest;
  }
  const slot = slotAt(ring, next);
  writeSlot(slot, tsEvent, price, tsRecv, size, tag, inserted);
  store<i32>(ring, next + 1 == capacity ? 0 : next + 1, H_NEXT);
  if (count < capacity) store<i32>(ring, count + 1, H_COUNT);
  return slot;
}

/**
 * Drops the entries that expired by `nowMs` (older than the TTL by insert time) and returns the
 * number of live entries.
 */
export function tickRingLive(ring: usize, nowMs: f64): i32 {
  const capacity = load<i32>(ring, H_CAPACITY);
  const ttl = load<f64>(ring, H_TTL);
  const next = load<i32>(ring, H_NEXT);
  let count = load<i32>(ring, H_COUNT);
  while (count > 0) {
    let oldest = next - count;
    if (oldest < 0) oldest += capacity;
    if (!(nowMs - load<f64>(slotAt(ring, oldest), F_INSERTED) > ttl)) break;
    count--;
  }
  store<i32>(ring, count, H_COUNT);
  return count;
}

/**
 * Inserts one tick as the oldest entry (backfill from an older source) when the ring has room
 * after expiry; it takes the insert time of the current oldest entry (or `nowMs` when empty) so it
 * never outlives newer entries. Returns the slot's address, or 0 when the ring is full.
 */
export function tickRingPrepend(
  ring: usize,
  tsEvent: i64,
  price: i64,
  tsRecv: i64,
  size: u32,
  tag: i32,
  nowMs: f64,
): usize {
  const count = tickRingLive(ring, nowMs);
  const capacity = load<i32>(ring, H_CAPACITY);
  if (count >= capacity) return 0;
  const next = load<i32>(ring, H_NEXT);
  let index = next - count - 1;
  if (index < 0) index += capacity;
  let inserted = nowMs;
  if (count > 0) {
    const oldest = load<f64>(slotAt(ring, index + 1 == capacity ? 0 : index + 1), F_INSERTED);
    if (oldest < inserted) inserted = oldest;
  }
  const slot = slotAt(ring, index);
  writeSlot(slot, tsEvent, price, tsRecv, size, tag, inserted);
  store<i32>(ring, count + 1, H_COUNT);
  return slot;
}
