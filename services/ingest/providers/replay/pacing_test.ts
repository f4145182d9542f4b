import assert from "node:assert/strict";
import { Pacer, Sleeper } from "./pacing.ts";

const MS = 1_000_000n;

Deno.test("Pacer: due time = anchor + event gap / speed; sub-millisecond and backward gaps wait 0", () => {
  const pacer = new Pacer(2);
  assert.equal(pacer.delayMs(1_000n * MS, 5_000), 0); // anchors
  assert.equal(pacer.delayMs(2_000n * MS, 5_000), 500);
  assert.equal(pacer.delayMs(2_000n * MS, 5_400), 100);
  assert.equal(pacer.delayMs(1_001n * MS, 5_000), 0); // 0.5 ms due: coalesced
  assert.equal(pacer.delayMs(500n * MS, 5_000), 0); // before the anchor
  pacer.reset();
  assert.equal(pacer.delayMs(9_000n * MS, 7_000), 0);
  assert.equal(pacer.delayMs(9_010n * MS, 7_000), 5);
  for (const speed of [0, Infinity]) {
    const full = new Pacer(speed);
    assert.equal(full.fullSpeed, true);
    full.delayMs(0n, 0);
    assert.equal(full.delayMs(3_600_000n * MS, 0), 0);
  }
  assert.throws(() => new Pacer(Number.NaN), RangeError);
  assert.throws(() => new Pacer(-2), RangeError);
});

Deno.test(
  "Sleeper.cancel() ends a pending hour-long sleep and clears its timer",
  { sanitizeOps: true, sanitizeResources: true },
  async () => {
    const sleeper = new Sleeper();
    const sleeping = sleeper.sleep(3_600_000);
    sleeper.cancel();
    await sleeping;
    sleeper.cancel(); // harmless when idle
  },
);
