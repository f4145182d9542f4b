import assert from "node:assert/strict";
import {
  QUANTITY_DECIMALS,
  SYNTHETIC_DEFAULT_FROM,
  SyntheticMarket,
  syntheticSource,
} from "./mod.ts";
import { drain } from "./testing.ts";

Deno.test("syntheticSource() steps the SyntheticMarket at from + i*stepMs with sizes at scale 8", async () => {
  const source = syntheticSource({ symbol: "BTCUSD", seed: 5, ticks: 20_000 });
  assert.equal(source.sizeScale, QUANTITY_DECIMALS);
  assert.equal(source.totalTicks, 20_000);
  assert.equal(source.description, "synthetic BTCUSD seed 5");
  const ticks = await drain(source);
  assert.equal(ticks.length, 20_000);
  const market = new SyntheticMarket({ seed: 5 });
  ticks.forEach((tick, i) => {
    const step = market.step(["BTCUSD"]);
    assert.equal(tick.ts, SYNTHETIC_DEFAULT_FROM + BigInt(i) * 1_000_000_000n);
    assert.equal(tick.price, step.price);
    const [whole, fraction = ""] = step.quantity.split(".");
    assert.equal(
      BigInt(tick.size),
      BigInt(whole!) * 100_000_000n + BigInt(fraction.padEnd(8, "0")),
    );
    assert.equal(tick.side, step.side);
  });
  assert.equal(source.inexactSizes, 0);
});

Deno.test("syntheticSource() is deterministic and honours from and stepMs", async () => {
  const options = { symbol: "ETHUSD", seed: 9, ticks: 100, from: 5_000_000_000n, stepMs: 250 };
  const a = await drain(syntheticSource(options));
  const b = await drain(syntheticSource(options));
  assert.deepEqual(a, b);
  assert.deepEqual(a.slice(0, 3).map((t) => t.ts), [
    5_000_000_000n,
    5_250_000_000n,
    5_500_000_000n,
  ]);
  const other = await drain(syntheticSource({ ...options, seed: 10 }));
  assert.notDeepEqual(a.map((t) => t.price), other.map((t) => t.price));
  assert.deepEqual(await drain(syntheticSource({ ...options, ticks: 0 })), []);
  assert.throws(() => syntheticSource({ ...options, ticks: -1 }), RangeError);
  assert.throws(() => syntheticSource({ ...options, stepMs: 0 }), RangeError);
});

Deno.test("syntheticSource() clamps sizes that overflow a u32 and counts them", async () => {
  // A symbol starting at 100 trades about 10 units (1e9 at scale 8): a few draws exceed 2^32-1.
  const source = syntheticSource({ symbol: "CHEAPUSD", seed: 1, ticks: 5_000 });
  const ticks = await drain(source);
  assert.ok(source.inexactSizes > 0);
  assert.equal(ticks.filter((t) => t.size === 4_294_967_295).length, source.inexactSizes);
});
