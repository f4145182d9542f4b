// Tick rings in core memory: FIFO eviction, expiry on an injected clock, backfill at the oldest
// end, independent rings, and reads that stay right after the core's memory grows.
import assert from "node:assert/strict";
import { core } from "./_instance.ts";
import { MAX_TICK_RING_CAPACITY, type RingTickFields, TickRing, tickTag } from "./tick_ring.ts";

const A = "A".charCodeAt(0);
const B = "B".charCodeAt(0);
const N = "N".charCodeAt(0);

function tick(i: number): RingTickFields {
  return {
    tsEvent: 1_700_000_000_000_000_000n + BigInt(i),
    price: 42_150_250_000_000n + BigInt(i),
    tsRecv: 1_700_000_000_000_000_500n + BigInt(i),
    size: i,
  };
}

/** A settable clock in ms. */
function manualClock(start = 0): { now: () => number; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

function ages(ring: TickRing): number[] {
  const out: number[] = [];
  const live = ring.live();
  for (let age = live - 1; age >= 0; age--) out.push(ring.at(age).size);
  return out;
}

Deno.test("TickRing keeps the newest `capacity` ticks, oldest evicted first", () => {
  using ring = new TickRing({ capacity: 3, ttlMs: Infinity });
  assert.equal(ring.latest(), undefined);
  assert.equal(ring.live(), 0);
  for (let i = 1; i <= 5; i++) ring.push(tick(i), tickTag(B, 0));
  assert.equal(ring.live(), 3);
  assert.deepEqual(ages(ring), [3, 4, 5]);
  assert.equal(ring.latest()?.size, 5);
  for (let i = 6; i <= 7; i++) ring.push(tick(i), tickTag(B, 0));
  assert.deepEqual(ages(ring), [5, 6, 7]);
});

Deno.test("TickRing returns every slot field exactly, at the edges of their ranges", () => {
  using ring = new TickRing({ capacity: 4, ttlMs: Infinity });
  const edge = {
    tsEvent: 2n ** 63n - 1n,
    price: -(2n ** 63n),
    tsRecv: 0n,
    size: 2 ** 32 - 1,
  };
  ring.push(edge, tickTag(A, 0xffff));
  const slot = ring.latest()!;
  assert.equal(slot.tsEvent, edge.tsEvent);
  assert.equal(slot.price, edge.price);
  assert.equal(slot.tsRecv, edge.tsRecv);
  assert.equal(slot.size, edge.size);
  assert.equal(slot.sideCode, A);
  assert.equal(slot.exchangeIndex, 0xffff);
  ring.push(tick(9), tickTag(N, 7));
  const newest = ring.latest()!;
  assert.deepEqual(
    [
      newest.tsEvent,
      newest.price,
      newest.tsRecv,
      newest.size,
      newest.sideCode,
      newest.exchangeIndex,
    ],
    [tick(9).tsEvent, tick(9).price, tick(9).tsRecv, 9, N, 7],
  );
});

Deno.test("TickRing hides entries older than the TTL by insert time on the injected clock", () => {
  const clock = manualClock(1_000);
  using ring = new TickRing({ capacity: 10, ttlMs: 1_000, clock: clock.now });
  ring.push(tick(1), tickTag(B, 0));
  clock.set(1_500);
  ring.push(tick(2), tickTag(B, 0));
  clock.set(2_000); // tick 1 is exactly ttl old: still live
  assert.equal(ring.live(), 2);
  clock.set(2_001);
  assert.equal(ring.live(), 1);
  assert.deepEqual(ages(ring), [2]);
  assert.equal(ring.latest()?.size, 2);
  clock.set(2_501);
  assert.equal(ring.latest(), undefined);
  assert.equal(ring.live(), 0);
});

Deno.test("TickRing clamps a clock that steps back, so expiry stays oldest first", () => {
  const clock = manualClock(5_000);
  using ring = new TickRing({ capacity: 10, ttlMs: 100, clock: clock.now });
  ring.push(tick(1), tickTag(B, 0));
  clock.set(4_000);
  ring.push(tick(2), tickTag(B, 0));
  assert.equal(ring.latest()!.insertedMs, 5_000);
  clock.set(5_101);
  assert.equal(ring.live(), 0);
});

Deno.test("TickRing.prepend() backfills at the oldest end while there is room", () => {
  const clock = manualClock(0);
  using ring = new TickRing({ capacity: 4, ttlMs: 1_000, clock: clock.now });
  ring.push(tick(10), tickTag(B, 0));
  ring.push(tick(11), tickTag(B, 0));
  clock.set(600);
  assert.equal(ring.prepend(tick(9), tickTag(A, 1)), true);
  assert.equal(ring.prepend(tick(8), tickTag(A, 1)), true);
  assert.equal(ring.prepend(tick(7), tickTag(A, 1)), false);
  assert.deepEqual(ages(ring), [8, 9, 10, 11]);
  assert.equal(ring.at(3).sideCode, A);
  assert.equal(ring.at(3).exchangeIndex, 1);
  assert.equal(ring.latest()?.size, 11);
  // Backfilled entries take the oldest entry's insert time: they expire with it.
  clock.set(1_001);
  assert.equal(ring.live(), 0);
});

Deno.test("TickRing.prepend() into an empty ring makes the entry the newest", () => {
  using ring = new TickRing({ capacity: 2, ttlMs: Infinity });
  assert.equal(ring.prepend(tick(3), tickTag(B, 0)), true);
  assert.equal(ring.latest()?.size, 3);
  ring.push(tick(4), tickTag(B, 0));
  assert.deepEqual(ages(ring), [3, 4]);
});

Deno.test("TickRing instances are independent", () => {
  using a = new TickRing({ capacity: 2, ttlMs: Infinity });
  using b = new TickRing({ capacity: 5, ttlMs: Infinity });
  for (let i = 0; i < 4; i++) a.push(tick(i), tickTag(B, 1));
  b.push(tick(100), tickTag(A, 2));
  assert.deepEqual(ages(a), [2, 3]);
  assert.deepEqual(ages(b), [100]);
  a.clear();
  assert.equal(a.live(), 0);
  assert.equal(b.latest()?.exchangeIndex, 2);
});

Deno.test("TickRing reads stay right after the core's memory grows under cached views", () => {
  using ring = new TickRing({ capacity: 8, ttlMs: Infinity });
  ring.push(tick(1), tickTag(B, 3));
  assert.equal(ring.latest()?.size, 1); // views taken over the current buffer
  const before = core.memory.buffer;
  const others: TickRing[] = [];
  try {
    while (core.memory.buffer === before) {
      const other = new TickRing({ capacity: 50_000, ttlMs: Infinity });
      other.push(tick(others.length), tickTag(A, 0));
      others.push(other);
    }
    assert.equal(before.byteLength, 0, "the old buffer is detached");
    ring.push(tick(2), tickTag(N, 4));
    const latest = ring.latest()!;
    assert.deepEqual([latest.size, latest.sideCode, latest.exchangeIndex], [2, N, 4]);
    assert.equal(latest.price, tick(2).price);
    others.forEach((other, i) => assert.equal(other.latest()?.size, i));
  } finally {
    for (const other of others) other.free();
  }
});

Deno.test("TickRing rejects a bad capacity or TTL and any use after free()", () => {
  assert.throws(() => new TickRing({ capacity: 0, ttlMs: 1 }), RangeError);
  assert.throws(() => new TickRing({ capacity: 1.5, ttlMs: 1 }), RangeError);
  assert.throws(
    () => new TickRing({ capacity: MAX_TICK_RING_CAPACITY + 1, ttlMs: 1 }),
    RangeError,
  );
  assert.throws(() => new TickRing({ capacity: 1, ttlMs: 0 }), RangeError);
  assert.throws(() => new TickRing({ capacity: 1, ttlMs: NaN }), RangeError);
  const ring = new TickRing({ capacity: 1, ttlMs: 1 });
  ring.free();
  ring.free();
  assert.throws(() => ring.latest(), TypeError);
  assert.throws(() => ring.push(tick(1), tickTag(B, 0)), TypeError);
});

Deno.test("TickRing.at() rejects an age outside the live entries", () => {
  using ring = new TickRing({ capacity: 3, ttlMs: Infinity });
  ring.push(tick(1), tickTag(B, 0));
  assert.throws(() => ring.at(1), RangeError);
  assert.throws(() => ring.at(-1), RangeError);
});
