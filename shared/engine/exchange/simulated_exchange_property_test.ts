import assert from "node:assert/strict";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import type { AccountsConfig } from "@shared/config/mod.ts";
import { type Fill, fixedToDecimal, LedgerDecimal, SimulatedExchange } from "./mod.ts";

const ACCOUNTS: AccountsConfig = {
  default: { id: "MAIN", currency: "USDT", initial_balance: "1000" },
  simulation: [{ id: "SIDE", currency: "USDT", initial_balance: "250.5", strategies: ["b"] }],
};
const INITIAL = new Map([["MAIN", new LedgerDecimal("1000")], [
  "SIDE",
  new LedgerDecimal("250.5"),
]]);
const SYMBOLS = ["BTCUSD", "ETHUSD"] as const;
// Divisions (average entry prices) round at 40 digits; the books agree far above that.
const TOLERANCE = new Decimal("1e-25");

type Command =
  | {
    kind: "submit";
    strategy: "a" | "b";
    symbol: number;
    side: "BUY" | "SELL";
    type: "market" | "limit";
    milli: number;
    price: number;
  }
  | { kind: "cancel"; id: number }
  | { kind: "tick"; symbol: number; price: number };

/** Prices 90.00 to 110.00 in cents (a band where most orders can fill); quantities 0.001 to 3. */
const priceArb = fc.integer({ min: 9_000, max: 11_000 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("submit" as const),
      strategy: fc.constantFrom("a" as const, "b" as const),
      symbol: fc.integer({ min: 0, max: 1 }),
      side: fc.constantFrom("BUY" as const, "SELL" as const),
      type: fc.constantFrom("market" as const, "limit" as const),
      milli: fc.integer({ min: 1, max: 3000 }),
      price: priceArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("cancel" as const),
      id: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("tick" as const),
      symbol: fc.integer({ min: 0, max: 1 }),
      price: priceArb,
    }),
  },
);

/** What the random runs exercised, so the property cannot pass vacuously. */
const seen = { fills: 0, sells: 0, limitFills: 0, rejected: 0, cancelled: 0 };

function fixedOf(cents: number): bigint {
  return BigInt(cents) * 10_000_000n;
}

function run(commands: readonly Command[]): void {
  const ex = new SimulatedExchange({
    accounts: ACCOUNTS,
    fees: { maker_bps: "2.5", taker_bps: "7", slippage_bps: "3" },
  });
  const fills: Fill[] = [];
  let ts = 0n;
  for (const command of commands) {
    ts += 1n;
    if (command.kind === "submit") {
      ex.submit({
        strategyId: command.strategy,
        symbol: SYMBOLS[command.symbol]!,
        side: command.side,
        type: command.type,
        quantity: new Decimal(command.milli).div(1000),
        limitPrice: fixedOf(command.price),
        tsNs: ts,
      }, fixedOf(command.price));
    } else if (command.kind === "cancel") {
      if (ex.cancel(`O-${command.id}`, ts)) seen.cancelled++;
    } else {
      const symbol = SYMBOLS[command.symbol]!;
      const price = fixedOf(command.price);
      fills.push(
        ...ex.fillMarketOrders(symbol, price, ts),
        ...ex.fillLimitOrders(symbol, price, ts),
      );
      ex.mark(symbol, price);
    }
    checkBooks(ex, fills);
  }
  seen.fills += fills.length;
  seen.sells += fills.filter((f) => f.side === "SELL").length;
  seen.limitFills += fills.filter((f) => f.type === "limit").length;
  seen.rejected += ex.rejected().length;
}

function checkBooks(ex: SimulatedExchange, fills: readonly Fill[]): void {
  const open = ex.openOrders();
  for (const account of ex.accounts()) {
    assert.ok(account.cash.gte(0), `cash of ${account.id} is ${account.cash}`);
    assert.ok(account.available.gte(0), `available of ${account.id} is ${account.available}`);
    const mine = open.filter((o) => o.accountId === account.id);
    const lockedCash = mine.filter((o) => o.side === "BUY").reduce(
      (s, o) => s.plus(o.locked),
      new LedgerDecimal(0),
    );
    assert.ok(account.locked.eq(lockedCash), "locked cash is the sum of open buy locks");

    let atCost = new LedgerDecimal(0);
    for (const [symbol, p] of account.positions()) {
      assert.ok(p.quantity.gte(0) && p.locked.gte(0) && p.locked.lte(p.quantity));
      const lockedQty = mine.filter((o) => o.side === "SELL" && o.symbol === symbol)
        .reduce((s, o) => s.plus(o.locked), new LedgerDecimal(0));
      assert.ok(p.locked.eq(lockedQty), "locked quantity is the sum of open sell locks");
      assert.ok(p.quantity.eq(ex.position(account.id, symbol)));
      atCost = atCost.plus(p.quantity.times(p.avgPrice));
    }
    // cash + positions at cost = initial + realised - fees
    const expected = INITIAL.get(account.id)!.plus(account.realizedPnl).minus(account.feesPaid);
    assert.ok(account.cash.plus(atCost).minus(expected).abs().lte(TOLERANCE), "books balance");
    // equity = cash + positions at cost + unrealised
    assert.ok(
      account.equity().minus(account.cash.plus(atCost).plus(account.unrealizedPnl())).abs()
        .lte(TOLERANCE),
      "equity = cash + cost + unrealised",
    );

    const own = fills.filter((f) => f.accountId === account.id);
    assert.ok(account.feesPaid.eq(own.reduce((s, f) => s.plus(f.fee), new LedgerDecimal(0))));
    assert.ok(
      account.realizedPnl.eq(own.reduce((s, f) => s.plus(f.realizedPnl), new LedgerDecimal(0))),
    );
    const cashFlow = own.reduce((s, f) => {
      const notional = fixedToDecimal(f.price).times(f.quantity);
      return f.side === "BUY" ? s.minus(notional).minus(f.fee) : s.plus(notional).minus(f.fee);
    }, INITIAL.get(account.id)!);
    assert.ok(account.cash.eq(cashFlow), "cash is the initial balance plus the fills' cash flows");
  }
}

Deno.test("SimulatedExchange keeps cash, locks and positions at cost consistent over random orders", () => {
  fc.assert(
    fc.property(
      fc.array(commandArb, { minLength: 10, maxLength: 80, size: "max" }),
      (commands) => run(commands),
    ),
    {
      seed: 20_240_607,
      numRuns: 300,
    },
  );
  for (const [what, count] of Object.entries(seen)) assert.ok(count >= 50, `only ${count} ${what}`);
});

Deno.test("SimulatedExchange checks fail on a broken invariant (the property can fail)", () => {
  const ex = new SimulatedExchange({
    accounts: ACCOUNTS,
    fees: { maker_bps: "0", taker_bps: "0", slippage_bps: "0" },
  });
  ex.submit({
    strategyId: "a",
    symbol: "BTCUSD",
    side: "BUY",
    type: "market",
    quantity: new Decimal(1),
    tsNs: 1n,
  }, fixedOf(100));
  const [fill] = ex.fillMarketOrders("BTCUSD", fixedOf(100), 2n);
  // drop the fill: the fills no longer explain the cash
  assert.throws(() => checkBooks(ex, []), assert.AssertionError);
  checkBooks(ex, [fill!]);
});
