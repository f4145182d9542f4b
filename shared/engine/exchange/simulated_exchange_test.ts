import assert from "node:assert/strict";
import { Decimal } from "decimal.js";
import type { AccountsConfig } from "@shared/config/mod.ts";
import { decimalToFixed, type OrderRequest, SimulatedExchange } from "./mod.ts";

const ACCOUNTS: AccountsConfig = {
  default: { id: "MAIN", currency: "USDT", initial_balance: "100000" },
  simulation: [
    { id: "AGGRESSIVE", currency: "USDT", initial_balance: "50000", strategies: ["momentum"] },
    { id: "CONSERVATIVE", currency: "USDT", initial_balance: "200000", strategies: ["rsi"] },
  ],
};
const FEES = { maker_bps: "2", taker_bps: "5", slippage_bps: "1" };

/** Fixed price of a decimal string. */
function px(text: string): bigint {
  return decimalToFixed(text, "exact");
}

/** A request with defaults: strategy "sma", symbol BTCUSD, market, at ts 1. */
function req(
  side: "BUY" | "SELL",
  quantity: string,
  extra: Partial<Omit<OrderRequest, "quantity">> = {},
): OrderRequest {
  return {
    strategyId: "sma",
    symbol: "BTCUSD",
    side,
    type: "market",
    quantity: new Decimal(quantity),
    tsNs: 1n,
    ...extra,
  };
}

function newExchange(): SimulatedExchange {
  return new SimulatedExchange({ accounts: ACCOUNTS, fees: FEES });
}

Deno.test("a market buy of 0.5 at 60000.00 fills at 60006 with a 15.0015 fee (5 bps taker, 1 bp slip)", () => {
  const ex = newExchange();
  const order = ex.submit(req("BUY", "0.5"), px("60000.00"));
  assert.equal(order.id, "O-1");
  assert.equal(order.accountId, "MAIN");
  assert.equal(order.status, "open");
  assert.equal(order.locked.toFixed(), "30018.0015");
  assert.equal(ex.account("MAIN").available.toFixed(), "69981.9985");
  assert.equal(ex.hasPendingMarket("BTCUSD"), true);

  const [fill, ...rest] = ex.fillMarketOrders("BTCUSD", px("60000"), 2n);
  assert.equal(rest.length, 0);
  assert.equal(fill!.price, 60_006_000_000_000n);
  assert.equal(fill!.fee.toFixed(), "15.0015");
  assert.equal(fill!.liquidity, "taker");
  assert.equal(fill!.realizedPnl.toFixed(), "0");
  assert.equal(fill!.tsNs, 2n);
  const main = ex.account("MAIN");
  assert.equal(main.cash.toFixed(), "69981.9985");
  assert.equal(main.locked.toFixed(), "0");
  assert.equal(main.feesPaid.toFixed(), "15.0015");
  assert.equal(main.positions().get("BTCUSD")!.avgPrice.toFixed(), "60006");
  assert.equal(ex.position("MAIN", "BTCUSD").toFixed(), "0.5");
  assert.equal(ex.order("O-1")!.status, "filled");
  assert.equal(ex.order("O-1")!.locked.toFixed(), "0");
  assert.equal(ex.hasPendingMarket("BTCUSD"), false);
});

Deno.test("a market sell fills at price * (1 - slip) rounded down to the 1e-9 grid", () => {
  const ex = newExchange();
  ex.submit(req("BUY", "1"), px("60000"));
  ex.fillMarketOrders("BTCUSD", px("60000"), 2n);
  ex.submit(req("SELL", "1", { tsNs: 3n }), px("60000"));
  const [fill] = ex.fillMarketOrders("BTCUSD", 60_000_000_000_001n, 4n);
  assert.equal(fill!.price, 59_994_000_000_000n);
  assert.equal(fill!.fee.toFixed(), "29.997");
  assert.equal(fill!.realizedPnl.toFixed(), "-12");
});

