import assert from "node:assert/strict";
import { BoundedQueue } from "./tick_queue.ts";
import { LatencyWindow } from "./latency_window.ts";
import { TickValidator } from "./validate.ts";
import type { LiveTrade } from "../ipc/mod.ts";

const NOW_NS = 1_700_000_000_000_000_000n;

function trade(overrides: Partial<LiveTrade> = {}): LiveTrade {
  return {
    symbol: "BTCUSD",
    exchange: "KRAKEN",
    instrumentId: 7,
    tsEvent: NOW_NS - 1_000_000n,
    tsRecv: NOW_NS,
    price: 42_150_250_000_000n,
    size: 3,
    side: "B",
    flags: 0,
    sequence: 1,
    readNs: 0,
    ...overrides,
  };
}

Deno.test("the bounded queue keeps FIFO order, refuses a push when full and reports utilisation", () => {
  const queue = new BoundedQueue<number>(3);
  assert.equal(queue.push(1), true);
  assert.equal(queue.push(2), true);
  assert.equal(queue.push(3), true);
  assert.equal(queue.push(4), false);
  assert.equal(queue.utilisationPct, 100);
  assert.equal(queue.shift(), 1);
  assert.equal(queue.push(5), true);
  assert.deepEqual([queue.shift(), queue.shift(), queue.shift(), queue.shift()], [
    2,
    3,
    5,
    undefined,
  ]);
  assert.equal(queue.highWater, 3);
  assert.equal(queue.utilisationPct, 0);
});

Deno.test("validation rejects non-positive price and size, insane timestamps and unknown instruments", () => {
  const validator = new TickValidator(["BTCUSD"], () => NOW_NS);
  assert.equal(validator.check(trade()), undefined);
  assert.equal(validator.check(trade({ price: 0n })), "bad_price");
  assert.equal(validator.check(trade({ price: -5n })), "bad_price");
  assert.equal(validator.check(trade({ size: 0 })), "bad_size");
  assert.equal(validator.check(trade({ tsEvent: 0n })), "bad_timestamp");
  assert.equal(validator.check(trade({ tsEvent: NOW_NS + 120_000_000_000n })), "future_timestamp");
  assert.equal(validator.check(trade({ symbol: "ETHUSD" })), "unknown_instrument");
  // The channel's instrument is fixed by its first good tick.
  assert.equal(validator.check(trade({ instrumentId: 8 })), "unknown_instrument");
  assert.equal(validator.check(trade({ exchange: "BINANCE", instrumentId: 8 })), undefined);
});

Deno.test("latency percentiles are nearest-rank over the window's last samples", () => {
  const window = new LatencyWindow(4);
  assert.equal(window.percentile(50), undefined);
  for (const ns of [100, 1, 2, 3, 4]) window.add(ns); // 100 falls out of the window
  assert.equal(window.count, 4);
  assert.equal(window.percentile(50), 2);
  assert.equal(window.percentile(99), 4);
  assert.equal(window.percentile(0), 1);
});

Deno.test("TickValidator reads the clock per batch, and relearns a channel's instrument after forget()", () => {
  let now = NOW_NS;
  const validator = new TickValidator(["BTCUSD"], () => now);
  const ahead = trade({ tsEvent: NOW_NS + 90_000_000_000n });
  assert.equal(validator.check(ahead), "future_timestamp");
  now = NOW_NS + 60_000_000_000n;
  assert.equal(validator.check(ahead), "future_timestamp", "the clock is read once per batch");
  validator.refreshClock();
  assert.equal(validator.check(ahead), undefined);
  assert.equal(validator.check(trade({ instrumentId: 8 })), "unknown_instrument");
  validator.forget("BTCUSD", trade().exchange);
  assert.equal(validator.check(trade({ instrumentId: 8 })), undefined);
  assert.equal(validator.check(trade()), "unknown_instrument");
});
