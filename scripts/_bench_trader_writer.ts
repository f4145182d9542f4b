/**
 * The writer process of `bench_trader.ts`: valid DBN trades (48-byte TradeMsg, current ts_event,
 * positive price and size) into one channel, either paced at `rate` per second with the send time
 * in ts_recv (latency), or at full speed while staying half a ring ahead of the reader (throughput;
 * the production writer never waits). Run as `deno run -A scripts/_bench_trader_writer.ts <json>`.
 * @module
 */
import { writeStdout } from "@shared/cli/mod.ts";
import { ChannelWriter, monotonicNs } from "@shared/ipc/mod.ts";

const RECORD = 48;
const args = JSON.parse(Deno.args[0]!) as { namespace: string; records: number; rate: number };
const writer = ChannelWriter.create({
  namespace: args.namespace,
  key: { symbol: "BTCUSD", exchange: "BENCH" },
  capacity: 65536,
});
const batch = new Uint8Array(256 * RECORD);
const view = new DataView(batch.buffer);
// One trade per millisecond of data time, ending before now (the trader rejects future ticks).
const startNs = BigInt(Date.now() - args.records - 60_000) * 1_000_000n;

function trade(offset: number, i: number, stampNs: number): void {
  view.setUint8(offset, RECORD / 4);
  view.setUint8(offset + 1, 0); // rtype: trade
  view.setUint16(offset + 2, 1, true);
  view.setUint32(offset + 4, 7, true);
  view.setBigUint64(offset + 8, startNs + BigInt(i) * 1_000_000n, true);
  const price = 50_000_000_000_000n + BigInt((i * 7919) % 200_000) * 1_000_000n;
  view.setBigInt64(offset + 16, price, true);
  view.setUint32(offset + 24, 1 + (i % 100), true);
  view.setUint8(offset + 28, 0x54); // 'T'
  view.setUint8(offset + 29, i & 1 ? 0x42 : 0x41);
  view.setUint16(offset + 30, 0, true);
  view.setBigUint64(offset + 32, BigInt(Math.round(stampNs)), true);
  view.setInt32(offset + 40, 0, true);
  view.setUint32(offset + 44, i >>> 0, true);
}

writeStdout(JSON.stringify({ ready: true }) + "\n");
while (writer.oldestReaderCursor() === undefined) await new Promise((r) => setTimeout(r, 2));
const cursor = () => writer.oldestReaderCursor() ?? writer.sequence;
if (args.rate === 0) {
  const half = writer.capacity / 2;
  for (let sent = 0; sent < args.records;) {
    while (writer.sequence - cursor() > half) { /* the benchmark's flow control */ }
    const n = Math.min(256, args.records - sent);
    for (let k = 0; k < n; k++) trade(k * RECORD, sent + k, 0);
    writer.publishBatch(batch, n);
    sent += n;
  }
} else {
  const period = 1e9 / args.rate;
  const start = monotonicNs();
  const one = batch.subarray(0, RECORD);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < args.records; i++) {
    const due = start + i * period;
    // Sleep through most of the gap (the trader shares 2 cores with this process, Postgres and
    // PGlite's worker), then spin the last 30 us for sub-microsecond pacing.
    const gap = due - monotonicNs();
    if (gap > 60_000) Atomics.wait(nap, 0, 0, (gap - 30_000) / 1e6);
    while (monotonicNs() < due) { /* spin */ }
    trade(0, i, monotonicNs());
    writer.publish(one);
  }
}
while (writer.sequence - cursor() > 0) await new Promise((r) => setTimeout(r, 2));
writer.close();
writeStdout(JSON.stringify({ done: true }) + "\n");