Deno.test("a cancelled order releases its lock and cannot be cancelled twice", () => {
  const ex = newExchange();
  const buy = ex.submit(req("BUY", "1", { type: "limit", limitPrice: px("50000") }), 0n);
  assert.equal(buy.locked.toFixed(), "50010");
  assert.equal(ex.account("MAIN").locked.toFixed(), "50010");
  assert.equal(ex.cancel(buy.id, 9n), true);
  assert.equal(ex.cancel(buy.id), false);
  assert.equal(ex.cancel("O-99"), false);
  assert.equal(ex.account("MAIN").locked.toFixed(), "0");
  assert.equal(ex.account("MAIN").available.toFixed(), "100000");
  assert.equal(ex.order(buy.id)!.status, "cancelled");
  assert.equal(ex.order(buy.id)!.updatedNs, 9n);
  assert.deepEqual(ex.limitBand("BTCUSD"), { buyAtOrBelow: -1n, sellAtOrAbove: 2n ** 63n - 1n });
  assert.deepEqual(ex.fillLimitOrders("BTCUSD", px("1"), 10n), []);
});

Deno.test("a buy beyond the available cash is rejected at submit with nothing locked", () => {
  const ex = newExchange();
  const order = ex.submit(req("BUY", "2"), px("60000"));
  assert.equal(order.status, "rejected");
  assert.match(
    order.rejectReason!,
    /^Insufficient funds on account "MAIN": the order needs 120072\.006/,
  );
  assert.equal(order.locked.toFixed(), "0");
  assert.equal(ex.account("MAIN").locked.toFixed(), "0");
  assert.equal(ex.hasPendingMarket("BTCUSD"), false);
  assert.deepEqual(ex.rejected().map((o) => o.id), ["O-1"]);
  assert.equal(ex.submit(req("BUY", "1"), px("60000")).id, "O-2", "rejected orders take ids too");
});

Deno.test("a market buy whose cost rose past lock + available at the fill is rejected and unlocked", () => {
  const ex = newExchange();
  const order = ex.submit(req("BUY", "1.6"), px("60000"));
  assert.equal(order.locked.toFixed(), "96057.6048");
  assert.deepEqual(ex.fillMarketOrders("BTCUSD", px("70000"), 5n), []);
  const after = ex.order(order.id)!;
  assert.equal(after.status, "rejected");
  assert.equal(after.updatedNs, 5n);
  assert.match(
    after.rejectReason!,
    /at fill: the order costs 112067\.2056 USDT, 100000 available$/,
  );
  assert.equal(ex.account("MAIN").locked.toFixed(), "0");
  assert.equal(ex.account("MAIN").cash.toFixed(), "100000");
  assert.equal(ex.hasPendingMarket("BTCUSD"), false);
  assert.deepEqual(ex.rejected().map((o) => o.id), [order.id]);
});

Deno.test("a market buy fills when the price rose but other free cash covers the difference", () => {
  const ex = newExchange();
  ex.submit(req("BUY", "1"), px("60000"));
  const [fill] = ex.fillMarketOrders("BTCUSD", px("61000"), 2n);
  assert.equal(fill!.price, px("61006.1"));
  assert.equal(ex.account("MAIN").cash.toFixed(), "38963.39695");
});

