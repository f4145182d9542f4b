import assert from "node:assert/strict";
import { Decimal } from "decimal.js";
import { computeMetrics, DAY_NS, type EquitySample, sampleReturns } from "./metrics.ts";

/** Daily samples (day i at i * DAY_NS) of `equities` with `positions` (default 1). */
function curve(equities: readonly string[], positions: readonly string[] = []): EquitySample[] {
  return equities.map((equity, i) => ({
    tsNs: BigInt(i) * DAY_NS,
    equity: new Decimal(equity),
    position: new Decimal(positions[i] ?? "1"),
  }));
}

function close(actual: number | null, expected: number, tolerance = 1e-9): void {
  assert.ok(actual !== null, `expected ${expected}, got null`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} != ${expected}`,
  );
}

const pnl = (text: string) => ({ fee: new Decimal("0.5"), realizedPnl: new Decimal(text) });

Deno.test("computeMetrics() matches a hand-computed 5-day curve: Sharpe, Sortino, drawdown and its duration", () => {
  // 100 -> 110 -> 88 -> 110 -> 121: returns 0.1, -0.2, 0.25, 0.1 (mean 0.0625)
  const m = computeMetrics({
    equity: curve(["100", "110", "88", "110", "121"], ["0", "1", "1", "0", "0"]),
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 4n * DAY_NS,
  });
  assert.deepEqual(sampleReturns(curve(["100", "110", "88"])).map((r) => r.toFixed(12)), [
    "0.100000000000",
    "-0.200000000000",
  ]);
  assert.equal(m.finalEquity, "121");
  assert.equal(m.totalPnl, "21");
  close(m.totalReturn, 0.21);
  // sample std = sqrt(((0.0375)^2 + (-0.2625)^2 + (0.1875)^2 + (0.0375)^2) / 3) = sqrt(0.035625);
  // 4 returns over 4 days: 365.25 samples per year
  close(m.sharpe, (0.0625 / Math.sqrt(0.035625)) * Math.sqrt(365.25));
  close(m.sharpe, 6.328454954036, 1e-12);
  // downside deviation = sqrt(0.2^2 / 4) = 0.1
  close(m.sortino, 0.625 * Math.sqrt(365.25));
  // peak 110 (day 1) -> 88 (day 2): 20%; back to 110 on day 3: 2 days
  close(m.maxDrawdown, 0.2, 1e-15);
  assert.equal(m.maxDrawdownDurationNs, (2n * DAY_NS).toString());
  close(m.cagr, Math.pow(1.21, 365.25 / 4) - 1);
  assert.equal(m.exposure, 0.4);
});

Deno.test("computeMetrics() runs a never-recovered drawdown to the end of the run", () => {
  const m = computeMetrics({
    equity: curve(["100", "120", "90", "100"]),
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 5n * DAY_NS,
  });
  close(m.maxDrawdown, 0.25, 1e-15);
  assert.equal(
    m.maxDrawdownDurationNs,
    (4n * DAY_NS).toString(),
    "from the peak on day 1 to day 5",
  );
  assert.equal(m.totalReturn, 0);
  assert.equal(m.exposure, 1);
});

Deno.test("computeMetrics() keeps the longest drawdown, not the deepest, as the duration", () => {
  const m = computeMetrics({
    // deep and short (days 0-2), then shallow and long (days 2-6)
    equity: curve(["100", "50", "100", "99", "99", "99", "101"]),
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 6n * DAY_NS,
  });
  close(m.maxDrawdown, 0.5, 1e-15);
  assert.equal(m.maxDrawdownDurationNs, (4n * DAY_NS).toString());
});

Deno.test("computeMetrics() of a flat curve: zero return and drawdown, null Sharpe and Sortino", () => {
  const m = computeMetrics({
    equity: curve(["1000", "1000", "1000"], ["0", "0", "0"]),
    fills: [],
    initialEquity: new Decimal("1000"),
    startNs: 0n,
    endNs: 2n * DAY_NS,
  });
  assert.equal(m.totalReturn, 0);
  assert.equal(m.cagr, 0);
  assert.equal(m.sharpe, null);
  assert.equal(m.sortino, null);
  assert.equal(m.maxDrawdown, 0);
  assert.equal(m.maxDrawdownDurationNs, "0");
  assert.equal(m.exposure, 0);
  assert.equal(m.winRate, null);
  assert.equal(m.profitFactor, null);
  assert.equal(m.tradeCount, 0);
});

Deno.test("computeMetrics() of a single point or no points: nulls where a figure needs a span or returns", () => {
  const one = computeMetrics({
    equity: curve(["105"]),
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: DAY_NS - 1n,
  });
  close(one.totalReturn, 0.05);
  assert.equal(one.cagr, null, "under a day");
  assert.equal(one.sharpe, null);
  assert.equal(one.sortino, null);
  assert.equal(one.maxDrawdown, 0);
  const none = computeMetrics({
    equity: [],
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 0n,
  });
  assert.equal(none.finalEquity, "100");
  assert.equal(none.exposure, 0);
  assert.equal(none.maxDrawdownDurationNs, "0");
});

Deno.test("computeMetrics() has no Sortino without a losing return and no CAGR when equity is gone", () => {
  const up = computeMetrics({
    equity: curve(["100", "110", "130"]),
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 2n * DAY_NS,
  });
  assert.equal(up.sortino, null);
  assert.ok(up.sharpe !== null && up.sharpe > 0);
  const gone = computeMetrics({
    equity: curve(["100", "0"]),
    fills: [],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 2n * DAY_NS,
  });
  assert.equal(gone.cagr, null);
  assert.equal(gone.totalReturn, -1);
  assert.equal(gone.maxDrawdown, 1);
});

Deno.test("computeMetrics() counts win rate and profit factor over closing fills only", () => {
  const m = computeMetrics({
    equity: curve(["100", "119"]),
    fills: [pnl("0"), pnl("10"), pnl("-5"), pnl("0"), pnl("20"), pnl("-5")],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: DAY_NS,
  });
  assert.equal(m.tradeCount, 6);
  assert.equal(m.closingTrades, 4);
  assert.equal(m.winRate, 0.5);
  assert.equal(m.profitFactor, 3);
  assert.equal(m.realizedPnl, "20");
  assert.equal(m.fees, "3");
  // 19 = realised 20 + unrealised 2 - fees 3
  assert.equal(m.unrealizedPnl, "2");

  const noLoss = computeMetrics({
    equity: [],
    fills: [pnl("1"), pnl("2")],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 0n,
  });
  assert.equal(noLoss.winRate, 1);
  assert.equal(noLoss.profitFactor, null, "no losing trade: undefined profit factor");
});

Deno.test("computeMetrics() takes realised, unrealised and fees from the caller when given", () => {
  const m = computeMetrics({
    equity: curve(["100", "101.5"]),
    fills: [pnl("7")],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: DAY_NS,
    realizedPnl: new Decimal("1"),
    unrealizedPnl: new Decimal("0.75"),
    fees: new Decimal("0.25"),
  });
  assert.deepEqual([m.realizedPnl, m.unrealizedPnl, m.fees, m.totalPnl], [
    "1",
    "0.75",
    "0.25",
    "1.5",
  ]);
});

Deno.test("computeMetrics() gives identical output for identical input", () => {
  const input = {
    equity: curve(["100", "101.37", "99.2", "104.001", "103"]),
    fills: [pnl("1.37"), pnl("-2.17")],
    initialEquity: new Decimal("100"),
    startNs: 0n,
    endNs: 4n * DAY_NS,
  };
  assert.equal(JSON.stringify(computeMetrics(input)), JSON.stringify(computeMetrics(input)));
});
