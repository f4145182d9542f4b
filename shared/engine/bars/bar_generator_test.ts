import assert from "node:assert/strict";
import type { BarData, BarDataMode, BarType } from "../types.ts";
import { BarGenerator } from "./bar_generator.ts";
import { cents, chunkOf, EventLog, ns, randomRows, type Row } from "./_testing.ts";

const ONE_MINUTE: BarType = { kind: "time", timeframe: "1m" };

function generator(mode: BarDataMode, barType: BarType = ONE_MINUTE): BarGenerator {
  return new BarGenerator({ symbol: "BTCUSD", barType, mode, sizeScale: 2 });
}

function history(
  rows: readonly Row[],
  mode: BarDataMode,
  barType: BarType,
  cuts: readonly number[],
  end?: bigint,
): (BarData | string)[] {
  using g = generator(mode, barType);
  const log = new EventLog();
  let from = 0;
  for (const cut of [...cuts, rows.length]) {
    using chunk = chunkOf(rows, from, cut);
    if (cut > from) g.process(chunk, log);
    from = cut;
  }
  if (end !== undefined) g.closeDue(end, log);
  return log.events;
}

/** Real time: a timer every `timerNs` closes bars, ticks arrive one by one. */
function realtime(
  rows: readonly Row[],
  mode: BarDataMode,
  barType: BarType,
  timerNs: bigint,
  end: bigint,
): (BarData | string)[] {
  using g = generator(mode, barType);
  const log = new EventLog();
  let clock = rows[0]!.ts - (rows[0]!.ts % timerNs);
  for (const row of rows) {
    while (clock + timerNs <= row.ts) {
      clock += timerNs;
      g.closeDue(clock, log);
    }
    g.pushTick(row.ts, row.price, row.size, row.side ?? 78, log);
  }
  while (clock + timerNs <= end) {
    clock += timerNs;
    g.closeDue(clock, log);
  }
  g.closeDue(end, log);
  return log.events;
}

function closes(events: readonly (BarData | string)[]): BarData[] {
  return events.filter((e): e is BarData => typeof e !== "string" && e.metadata.isBarClosed);
}

const T0 = ns("2024-01-01T00:00:00Z");
const MIN = 60_000_000_000n;
const SEC = 1_000_000_000n;
const TICKS: Row[] = [
  { ts: T0 + 5n * SEC, price: cents(10000), size: 100 },
  { ts: T0 + 20n * SEC, price: cents(10050), size: 50 },
  { ts: T0 + 40n * SEC, price: cents(9990), size: 25 },
  { ts: T0 + 59n * SEC, price: cents(10010), size: 25 },
  // 00:01 and 00:02 are empty
  { ts: T0 + 3n * MIN + SEC, price: cents(10020), size: 10 },
  { ts: T0 + 3n * MIN + 2n * SEC, price: cents(10020), size: 10 },
];

Deno.test("1m bars: OHLCV of a closed bar, then synthetic bars at the last price for empty minutes", () => {
  const events = history(TICKS, "OnCloseBar", ONE_MINUTE, []);
  assert.equal(events.length, 3);
  const [first, gap1, gap2] = events as BarData[];
  assert.deepEqual(first!.ohlcBar, {
    openTime: T0,
    closeTime: T0 + MIN,
    open: 100,
    high: 100.5,
    low: 99.9,
    close: 100.1,
    volume: 2,
  });
  assert.deepEqual(first!.metadata, {
    symbol: "BTCUSD",
    barType: ONE_MINUTE,
    isFirstTick: false,
    isBarClosed: true,
    isSynthetic: false,
    tickCount: 4,
  });
  for (const [k, bar] of [gap1!, gap2!].entries()) {
    assert.equal(bar.metadata.isSynthetic, true);
    assert.equal(bar.ohlcBar.openTime, T0 + BigInt(k + 1) * MIN);
    assert.deepEqual(
      [bar.ohlcBar.open, bar.ohlcBar.high, bar.ohlcBar.low, bar.ohlcBar.close, bar.ohlcBar.volume],
      [100.1, 100.1, 100.1, 100.1, 0],
    );
  }
});

Deno.test("the open bar is never delivered on close-bar mode until its minute has ended", () => {
  const open = history(TICKS, "OnCloseBar", ONE_MINUTE, [], T0 + 3n * MIN + 59n * SEC);
  assert.equal(open.length, 3);
  const closed = history(TICKS, "OnCloseBar", ONE_MINUTE, [], T0 + 4n * MIN);
  assert.equal(closed.length, 4);
  assert.equal((closed[3] as BarData).ohlcBar.close, 100.2);
  assert.equal((closed[3] as BarData).metadata.tickCount, 2);
});

Deno.test("each-tick mode: one event per tick with the bar so far, closes come before the next tick", () => {
  const events = history(TICKS, "OnEachTick", ONE_MINUTE, []) as BarData[];
  const kinds = events.map((e) =>
    e.metadata.isBarClosed ? (e.metadata.isSynthetic ? "S" : "C") : "T"
  );
  assert.deepEqual(kinds.join(""), "TTTTCSSTT");
  assert.equal(events[0]!.metadata.isFirstTick, true);
  assert.equal(events[1]!.metadata.isFirstTick, false);
  assert.equal(events[2]!.ohlcBar.low, 99.9);
  assert.equal(events[2]!.ohlcBar.high, 100.5);
  assert.equal(events[2]!.currentTick?.price, 99.9);
  assert.equal(events[2]!.currentTick?.priceFixed, cents(9990));
  assert.equal(events[2]!.currentTick?.size, 0.25);
  assert.equal(events[7]!.metadata.isFirstTick, true);
});