Deno.test("selling more than held is rejected; open sells lock the position so two cannot oversell", () => {
  const ex = newExchange();
  assert.equal(ex.submit(req("SELL", "0.1"), px("100")).status, "rejected");
  ex.submit(req("BUY", "1"), px("100"));
  ex.fillMarketOrders("BTCUSD", px("100"), 2n);
  const tooMuch = ex.submit(req("SELL", "1.5"), px("100"));
  assert.equal(tooMuch.status, "rejected");
  assert.match(
    tooMuch.rejectReason!,
    /cannot sell 1\.5 BTCUSD, 1 held and not in open sell orders/,
  );

  const limit = ex.submit(req("SELL", "0.6", { type: "limit", limitPrice: px("150") }), 0n);
  assert.equal(limit.status, "open");
  assert.equal(limit.locked.toFixed(), "0.6");
  assert.equal(ex.account("MAIN").positions().get("BTCUSD")!.locked.toFixed(), "0.6");
  const second = ex.submit(req("SELL", "0.6"), px("100"));
  assert.equal(second.status, "rejected");
  assert.match(second.rejectReason!, /0\.4 held and not in open sell orders/);
  assert.equal(ex.submit(req("SELL", "0.4"), px("100")).status, "open");

  assert.equal(ex.cancel(limit.id), true);
  assert.equal(ex.account("MAIN").positions().get("BTCUSD")!.locked.toFixed(), "0.4");
  assert.equal(ex.submit(req("SELL", "0.6"), px("100")).status, "open");
  ex.fillMarketOrders("BTCUSD", px("100"), 3n);
  assert.equal(ex.position("MAIN", "BTCUSD").toFixed(), "0");
  assert.equal(ex.account("MAIN").positions().get("BTCUSD")!.avgPrice.toFixed(), "0");
});

Deno.test("strategies mapped to two accounts keep isolated cash and positions", () => {
  const ex = newExchange();
  const a = ex.submit(req("BUY", "0.5", { strategyId: "momentum" }), px("60000"));
  const b = ex.submit(req("BUY", "1", { strategyId: "rsi", symbol: "ETHUSD" }), px("3000"));
  assert.equal(a.accountId, "AGGRESSIVE");
  assert.equal(b.accountId, "CONSERVATIVE");
  ex.fillMarketOrders("BTCUSD", px("60000"), 2n);
  ex.fillMarketOrders("ETHUSD", px("3000"), 2n);
  assert.equal(ex.account("AGGRESSIVE").cash.toFixed(), "19981.9985");
  assert.equal(ex.account("CONSERVATIVE").cash.toFixed(), "196998.19985");
  assert.equal(ex.account("MAIN").cash.toFixed(), "100000");
  assert.equal(ex.position("AGGRESSIVE", "BTCUSD").toFixed(), "0.5");
  assert.equal(ex.position("CONSERVATIVE", "BTCUSD").toFixed(), "0");
  // rsi's account holds no BTCUSD even though momentum's does
  assert.equal(
    ex.submit(req("SELL", "0.5", { strategyId: "rsi" }), px("60000")).status,
    "rejected",
  );
  // AGGRESSIVE cannot afford what MAIN could
  assert.equal(
    ex.submit(req("BUY", "0.5", { strategyId: "momentum" }), px("60000")).status,
    "rejected",
  );
  assert.deepEqual(ex.accounts().map((x) => x.id), ["MAIN", "AGGRESSIVE", "CONSERVATIVE"]);
});

Deno.test("resolveAccountId() falls back to the default and honours an explicit known account", () => {
  const ex = newExchange();
  assert.equal(ex.resolveAccountId("sma"), "MAIN");
  assert.equal(ex.resolveAccountId("momentum"), "AGGRESSIVE");
  assert.equal(ex.resolveAccountId("momentum", ""), "AGGRESSIVE");
  assert.equal(ex.resolveAccountId("momentum", "CONSERVATIVE"), "CONSERVATIVE");
  assert.equal(
    ex.submit(req("BUY", "1", { accountId: "CONSERVATIVE" }), px("1")).accountId,
    "CONSERVATIVE",
  );
});

Deno.test("an unknown account is a one-line RangeError naming the known ids", () => {
  const ex = newExchange();
  const expected = {
    name: "RangeError",
    message: 'Unknown account "NOPE": known accounts are "MAIN", "AGGRESSIVE", "CONSERVATIVE"',
  };
  assert.throws(() => ex.resolveAccountId("sma", "NOPE"), expected);
  assert.throws(() => ex.account("NOPE"), expected);
  assert.throws(() => ex.submit(req("BUY", "1", { accountId: "NOPE" }), px("1")), expected);
  assert.equal(ex.order("O-1"), undefined, "a throwing submit takes no id");
});

