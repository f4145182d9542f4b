import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { daysOf, partitionName } from "./partitions.ts";
import {
  canonicalQuantity,
  checksumTicks,
  compareTicks,
  dayOfNs,
  dayStartNs,
  NS_PER_DAY,
  type Tick,
  tickCopyLine,
  validateTick,
} from "./tick.ts";

const TICK: Tick = {
  tsEvent: 1_763_683_200_000_000_001n,
  tsRecv: 1_763_683_200_000_500_000n,
  instrumentId: 4_000_000_000,
  symbol: "BTCUSD",
  exchange: "BINANCE",
  price: 91_234_560_000_000n,
  size: 1_234,
  quantity: "0.001234",
  side: "B",
  tradeId: "5123456789",
  flags: 128,
  sequence: 42,
};

Deno.test("a valid tick passes and prints as one COPY line", () => {
  validateTick(TICK);
  assert.equal(
    tickCopyLine(TICK),
    "1763683200000000001\t1763683200000500000\t4000000000\tBTCUSD\tBINANCE\t91234560000000\t1234\t0.001234\tB\t5123456789\t128\t42\n",
  );
});

Deno.test("each bad field is named in a one-line invalid_tick error", () => {
  const cases: [Partial<Tick>, RegExp][] = [
    [{ tsEvent: -1n }, /ts_event/],
    [{ price: (1n << 63n) - 1n }, /price is undefined/],
    [{ size: 2 ** 32 }, /size is not a u32/],
    [{ size: 1.5 }, /size/],
    [{ instrumentId: -1 }, /instrument_id/],
    [{ quantity: "1e-8" }, /quantity/],
    [{ quantity: "-1" }, /quantity/],
    [{ side: "X" as "A" }, /side/],
    [{ tradeId: "a\tb" }, /trade_id/],
    [{ tradeId: "a\\b" }, /trade_id/],
    [{ tradeId: "" }, /trade_id/],
    [{ flags: 256 }, /flags/],
    [{ sequence: -1 }, /sequence/],
  ];
  for (const [patch, pattern] of cases) {
    assert.throws(() => validateTick({ ...TICK, ...patch }), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.code, "invalid_tick");
      assert.match(error.message, pattern);
      return true;
    });
  }
  assert.throws(() => validateTick({ ...TICK, symbol: "btc/usd" }), /invalid symbol/);
});

Deno.test("UTC days map to and from nanoseconds, before 1970 too", () => {
  assert.equal(dayOfNs(1_763_683_200_000_000_000n), "2025-11-21");
  assert.equal(dayOfNs(1_763_683_200_000_000_000n - 1n), "2025-11-20");
  assert.equal(dayOfNs(-1n), "1969-12-31");
  assert.equal(dayStartNs("2025-11-21"), 1_763_683_200_000_000_000n);
  assert.equal(dayStartNs("1970-01-02"), NS_PER_DAY);
  assert.throws(() => dayStartNs("2025-13-01"), /invalid day/);
  assert.throws(() => dayStartNs("20251121"), /invalid day/);
  assert.equal(partitionName("2025-11-21"), "tick_data_p20251121");
  const start = dayStartNs("2025-11-21");
  assert.deepEqual(
    [...daysOf([start, start + 5n, start + NS_PER_DAY, start - 1n, start + 7n])],
    ["2025-11-21", "2025-11-22", "2025-11-20"],
  );
});

Deno.test("ticks order by time, then exchange, then trade id; checksums follow order", () => {
  const a = { ...TICK, exchange: "BINANCE", tradeId: "2" };
  const b = { ...TICK, exchange: "KRAKEN", tradeId: "1" };
  const c = { ...TICK, tsEvent: TICK.tsEvent + 1n };
  assert.deepEqual([c, b, a].sort(compareTicks), [a, b, c]);
  assert.notEqual(checksumTicks([a, b]), checksumTicks([b, a]));
  assert.equal(checksumTicks([a, b]), checksumTicks([{ ...a }, { ...b }]));
  assert.equal(canonicalQuantity("007.50"), "7.50");
  assert.equal(canonicalQuantity("0"), "0");
});
