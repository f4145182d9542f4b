import assert from "node:assert/strict";
import { Decimal } from "decimal.js";
import { FeeModel } from "./mod.ts";

const DEFAULTS = { maker_bps: "2", taker_bps: "5", slippage_bps: "1" };

Deno.test("FeeModel turns basis points into exact rates", () => {
  const model = new FeeModel({ maker_bps: "2", taker_bps: "7.5", slippage_bps: "0.25" });
  assert.equal(model.makerRate.toFixed(), "0.0002");
  assert.equal(model.takerRate.toFixed(), "0.00075");
  assert.equal(model.slippageRate.toFixed(), "0.000025");
});

Deno.test("FeeModel.fee() is notional * bps / 10000 with no rounding", () => {
  const model = new FeeModel(DEFAULTS);
  assert.equal(model.fee(new Decimal("30003"), "taker").toFixed(), "15.0015");
  assert.equal(model.fee(new Decimal("29500"), "maker").toFixed(), "5.9");
  assert.equal(
    model.fee(new Decimal("0.000000001"), "taker").toFixed(),
    "0.0000000000005",
  );
});

Deno.test("FeeModel.marketPrice() slips buys up and sells down, rounded against the trader", () => {
  const model = new FeeModel(DEFAULTS);
  assert.equal(model.marketPrice("BUY", 60_000_000_000_000n), 60_006_000_000_000n);
  assert.equal(model.marketPrice("SELL", 60_000_000_000_000n), 59_994_000_000_000n);
  // 60000.000000001 * 1.0001 = 60006.0000000010001 (up); * 0.9999 = 59994.0000000009999 (down)
  assert.equal(model.marketPrice("BUY", 60_000_000_000_001n), 60_006_000_000_002n);
  assert.equal(model.marketPrice("SELL", 60_000_000_000_001n), 59_994_000_000_000n);
});

Deno.test("FeeModel.marketPrice() leaves the price alone with zero slippage", () => {
  const model = new FeeModel({ maker_bps: "0", taker_bps: "0", slippage_bps: "0" });
  assert.equal(model.marketPrice("BUY", 123_456_789n), 123_456_789n);
  assert.equal(model.marketPrice("SELL", 123_456_789n), 123_456_789n);
});

Deno.test("FeeModel rejects negative or above-10000 basis points with a RangeError", () => {
  assert.throws(() => new FeeModel({ ...DEFAULTS, taker_bps: "-1" }), /fees\.taker_bps "-1"/);
  assert.throws(() => new FeeModel({ ...DEFAULTS, slippage_bps: "10000.1" }), RangeError);
});
