import assert from "node:assert/strict";
import { ChannelReader } from "./channel_reader.ts";
import { RecordBatch } from "./record_batch.ts";
import { ChannelWriter } from "./channel_writer.ts";
import { channelBytes, HEADER_BYTES, OFF } from "./channel_layout.ts";
import { IpcError } from "./ipc_error.ts";
import { inspectChannel } from "./channel_info.ts";
import { createShm, listShm, openShm } from "./shm.ts";
import {
  CHECKED_RECORD_BYTES,
  checkRecord,
  testWithNamespace,
  writeCheckedRecord,
} from "./testing.ts";
import { namespaceDir, segmentPath } from "./names.ts";

const KEY = { symbol: "BTCUSD", exchange: "KRAKEN" };

function records(first: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * CHECKED_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) writeCheckedRecord(view, i * CHECKED_RECORD_BYTES, first + i);
  return bytes;
}

function sequences(batch: RecordBatch): number[] {
  return Array.from({ length: batch.count }, (_, i) => checkRecord(batch.view, batch.offset(i)));
}

testWithNamespace(
  "a channel file is named as the seed, mode 0600, 3 MiB + one page at the default capacity",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY });
    assert.equal(writer.name, "data_manager_BTCUSD_KRAKEN");
    const info = Deno.statSync(segmentPath(ns, writer.name));
    assert.equal(info.size, 4096 + 65536 * 48);
    assert.equal(info.mode! & 0o777, 0o600);
    assert.equal(Deno.statSync(namespaceDir(ns)).mode! & 0o777, 0o700);
    const named = ChannelWriter.create({
      namespace: ns,
      key: { ...KEY, instanceId: "kraken-prod" },
      capacity: 8,
    });
    assert.equal(named.name, "data_manager_kraken-prod__BTCUSD_KRAKEN");
    assert.deepEqual(listShm(ns), [
      "data_manager_BTCUSD_KRAKEN",
      "data_manager_kraken-prod__BTCUSD_KRAKEN",
    ]);
    writer.close();
    named.close();
  },
);

testWithNamespace(
  "records published one by one and in batches come back in order, across the ring's wrap",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    const reader = ChannelReader.open({ namespace: ns, key: KEY });
    const batch = new RecordBatch(reader.slotBytes, 16);
    assert.equal(reader.poll(batch), 0);
    writer.publish(records(0, 1));
    writer.publishBatch(records(1, 5), 5);
    assert.equal(reader.poll(batch), 6);
    assert.deepEqual(sequences(batch), [0, 1, 2, 3, 4, 5]);
    writer.publishBatch(records(6, 7), 7); // wraps: slots 6, 7, then 0..4
    assert.equal(reader.poll(batch), 7);
    assert.equal(batch.firstSequence, 6);
    assert.deepEqual(sequences(batch), [6, 7, 8, 9, 10, 11, 12]);
    assert.equal(batch.lost, 0);
    assert.equal(reader.writerStatus().lag, 0);
    reader.close();
    writer.close();
  },
);

testWithNamespace(
  "a reader lapped by the writer reports exactly the records it lost and resumes",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    const reader = ChannelReader.open({ namespace: ns, key: KEY });
    const batch = new RecordBatch(reader.slotBytes, 4);
    writer.publishBatch(records(0, 30), 30);
    assert.equal(reader.poll(batch), 4);
    assert.equal(batch.lost, 22); // only the last 8 survive; 4 fit the batch
    assert.deepEqual(sequences(batch), [22, 23, 24, 25]);
    assert.equal(reader.poll(batch), 4);
    assert.deepEqual(sequences(batch), [26, 27, 28, 29]);
    assert.equal(reader.lost, 22);
    writer.publishBatch(records(30, 100), 100); // larger than the ring in one call
    assert.equal(reader.poll(batch), 4);
    assert.equal(batch.lost, 92);
    assert.deepEqual(sequences(batch), [122, 123, 124, 125]);
    reader.close();
    writer.close();
  },
);

testWithNamespace(
  "readers start at the latest record by default or at the oldest still held",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    writer.publishBatch(records(0, 12), 12);
    const latest = ChannelReader.open({ namespace: ns, key: KEY });
    const oldest = ChannelReader.open({ namespace: ns, key: KEY, from: "oldest" });
    assert.equal(latest.cursor, 12);
    assert.equal(oldest.cursor, 4);
    const batch = new RecordBatch(latest.slotBytes, 16);
    assert.equal(oldest.poll(batch), 8);
    assert.equal(batch.lost, 0);
    assert.equal(latest.poll(batch), 0);
    latest.close();
    oldest.close();
    writer.close();
  },
);

testWithNamespace(
  "a second live writer on a channel is refused; a new writer continues the sequence",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    writer.publishBatch(records(0, 3), 3);
    assert.throws(
      () => ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 }),
      (error) =>
        error instanceof IpcError && error.code === "busy" &&
        /live writer \(pid \d+\)/.test(error.message),
    );
    const reader = ChannelReader.open({ namespace: ns, key: KEY, from: "oldest" });
    writer.close();
    assert.equal(reader.writerStatus().state, "closed");
    const next = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    assert.equal(next.sequence, 3);
    next.publishBatch(records(3, 2), 2);
    const batch = new RecordBatch(reader.slotBytes, 16);
    assert.equal(reader.poll(batch), 5);
    assert.deepEqual(sequences(batch), [0, 1, 2, 3, 4]);
    const status = reader.writerStatus();
    assert.equal(status.generation, 2);
    assert.equal(status.state, "open");
    reader.close();
    next.close();
  },
);

