import assert from "node:assert/strict";
import { ChannelReader } from "./channel_reader.ts";
import { ChannelWriter } from "./channel_writer.ts";
import { consume, DEFAULT_POLL_POLICY } from "./poller.ts";
import {
  CHECKED_RECORD_BYTES,
  checkRecord,
  removeNamespace,
  uniqueNamespace,
  writeCheckedRecord,
} from "./testing.ts";

const KEY = { symbol: "BTCUSD", exchange: "KRAKEN" };

Deno.test("consume() delivers every record in order while the writer publishes from a timer, and stops on abort", async () => {
  const namespace = uniqueNamespace();
  const writer = ChannelWriter.create({ namespace, key: KEY, capacity: 1024 });
  const reader = ChannelReader.open({ namespace, key: KEY });
  const record = new Uint8Array(CHECKED_RECORD_BYTES);
  const view = new DataView(record.buffer);
  const timer = setInterval(() => {
    for (let i = 0; i < 10; i++) {
      writeCheckedRecord(view, 0, writer.sequence);
      writer.publish(record);
    }
  }, 1);
  const seen: number[] = [];
  const stop = new AbortController();
  try {
    const stats = await consume(reader, (batch) => {
      for (let i = 0; i < batch.count; i++) seen.push(checkRecord(batch.view, batch.offset(i)));
      if (seen.length >= 500) stop.abort();
    }, { signal: stop.signal });
    assert.deepEqual(seen.slice(0, 500), Array.from({ length: 500 }, (_, i) => i));
    assert.equal(stats.lost, 0);
    assert.equal(stats.records, seen.length);
  } finally {
    clearInterval(timer);
    reader.close();
    writer.close();
    removeNamespace(namespace);
  }
});

Deno.test("an idle consume() goes from spinning to yielding to sleeps that double up to maxSleepMs", async () => {
  const namespace = uniqueNamespace();
  const writer = ChannelWriter.create({ namespace, key: KEY, capacity: 64 });
  const reader = ChannelReader.open({ namespace, key: KEY });
  // A clock that moves 50 us per reading: spin (100 us) and yield (1000 us) stages pass quickly.
  let clock = 0;
  const now = () => (clock += 50_000);
  const stop = new AbortController();
  const sleeps: number[] = [];
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    sleeps.push(ms ?? 0);
    if (sleeps.length >= 6) stop.abort();
    return realSetTimeout(fn, 0);
  }) as typeof setTimeout;
  try {
    const stats = await consume(reader, () => {}, { signal: stop.signal, now });
    assert.deepEqual(sleeps, [
      1,
      2,
      4,
      8,
      DEFAULT_POLL_POLICY.maxSleepMs,
      DEFAULT_POLL_POLICY.maxSleepMs,
    ]);
    assert.ok(stats.yields > 0, "it yielded before it slept");
    assert.equal(stats.records, 0);
  } finally {
    globalThis.setTimeout = realSetTimeout;
    reader.close();
    writer.close();
    removeNamespace(namespace);
  }
});