Deno.test("price-move mode skips a tick at the same price as the previous one", () => {
  const events = history(TICKS, "OnPriceMove", ONE_MINUTE, []) as BarData[];
  const ticks = events.filter((e) => !e.metadata.isBarClosed);
  assert.deepEqual(ticks.map((e) => e.currentTick!.price), [100, 100.5, 99.9, 100.1, 100.2]);
});

Deno.test("tick bars close on their Nth tick and never by time", () => {
  const events = history(TICKS, "OnCloseBar", { kind: "tick", ticks: 4 }, [], T0 + 99n * MIN);
  assert.equal(events.length, 1);
  const bar = events[0] as BarData;
  assert.equal(bar.ohlcBar.openTime, T0 + 5n * SEC);
  assert.equal(bar.ohlcBar.closeTime, T0 + 59n * SEC);
  assert.equal(bar.metadata.tickCount, 4);
  const each = history(TICKS, "OnEachTick", { kind: "tick", ticks: 3 }, []) as BarData[];
  assert.deepEqual(
    each.map((e) => e.metadata.isBarClosed ? "C" : "T").join(""),
    "TTTCTTTC",
  );
});

Deno.test("1w bars start on Monday 00:00 UTC and 1d bars at midnight UTC", () => {
  const wednesday = ns("2024-01-03T12:00:00Z");
  const rows = [{ ts: wednesday, price: cents(1), size: 1 }];
  const week = history(rows, "OnCloseBar", { kind: "time", timeframe: "1w" }, [], wednesday * 2n);
  assert.equal((week[0] as BarData).ohlcBar.openTime, ns("2024-01-01T00:00:00Z"));
  assert.equal((week[0] as BarData).ohlcBar.closeTime, ns("2024-01-08T00:00:00Z"));
  const day = history(rows, "OnCloseBar", { kind: "time", timeframe: "1d" }, [], wednesday * 2n);
  assert.equal((day[0] as BarData).ohlcBar.openTime, ns("2024-01-03T00:00:00Z"));
});

Deno.test("a BarData is frozen: a strategy cannot change what it was given", () => {
  const [bar] = history(TICKS, "OnCloseBar", ONE_MINUTE, []) as BarData[];
  assert.ok(
    Object.isFrozen(bar) && Object.isFrozen(bar!.ohlcBar) && Object.isFrozen(bar!.metadata),
  );
  assert.throws(() => {
    (bar!.ohlcBar as { close: number }).close = 1;
  }, TypeError);
});

Deno.test("the stop band stops at the first crossing tick before it is aggregated", () => {
  using g = generator("OnCloseBar");
  using chunk = chunkOf(TICKS);
  const seen: string[] = [];
  g.setStopBand(cents(9995), cents(10_040));
  g.process(chunk, {
    onBarData: (e) => seen.push(`bar ${e.metadata.tickCount}`),
    onCross: (i) => {
      seen.push(`cross ${i} ${g.tickAt(i).price}`);
      g.clearStopBand();
    },
  });
  assert.deepEqual(seen, ["cross 1 100500000000", "bar 4", "bar 0", "bar 0"]);
});

for (const mode of ["OnCloseBar", "OnEachTick", "OnPriceMove"] as const) {
  for (
    const barType of [ONE_MINUTE, { kind: "time", timeframe: "5m" }, {
      kind: "tick",
      ticks: 7,
    }] as BarType[]
  ) {
    const label = barType.kind === "time" ? barType.timeframe : `${barType.ticks}t`;
    Deno.test(`history in any chunking and real time with a 1 s timer give identical events (${mode}, ${label})`, () => {
      const rows = randomRows(7, 3_000, T0);
      const end = rows[rows.length - 1]!.ts + 11n * MIN;
      const whole = history(rows, mode, barType, [], end);
      assert.ok(closes(whole).length > 10);
      assert.ok(closes(whole).some((e) => e.metadata.isSynthetic) || barType.kind === "tick");
      assert.deepEqual(history(rows, mode, barType, [1, 2, 500, 501, 2_999], end), whole);
      assert.deepEqual(realtime(rows, mode, barType, SEC, end), whole);
    });
  }
}

Deno.test("columns outside the core's memory give the same events as core columns", () => {
  const rows = randomRows(3, 500, T0);
  using g = generator("OnEachTick");
  const log = new EventLog();
  g.process({
    length: rows.length,
    tsEvent: BigUint64Array.from(rows, (r) => r.ts),
    price: BigInt64Array.from(rows, (r) => r.price),
    size: Uint32Array.from(rows, (r) => r.size),
    side: Uint8Array.from(rows, (r) => r.side ?? 78),
  }, log);
  assert.deepEqual(log.events, history(rows, "OnEachTick", ONE_MINUTE, []));
});