Deno.test("submit() throws RangeError on a bad quantity or price, and duplicate account ids are refused", () => {
  const ex = newExchange();
  assert.throws(() => ex.submit(req("BUY", "0"), px("1")), RangeError);
  assert.throws(() => ex.submit(req("BUY", "-1"), px("1")), RangeError);
  assert.throws(() => ex.submit(req("BUY", "1"), 0n), RangeError);
  assert.throws(() => ex.submit(req("BUY", "1", { type: "limit" }), px("1")), /limit price/);
  const dup = { ...ACCOUNTS, simulation: [{ ...ACCOUNTS.simulation[0]!, id: "MAIN" }] };
  assert.throws(() => new SimulatedExchange({ accounts: dup, fees: FEES }), /"MAIN" twice/);
});

Deno.test("limit orders fill at their limit with the maker fee when crossed, in id order", () => {
  const ex = newExchange();
  const buyLow = ex.submit(req("BUY", "0.5", { type: "limit", limitPrice: px("59000") }), 0n);
  const buyHigh = ex.submit(req("BUY", "0.1", { type: "limit", limitPrice: px("59500") }), 0n);
  assert.equal(buyLow.locked.toFixed(), "29505.9");
  assert.deepEqual(ex.limitBand("BTCUSD"), {
    buyAtOrBelow: px("59500"),
    sellAtOrAbove: 2n ** 63n - 1n,
  });
  assert.equal(ex.hasPendingMarket("BTCUSD"), false);
  assert.deepEqual(ex.fillLimitOrders("BTCUSD", px("59500.000000001"), 2n), []);

  const first = ex.fillLimitOrders("BTCUSD", px("59500"), 3n);
  assert.deepEqual(first.map((f) => [f.orderId, f.price, f.fee.toFixed()]), [[
    buyHigh.id,
    px("59500"),
    "1.19",
  ]]);
  assert.deepEqual(ex.limitBand("BTCUSD").buyAtOrBelow, px("59000"));
  const second = ex.fillLimitOrders("BTCUSD", px("58000"), 4n);
  assert.deepEqual(second.map((f) => [f.orderId, f.price, f.fee.toFixed(), f.liquidity]), [
    [buyLow.id, px("59000"), "5.9", "maker"],
  ]);
  assert.equal(ex.account("MAIN").locked.toFixed(), "0");
  assert.equal(ex.account("MAIN").cash.toFixed(), "64542.91");
  assert.equal(ex.position("MAIN", "BTCUSD").toFixed(), "0.6");

  const s1 = ex.submit(req("SELL", "0.2", { type: "limit", limitPrice: px("61000") }), 0n);
  const s2 = ex.submit(req("SELL", "0.3", { type: "limit", limitPrice: px("60500") }), 0n);
  assert.deepEqual(ex.limitBand("BTCUSD"), { buyAtOrBelow: -1n, sellAtOrAbove: px("60500") });
  const sells = ex.fillLimitOrders("BTCUSD", px("62000"), 5n);
  assert.deepEqual(sells.map((f) => [f.orderId, f.price]), [[s1.id, px("61000")], [
    s2.id,
    px("60500"),
  ]]);
  // avg entry = (0.1 * 59500 + 0.5 * 59000) / 0.6 = 59083.33...
  assert.equal(sells[0]!.realizedPnl.toDecimalPlaces(6).toFixed(), "383.333333");
});

