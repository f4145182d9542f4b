// Gaps between stored tick times: edges, sessions (halt, weekend), async batches, and a property
// test against a brute-force scan of every nanosecond on small random inputs.
import assert from "node:assert/strict";
import fc from "fast-check";
import { findGaps, type Gap, GapFinder } from "./gaps.ts";
import { type Interval, openIntervals } from "./sessions.ts";

const gap = (startNs: bigint, endNs: bigint): Gap => ({
  startNs,
  endNs,
  seconds: Number(endNs - startNs) / 1e9,
});
const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const SEC = 1_000_000_000n;

Deno.test("findGaps() finds silences longer than the maximum, edges included", () => {
  const gaps = findGaps([12n, 13n, 30n, 31n, 33n], { startNs: 0n, endNs: 50n, maxGapNs: 5n });
  // [0,12) before the first tick, (13,30) -> [14,30), (33,50) -> [34,50); (31,33) is short
  assert.deepEqual(gaps, [gap(0n, 12n), gap(14n, 30n), gap(34n, 50n)]);
});

Deno.test("findGaps() of a silence exactly maxGap long is no gap, one ns longer is", () => {
  assert.deepEqual(findGaps([0n, 6n], { startNs: 0n, endNs: 7n, maxGapNs: 5n }), []);
  assert.deepEqual(findGaps([0n, 7n], { startNs: 0n, endNs: 8n, maxGapNs: 5n }), [gap(1n, 7n)]);
});

Deno.test("findGaps() with no ticks is the whole range, and nothing for an empty range", () => {
  assert.deepEqual(findGaps([], { startNs: 10n, endNs: 20n, maxGapNs: 0n }), [gap(10n, 20n)]);
  assert.deepEqual(findGaps([], { startNs: 20n, endNs: 20n, maxGapNs: 0n }), []);
});

Deno.test("findGaps() ignores ticks outside the range and repeated times", () => {
  const gaps = findGaps([1n, 5n, 20n, 20n, 20n, 40n, 99n], {
    startNs: 10n,
    endNs: 30n,
    maxGapNs: 3n,
  });
  assert.deepEqual(gaps, [gap(10n, 20n), gap(21n, 30n)]);
});

Deno.test("findGaps() rejects times that go backwards and a negative maximum", () => {
  assert.throws(
    () => findGaps([5n, 3n], { startNs: 0n, endNs: 10n, maxGapNs: 1n }),
    /not ascending/,
  );
  assert.throws(() => new GapFinder({ startNs: 0n, endNs: 1n, maxGapNs: -1n }), /expected >= 0/);
});

Deno.test("findGaps() splits a silence over the futures halt and the weekend into open pieces", () => {
  const open = (from: bigint, to: bigint) => openIntervals("futures", from, to);
  const start = ns("2025-03-11T00:00Z"); // Tuesday, CDT
  const end = ns("2025-03-18T00:00Z");
  const ticks = [
    start,
    ns("2025-03-11T20:58Z"), // 15:58 CDT, then silence over the 16:00-17:00 halt
    ns("2025-03-11T22:01Z"), // 17:01 CDT: only the 1 min after the open is missing
    ns("2025-03-14T20:59:59Z"), // Friday 15:59:59, then the weekend
    ns("2025-03-16T22:00Z"), // Sunday 17:00: the open tick
    end - 1n,
  ];
  const gaps = findGaps(ticks, { startNs: start, endNs: end, maxGapNs: 300n * SEC, open });
  assert.deepEqual(gaps, [
    gap(start + 1n, ns("2025-03-11T20:58Z")), // Tuesday 00:00Z (Monday 19:00 CDT) is in session
    // Tuesday 15:58 -> the halt: 2 minutes (short); 17:00 -> 17:01 short too
    gap(ns("2025-03-11T22:01Z") + 1n, ns("2025-03-12T21:00Z")), // rest of the Tuesday session
    gap(ns("2025-03-12T22:00Z"), ns("2025-03-13T21:00Z")), // Wednesday's session
    gap(ns("2025-03-13T22:00Z"), ns("2025-03-14T20:59:59Z")), // Thursday 17:00 .. the tick
    gap(ns("2025-03-16T22:00Z") + 1n, ns("2025-03-17T21:00Z")), // Monday session
    gap(ns("2025-03-17T22:00Z"), end - 1n), // Monday 17:00 .. the last tick
  ]);
});

Deno.test("findGaps() over an async stream of batches equals the array form", async () => {
  const times = [3n, 4n, 30n, 31n, 70n, 71n, 72n, 99n];
  const options = { startNs: 0n, endNs: 120n, maxGapNs: 10n };
  async function* batches() {
    yield times.slice(0, 3);
    yield [];
    yield times.slice(3);
  }
  assert.deepEqual(await findGaps(batches(), options), findGaps(times, options));
});

/** Every ns t in [start, end) that is open and has no tick; maximal runs longer than max. */
function bruteForce(
  ticks: Set<number>,
  openMask: boolean[],
  start: number,
  end: number,
  max: number,
): Gap[] {
  const out: Gap[] = [];
  let runStart = -1;
  for (let t = start; t <= end; t++) {
    const free = t < end && openMask[t - start]! && !ticks.has(t);
    if (free && runStart < 0) runStart = t;
    if (!free && runStart >= 0) {
      if (t - runStart > max) out.push(gap(BigInt(runStart), BigInt(t)));
      runStart = -1;
    }
  }
  return out;
}

function maskOpen(mask: boolean[], start: number) {
  return (from: bigint, to: bigint): Interval[] => {
    const out: Interval[] = [];
    let runStart = -1;
    for (let t = Number(from); t <= Number(to); t++) {
      const isOpen = t < Number(to) && mask[t - start] === true;
      if (isOpen && runStart < 0) runStart = t;
      if (!isOpen && runStart >= 0) {
        out.push({ startNs: BigInt(runStart), endNs: BigInt(t) });
        runStart = -1;
      }
    }
    return out;
  };
}

Deno.test("findGaps() equals a brute-force scan on small random inputs", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 0, max: 80 }),
      fc.array(fc.integer({ min: -10, max: 140 }), { maxLength: 40 }),
      fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
      fc.integer({ min: 0, max: 12 }),
      fc.boolean(),
      (start, length, rawTicks, mask, max, sessions) => {
        const end = start + length;
        const ticks = [...rawTicks].sort((a, b) => a - b);
        const openMask = sessions ? mask : mask.map(() => true);
        const options = {
          startNs: BigInt(start),
          endNs: BigInt(end),
          maxGapNs: BigInt(max),
          open: sessions ? maskOpen(mask, start) : undefined,
        };
        const found = findGaps(ticks.map(BigInt), options);
        assert.deepEqual(found, bruteForce(new Set(ticks), openMask, start, end, max));
      },
    ),
    { seed: 20250309, numRuns: 500 },
  );
});
