import assert from "node:assert/strict";
import { ChannelReader } from "./channel_reader.ts";
import { ChannelWriter } from "./channel_writer.ts";
import { consume, consumeMany, DEFAULT_POLL_POLICY, emptyPollStats } from "./poller.ts";
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

Deno.test("consumeMany() polls every reader the getter returns and hands each batch with its reader", async () => {
  const namespace = uniqueNamespace();
  const keys = [KEY, { symbol: "ETHUSD", exchange: "KRAKEN" }];
  const writers = keys.map((key) => ChannelWriter.create({ namespace, key, capacity: 64 }));
  const readers = keys.map((key) => ChannelReader.open({ namespace, key }));
  const record = new Uint8Array(CHECKED_RECORD_BYTES);
  const view = new DataView(record.buffer);
  const seen = new Map<string, number[]>();
  const stop = new AbortController();
  const stats = emptyPollStats();
  let active = readers.slice(0, 1);
  try {
    for (const writer of writers) {
      for (let i = 0; i < 3; i++) {
        writeCheckedRecord(view, 0, writer.sequence);
        writer.publish(record);
      }
    }
    const loop = consumeMany(() => active, (batch, reader, index) => {
      assert.equal(active[index], reader);
      const list = seen.get(reader.symbol) ?? [];
      for (let i = 0; i < batch.count; i++) list.push(checkRecord(batch.view, batch.offset(i)));
      seen.set(reader.symbol, list);
      if (reader.symbol === "BTCUSD") active = readers; // the set changes between rounds
      if (seen.get("ETHUSD")?.length === 3) stop.abort();
    }, { signal: stop.signal, stats });
    assert.equal(await loop, stats, "the counters given are the ones updated");
    assert.deepEqual(seen.get("BTCUSD"), [0, 1, 2]);
    assert.deepEqual(seen.get("ETHUSD"), [0, 1, 2]);
    assert.equal(stats.records, 6);
  } finally {
    for (const reader of readers) reader.close();
    for (const writer of writers) writer.close();
    removeNamespace(namespace);
  }
});

Deno.test("consumeMany() polls nothing while paused() holds, then delivers what waited", async () => {
  const namespace = uniqueNamespace();
  const writer = ChannelWriter.create({ namespace, key: KEY, capacity: 64 });
  const reader = ChannelReader.open({ namespace, key: KEY });
  const record = new Uint8Array(CHECKED_RECORD_BYTES);
  const view = new DataView(record.buffer);
  const stop = new AbortController();
  let pausedChecks = 0;
  const seen: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      writeCheckedRecord(view, 0, writer.sequence);
      writer.publish(record);
    }
    const stats = await consumeMany(() => [reader], (batch) => {
      assert.ok(pausedChecks >= 20, "no batch while paused");
      for (let i = 0; i < batch.count; i++) seen.push(checkRecord(batch.view, batch.offset(i)));
      stop.abort();
    }, { signal: stop.signal, paused: () => ++pausedChecks <= 20 });
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    assert.ok(stats.yields + stats.sleeps >= 20, "it waited while paused");
  } finally {
    reader.close();
    writer.close();
    removeNamespace(namespace);
  }
});