testWithNamespace(
  "a writer that died mid-publish is fenced: readers skip its half-written records and count them",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    writer.publishBatch(records(0, 4), 4);
    const reader = ChannelReader.open({ namespace: ns, key: KEY, from: "oldest" });
    // Simulate the crash: intent announced for 3 more records, tail never moved, lock released.
    const raw = openShm(ns, writer.name);
    new BigUint64Array(raw.buffer, 0, 512)[OFF.intent / 8] = 7n;
    writer.close();
    new Uint32Array(raw.buffer, 0, 1024)[OFF.state / 4] = 1;
    raw.close();
    const next = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    assert.equal(next.sequence, 7);
    next.publishBatch(records(7, 2), 2);
    const batch = new RecordBatch(reader.slotBytes, 16);
    assert.equal(reader.poll(batch), 2);
    assert.equal(batch.lost, 7); // the fence drops 0..6, the four good ones included: counted, never torn
    assert.deepEqual(sequences(batch), [7, 8]);
    reader.close();
    next.close();
  },
);

testWithNamespace(
  "a file of another layout version, a truncated one or a foreign one is a clear error",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    writer.close();
    const raw = openShm(ns, writer.name);
    new Uint32Array(raw.buffer, 0, 16)[OFF.version / 4] = 99;
    raw.close();
    assert.throws(
      () => ChannelReader.open({ namespace: ns, key: KEY }),
      /has layout version 99; this build reads version 1/,
    );
    const short = createShm(ns, "data_manager_ETHUSD_KRAKEN", HEADER_BYTES);
    const good = ChannelWriter.create({
      namespace: ns,
      key: { symbol: "SOLUSD", exchange: "KRAKEN" },
      capacity: 8,
    });
    const source = openShm(ns, good.name);
    new Uint8Array(short.buffer).set(new Uint8Array(source.buffer, 0, HEADER_BYTES));
    source.close();
    short.close();
    assert.throws(
      () => ChannelReader.open({ namespace: ns, key: { symbol: "ETHUSD", exchange: "KRAKEN" } }),
      (error) =>
        error instanceof IpcError && error.code === "truncated" &&
        error.message.includes(`needs ${channelBytes(8, 48)}`),
    );
    const foreign = createShm(ns, "data_manager_XRPUSD_KRAKEN", 8192);
    new Uint8Array(foreign.buffer).fill(7);
    foreign.close();
    assert.throws(
      () => ChannelReader.open({ namespace: ns, key: { symbol: "XRPUSD", exchange: "KRAKEN" } }),
      /is not a channel file/,
    );
    assert.throws(
      () => ChannelReader.open({ namespace: ns, key: { symbol: "ADAUSD", exchange: "KRAKEN" } }),
      /does not exist/,
    );
    // A writer with nobody holding the old file recreates it in the current layout.
    const fresh = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    assert.equal(fresh.sequence, 0);
    fresh.close();
    good.close();
  },
);

testWithNamespace("names outside [A-Za-z0-9_-] are refused before any file is named", (ns) => {
  for (
    const key of [
      { symbol: "../../etc", exchange: "KRAKEN" },
      { symbol: "BRK.B", exchange: "KRAKEN" },
      { symbol: "BTCUSD", exchange: "KRAKEN", instanceId: "../x" },
      { symbol: "BTCUSD", exchange: "KRAKEN", instanceId: "a".repeat(33) },
      { symbol: "BTCUSD", exchange: "KRAKEN", instanceId: "a__b" },
      { symbol: "BTCUSD", exchange: "../KRAKEN" },
    ]
  ) {
    assert.throws(
      () => ChannelWriter.create({ namespace: ns, key }),
      (e) => e instanceof IpcError && e.code === "invalid_name",
    );
  }
  assert.throws(
    () => ChannelWriter.create({ namespace: "../etc", key: KEY }),
    /Invalid IPC namespace/,
  );
  assert.throws(() => Deno.statSync(namespaceDir(ns)), Deno.errors.NotFound);
});

testWithNamespace("a channel opened in a Worker reads what the main thread writes", async (ns) => {
  const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 64 });
  const worker = new Worker(new URL("../../tests/ipc/worker_reader.ts", import.meta.url), {
    type: "module",
  });
  const result = new Promise<{ sequences: number[] }>((resolve, reject) => {
    worker.onmessage = (event) => {
      if (event.data === "ready") writer.publishBatch(records(0, 10), 10);
      else resolve(event.data);
    };
    worker.onerror = (event) => reject(event.error ?? new Error(event.message));
  });
  worker.postMessage({ namespace: ns, symbol: KEY.symbol, exchange: KEY.exchange, count: 10 });
  const { sequences: got } = await result;
  worker.terminate();
  writer.close();
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

testWithNamespace(
  "inspectChannel shows the write sequence and each reader's cursor, lag and losses",
  (ns) => {
    const writer = ChannelWriter.create({ namespace: ns, key: KEY, capacity: 8 });
    const reader = ChannelReader.open({ namespace: ns, key: KEY });
    const batch = new RecordBatch(reader.slotBytes, 4);
    writer.publishBatch(records(0, 20), 20);
    reader.poll(batch); // loses 12, reads 4
    writer.publishBatch(records(20, 3), 3);
    const info = inspectChannel(ns, writer.name);
    assert.equal(info.writeSequence, 23);
    assert.equal(info.symbol, "BTCUSD");
    assert.equal(info.schema, "trades");
    assert.equal(info.bytes, channelBytes(8, 48));
    assert.deepEqual(
      info.readers.map(({ pid, cursor, lag, lost }) => ({ pid, cursor, lag, lost })),
      [
        { pid: Deno.pid, cursor: 16, lag: 7, lost: 12 },
      ],
    );
    reader.close();
    assert.deepEqual(
      inspectChannel(ns, writer.name).readers,
      [],
      "close() frees the reader's entry",
    );
    writer.close();
  },
);
