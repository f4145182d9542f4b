import assert from "node:assert/strict";
import type { AccountsConfig, FeesConfig } from "@shared/config/mod.ts";
import { runBacktest } from "./backtest.ts";
import { cents, chunkOf, ns, randomRows, type Row } from "./bars/_testing.ts";
import type { BarData, BarDataMode, Signal, Strategy, TickSource } from "./types.ts";

const ACCOUNTS: AccountsConfig = {
  default: { id: "SIM-001", currency: "USDT", initial_balance: "100000" },
  simulation: [{ id: "SIM-B", currency: "USDT", initial_balance: "5000", strategies: ["probe"] }],
};
const NO_FEES: FeesConfig = { maker_bps: "0", taker_bps: "0", slippage_bps: "0" };
const FEES: FeesConfig = { maker_bps: "2", taker_bps: "5", slippage_bps: "1" };
const T0 = ns("2024-01-01T00:00:00Z");
const SEC = 1_000_000_000n;
const MIN = 60n * SEC;

/** A source over rows, cut into chunks of `chunk` rows. */
function rowsSource(rows: readonly Row[], chunk = 1000): TickSource {
  return {
    description: "rows",
    symbol: "BTCUSD",
    sizeScale: 2,
    totalTicks: rows.length,
    async *chunks() {
      for (let from = 0; from < rows.length; from += chunk) {
        using c = chunkOf(rows, from, Math.min(rows.length, from + chunk));
        yield c;
      }
    },
  };
}

/** A strategy driven by a callback (the probes of these tests). */
function probe(
  onBar: (bar: BarData) => Signal,
  mode: BarDataMode = "OnCloseBar",
  id = "probe",
): Strategy {
  return {
    id,
    name: "Probe",
    params: [{ name: "quantity", description: "", default: "1", kind: "decimal" }],
    initialize() {},
    onBarData: onBar,
    barDataMode: () => mode,
    preferredBarType: () => ({ kind: "time", timeframe: "1m" }),
    reset() {},
    accountId: () => undefined,
  };
}

/** Alternates BUY and SELL target 0 on every closed bar. */
function flipper(): Strategy {
  let long = false;
  return probe(
    (bar) => {
      if (!bar.metadata.isBarClosed) return { action: "HOLD" };
      long = !long;
      return long ? { action: "BUY", quantity: "0.5" } : { action: "SELL", target: 0 };
    },
    "OnCloseBar",
    "flipper",
  );
}

Deno.test("the same inputs give byte-identical JSON, whatever the chunk size", async () => {
  const rows = randomRows(11, 5_000, T0);
  const run = async (chunk: number) =>
    JSON.stringify(
      await runBacktest({
        strategy: flipper(),
        params: {},
        source: rowsSource(rows, chunk),
        accounts: ACCOUNTS,
        fees: FEES,
      }),
      null,
      2,
    );
  const first = await run(1000);
  assert.ok(JSON.parse(first).trades.length > 10);
  assert.equal(await run(1000), first);
  assert.equal(await run(37), first);
});

Deno.test("an order signalled at a bar close fills at the first tick after the bar, at its price", async () => {
  const rows: Row[] = [
    { ts: T0 + 10n * SEC, price: cents(10000), size: 1 },
    { ts: T0 + 50n * SEC, price: cents(10100), size: 1 },
    { ts: T0 + MIN + 7n * SEC, price: cents(10250), size: 1 },
    { ts: T0 + MIN + 9n * SEC, price: cents(10300), size: 1 },
  ];
  let sawClose: number | undefined;
  const report = await runBacktest({
    strategy: probe((bar) => {
      sawClose ??= bar.ohlcBar.close;
      return sawClose === bar.ohlcBar.close ? { action: "BUY", quantity: "1" } : { action: "HOLD" };
    }),
    params: {},
    source: rowsSource(rows),
    accounts: ACCOUNTS,
    fees: NO_FEES,
  });
  assert.equal(sawClose, 101);
  assert.equal(report.trades.length, 1);
  assert.equal(report.trades[0]!.price, "102.5");
  assert.equal(report.trades[0]!.ts, (T0 + MIN + 7n * SEC).toString());
});