Deno.test("realised and unrealised P&L and equity add up after a round trip", () => {
  const ex = newExchange();
  ex.submit(req("BUY", "1", { reason: "entry" }), px("100"));
  const [buy] = ex.fillMarketOrders("BTCUSD", px("100"), 2n);
  assert.equal(buy!.reason, "entry");
  const main = ex.account("MAIN");
  assert.equal(main.cash.toFixed(), "99899.939995");
  assert.equal(main.equity().toFixed(), "99999.949995", "unmarked positions count at cost");
  assert.equal(main.unrealizedPnl().toFixed(), "0");
  ex.mark("BTCUSD", px("110"));
  assert.equal(main.unrealizedPnl().toFixed(), "9.99");
  assert.equal(main.equity().toFixed(), "100009.939995");

  ex.submit(req("SELL", "1", { tsNs: 3n }), px("110"));
  const [sell] = ex.fillMarketOrders("BTCUSD", px("120"), 4n);
  assert.equal(sell!.price, px("119.988"));
  assert.equal(sell!.fee.toFixed(), "0.059994");
  assert.equal(sell!.realizedPnl.toFixed(), "19.978");
  assert.equal(main.realizedPnl.toFixed(), "19.978");
  assert.equal(main.feesPaid.toFixed(), "0.109999");
  assert.equal(main.cash.toFixed(), "100019.868001");
  assert.equal(main.unrealizedPnl().toFixed(), "0");
  assert.equal(main.equity().toFixed(), "100019.868001");
  assert.ok(main.equity().eq(new Decimal("100000").plus(main.realizedPnl).minus(main.feesPaid)));
  assert.equal(main.positions().get("BTCUSD")!.realizedPnl.toFixed(), "19.978");
});

Deno.test("order snapshots do not change when the order does", () => {
  const ex = newExchange();
  const open = ex.submit(req("BUY", "1"), px("100"));
  ex.fillMarketOrders("BTCUSD", px("100"), 2n);
  assert.equal(open.status, "open");
  assert.equal(ex.order(open.id)!.status, "filled");
  assert.ok(Object.isFrozen(open));
  assert.deepEqual(ex.openOrders(), []);
});

Deno.test("two strategies on one account each hold, and sell, only their own part of the position", () => {
  const ex = newExchange();
  ex.submit(req("BUY", "1", { strategyId: "sma" }), px("100"));
  ex.submit(req("BUY", "2", { strategyId: "macd" }), px("100"));
  ex.fillMarketOrders("BTCUSD", px("100"), 2n);
  assert.equal(ex.position("MAIN", "BTCUSD").toFixed(), "3");
  assert.equal(ex.strategyPosition("MAIN", "sma", "BTCUSD").toFixed(), "1");
  assert.equal(ex.strategyPosition("MAIN", "macd", "BTCUSD").toFixed(), "2");
  ex.submit(req("SELL", "1", { strategyId: "sma" }), px("100"));
  ex.fillMarketOrders("BTCUSD", px("101"), 3n);
  assert.equal(ex.strategyPosition("MAIN", "sma", "BTCUSD").toFixed(), "0");
  assert.equal(ex.strategyPosition("MAIN", "macd", "BTCUSD").toFixed(), "2");
  assert.equal(ex.position("MAIN", "BTCUSD").toFixed(), "2");
  assert.equal(ex.strategyPosition("MAIN", "rsi", "ETHUSD").toFixed(), "0");
  assert.throws(() => ex.strategyPosition("NOPE", "sma", "BTCUSD"), RangeError);
});

Deno.test("equity follows the last mark, converted once per new price", () => {
  const ex = newExchange();
  ex.submit(req("BUY", "1"), px("100"));
  ex.fillMarketOrders("BTCUSD", px("100"), 2n);
  const cash = ex.account("MAIN").cash;
  ex.mark("BTCUSD", px("110.5"));
  assert.equal(ex.account("MAIN").equity().toFixed(), cash.plus("110.5").toFixed());
  ex.mark("BTCUSD", px("90.25"));
  assert.equal(ex.account("MAIN").equity().toFixed(), cash.plus("90.25").toFixed());
});
