import assert from "node:assert/strict";
import { parseDecimal } from "@core/mod.ts";
import { formatUnits, SyntheticMarket, type SyntheticStep } from "./synthetic_market.ts";

const QUANTITY = /^(0|[1-9][0-9]*)(\.[0-9]{0,7}[1-9])?$/;

function steps(market: SyntheticMarket, symbols: string[], count: number): SyntheticStep[] {
  return Array.from({ length: count }, () => market.step(symbols));
}

Deno.test("SyntheticMarket: the same seed and symbols give the same steps, another seed others", () => {
  const symbols = ["BTCUSD", "ETHUSD", "XYZUSD"];
  const a = steps(new SyntheticMarket({ seed: 7 }), symbols, 2_000);
  const b = steps(new SyntheticMarket({ seed: 7 }), symbols, 2_000);
  const c = steps(new SyntheticMarket({ seed: 8 }), symbols, 2_000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((s) => s.price), c.map((s) => s.price));
  assert.deepEqual(new Set(a.map((s) => s.symbol)), new Set(symbols));
});

Deno.test("SyntheticMarket: a symbol's path does not depend on the other symbols", () => {
  const alone = steps(new SyntheticMarket({ seed: 42 }), ["ETHUSD"], 900);
  const mixed = steps(new SyntheticMarket({ seed: 42 }), ["BTCUSD", "ETHUSD", "SOLUSD"], 900)
    .filter((s) => s.symbol === "ETHUSD");
  assert.ok(mixed.length > 100);
  assert.deepEqual(mixed, alone.slice(0, mixed.length));
});

Deno.test("SyntheticMarket: prices on the tick grid, quantities exact with up to 8 decimals", () => {
  for (const tickSize of ["0.01", "0.5", "0.00001"]) {
    const market = new SyntheticMarket({
      seed: 3,
      tickSize,
      startPrices: { BTCUSD: "60000.004", PENNYUSD: "0.02" },
    });
    const tick = market.tick;
    const all = steps(market, ["BTCUSD", "PENNYUSD"], 10_000);
    for (const s of all) {
      for (const price of [s.price, s.bidPrice, s.askPrice]) {
        assert.equal(price % tick, 0n, `${price} off the ${tickSize} grid`);
        assert.ok(price > 0n);
      }
      assert.ok(s.bidPrice < s.askPrice, `${s.bidPrice} >= ${s.askPrice}`);
      assert.ok(s.price === s.bidPrice || s.price === s.askPrice);
      for (const quantity of [s.quantity, s.bidQuantity, s.askQuantity]) {
        assert.match(quantity, QUANTITY);
        assert.ok(parseDecimal(quantity, { scale: 8 }) > 0n, quantity);
      }
      assert.ok(s.side === "A" || s.side === "B");
    }
    const btc = all.filter((s) => s.symbol === "BTCUSD");
    assert.ok(new Set(btc.map((s) => s.price)).size > 20, `${tickSize}: the walk does not move`);
    assert.deepEqual(btc.slice(0, 3).map((s) => s.n), [1, 2, 3]);
    assert.deepEqual(btc.slice(0, 3).map((s) => s.sequence), [1, 3, 5]);
    const sides = new Set(all.map((s) => s.side));
    assert.equal(sides.size, 2);
  }
  // The start price is snapped to the grid before the first step.
  assert.equal(
    new SyntheticMarket({ seed: 1, startPrices: { X: "100.004" } }).price("X"),
    100_000_000_000n,
  );
  assert.equal(new SyntheticMarket({ seed: 1 }).price("BTCUSD"), 60_000_000_000_000n);
  assert.throws(() => new SyntheticMarket({ seed: 1, tickSize: "0" }), RangeError);
  assert.throws(() => new SyntheticMarket({ seed: 1, startPrices: { X: "-5" } }), RangeError);
});

Deno.test("formatUnits() writes 1e-8 units as a plain decimal", () => {
  assert.deepEqual(
    [1n, 150_000_000n, 100_000_000n, 123_456_789_012n, 10n].map(formatUnits),
    ["0.00000001", "1.5", "1", "1234.56789012", "0.0000001"],
  );
});
