import assert from "node:assert/strict";
import { duration, formatTable, money, percent, rangeText, ratio, reportRows } from "./table.ts";
import { sampleReport } from "./_testing.ts";

Deno.test("formatTable() prints every figure with fixed formatting", () => {
  const text = formatTable(sampleReport());
  assert.equal(
    text,
    [
      "Strategy        sma (SMA crossover)",
      "Parameters      long=3, short=2",
      "Symbol          BTCUSD",
      "Data            synthetic BTCUSD seed 1",
      "Range           [1970-01-01T00:00:00Z, 1970-01-01T00:03:00Z)",
      "Bars            1m, OnCloseBar",
      "Account         SIM-001",
      "Ticks           1,234",
      "Bars closed     3",
      "Trades          4 fills, 2 closing",
      "Initial equity  100000.00",
      "Final equity    100123.46",
      "Total P&L       123.46",
      "Total return    0.12%",
      "CAGR            n/a",
      "Sharpe          1.23",
      "Sortino         n/a",
      "Max drawdown    5.12% (1h 30m)",
      "Win rate        50.00%",
      "Profit factor   2.00",
      "Exposure        25.00%",
      "Fees            1.00",
      "",
    ].join("\n"),
  );
});

Deno.test("reportRows() marks a partial run first and names the strategy file and hash", () => {
  const rows = reportRows(sampleReport({
    partial: true,
    error: "Strategy x threw at /s.ts:1:2: boom",
    strategy: { id: "x", name: "X", params: {}, file: "/s.ts", sha256: "ab" },
    rejected: [{ ts: "1", side: "BUY", quantity: "1", reason: "insufficient funds" }],
  }));
  assert.deepEqual(rows[0], {
    label: "Result",
    value: "PARTIAL: Strategy x threw at /s.ts:1:2: boom",
  });
  assert.ok(rows.some((r) => r.label === "Strategy file" && r.value === "/s.ts"));
  assert.ok(rows.some((r) => r.label === "SHA-256" && r.value === "ab"));
  assert.ok(rows.some((r) => r.label === "Parameters" && r.value === "none"));
  assert.ok(rows.some((r) => r.label === "Rejected orders" && r.value === "1"));
});

Deno.test("the formatters round half even and say n/a for undefined figures", () => {
  assert.equal(money("1.005"), "1.00");
  assert.equal(money("1.015"), "1.02");
  assert.equal(money("-2868.034"), "-2868.03");
  assert.equal(percent(-0.028680), "-2.87%");
  assert.equal(percent(null), "n/a");
  assert.equal(ratio(Infinity), "n/a");
  assert.equal(duration(0n), "0s");
  assert.equal(duration(59_000_000_000n), "59s");
  assert.equal(duration(86_400_000_000_000n), "1d");
  assert.equal(duration(90_061_000_000_000n), "1d 1h 1m");
  assert.equal(rangeText(undefined, "0"), "[start of data, 1970-01-01T00:00:00Z)");
});