Deno.test("a strategy sees only closed data: every bar it gets holds exactly the ticks before its close", async () => {
  const rows = randomRows(5, 4_000, T0);
  const seen: BarData[] = [];
  const snapshots: string[] = [];
  const peek = (bar: BarData): Signal => {
    seen.push(bar);
    snapshots.push(JSON.stringify(bar, (_, v) => typeof v === "bigint" ? `${v}` : v));
    return { action: "HOLD" };
  };
  await runBacktest({
    strategy: probe(peek),
    params: {},
    source: rowsSource(rows, 333),
    accounts: ACCOUNTS,
    fees: NO_FEES,
  });
  assert.ok(seen.length > 20);
  for (const [k, bar] of seen.entries()) {
    // Held references never change afterwards.
    assert.equal(JSON.stringify(bar, (_, v) => typeof v === "bigint" ? `${v}` : v), snapshots[k]);
    const inside = rows.filter((r) => r.ts >= bar.ohlcBar.openTime && r.ts < bar.ohlcBar.closeTime);
    assert.equal(bar.metadata.tickCount, inside.length);
    if (inside.length > 0) {
      const max = inside.reduce((m, r) => (r.price > m ? r.price : m), inside[0]!.price);
      assert.equal(bar.ohlcBar.high, Number(max) / 1e9);
      assert.equal(bar.ohlcBar.close, Number(inside[inside.length - 1]!.price) / 1e9);
    }
  }
});

Deno.test("a strategy that tries to trade on a close it has not seen yet cannot: fills follow its events", async () => {
  // The peeker buys when it 'expects' the next bar up; whatever it does, a fill's tick is later
  // than the event that caused it.
  const rows = randomRows(9, 3_000, T0);
  const eventTimes: bigint[] = [];
  const report = await runBacktest({
    strategy: probe((bar) => {
      eventTimes.push(bar.ohlcBar.closeTime);
      return eventTimes.length % 2
        ? { action: "BUY", quantity: "0.1" }
        : { action: "SELL", target: 0 };
    }),
    params: {},
    source: rowsSource(rows),
    accounts: ACCOUNTS,
    fees: NO_FEES,
  });
  assert.ok(report.trades.length > 10);
  for (const trade of report.trades) {
    const fillTs = BigInt(trade.ts);
    const cause = eventTimes.filter((t) => t <= fillTs).length;
    assert.ok(cause > 0, "a fill before any event");
    assert.ok(eventTimes[cause - 1]! <= fillTs);
  }
});

Deno.test("a strategy maps to its configured account, and --account overrides it", async () => {
  const rows = randomRows(2, 500, T0);
  const mapped = await runBacktest({
    strategy: probe(() => ({ action: "HOLD" })),
    params: {},
    source: rowsSource(rows),
    accounts: ACCOUNTS,
    fees: NO_FEES,
  });
  assert.equal(mapped.accountId, "SIM-B");
  assert.equal(mapped.metrics.initialEquity, "5000");
  const chosen = await runBacktest({
    strategy: probe(() => ({ action: "HOLD" })),
    params: {},
    source: rowsSource(rows),
    accounts: ACCOUNTS,
    fees: NO_FEES,
    accountId: "SIM-001",
  });
  assert.equal(chosen.accountId, "SIM-001");
});

Deno.test("a strategy that throws stops the run: partial results with the error's file and line", async () => {
  const rows = randomRows(4, 2_000, T0);
  let bars = 0;
  const report = await runBacktest({
    strategy: probe(() => {
      if (++bars === 5) throw new Error("boom");
      return { action: "HOLD" };
    }),
    params: {},
    source: rowsSource(rows, 100),
    accounts: ACCOUNTS,
    fees: NO_FEES,
  });
  assert.equal(report.partial, true);
  assert.match(report.error!, /^Strategy probe threw at .*backtest_test\.ts:\d+:\d+: boom$/);
  assert.equal(report.candles.length, 4, "the bar it threw on is not recorded");
  assert.ok(report.data.ticks < rows.length);
});

Deno.test("the range end closes the last bars; a strategy in each-tick mode trades between closes", async () => {
  const rows = [{ ts: T0 + SEC, price: cents(100), size: 1 }, {
    ts: T0 + 2n * SEC,
    price: cents(101),
    size: 1,
  }, { ts: T0 + 3n * SEC, price: cents(102), size: 1 }];
  let ticks = 0;
  const report = await runBacktest({
    strategy: probe((bar) => {
      if (bar.currentTick !== undefined && ++ticks === 1) return { action: "BUY", quantity: 2 };
      return { action: "HOLD" };
    }, "OnEachTick"),
    params: {},
    source: rowsSource(rows),
    accounts: ACCOUNTS,
    fees: NO_FEES,
    to: T0 + 3n * MIN,
  });
  assert.equal(report.trades.length, 1);
  assert.equal(report.trades[0]!.price, "1.01");
  assert.equal(report.candles.length, 3);
  assert.deepEqual(report.candles.map((c) => c.synthetic), [false, true, true]);
  assert.equal(report.metrics.finalEquity, "5000.02");
});
