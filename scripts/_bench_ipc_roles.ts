/**
 * The child processes of `bench_ipc.ts`: a writer and a reader over a channel or over a Unix socket.
 * Each prints one JSON line. Run as `deno run --allow-all scripts/_bench_ipc_roles.ts <role> <json>`.
 * @module
 */
import { writeStdout } from "@shared/cli/mod.ts";
import { ChannelReader } from "@shared/ipc/channel_reader.ts";
import { ChannelWriter } from "@shared/ipc/channel_writer.ts";
import { consume } from "@shared/ipc/poller.ts";
import { monotonicNs } from "@shared/ipc/mod.ts";
import {
  CHECKED_RECORD_BYTES as RECORD,
  recordStamp,
  writeCheckedRecord,
} from "@shared/ipc/testing.ts";

/** What the parent passes to every role. */
export interface RoleArgs {
  namespace: string;
  socket: string;
  records: number;
  batch: number;
  /** Records per second for latency runs (0 = throughput run). */
  rate: number;
}

const KEY = { symbol: "BTCUSD", exchange: "BENCH" };
const out = (value: unknown) => writeStdout(JSON.stringify(value) + "\n");

/** The same `count` records for every transport: 64k distinct checked trades, cycled. */
function recordPool(): Uint8Array {
  const bytes = new Uint8Array(65536 * RECORD);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 65536; i++) writeCheckedRecord(view, i * RECORD, i);
  return bytes;
}

// Pacing without burning a core: clock_nanosleep to an absolute time with a 1 ns timer slack
// (the default 50 us slack would smear a 10 us period). Leaves the second core to the reader.
const pacing = Deno.dlopen("libc.so.6", {
  prctl: { parameters: ["i32", "u64", "u64", "u64", "u64"], result: "i32" },
  clock_nanosleep: { parameters: ["i32", "i32", "buffer", "buffer"], result: "i32" },
}).symbols;
const PR_SET_TIMERSLACK = 29;
const TIMER_ABSTIME = 1;
const wakeAt = new BigInt64Array(2);
const wakeBytes = new Uint8Array(wakeAt.buffer);

/** Sleeps until the monotonic clock reaches `t` (ns). */
function sleepUntil(t: number): void {
  if (monotonicNs() >= t) return;
  wakeAt[0] = BigInt(Math.floor(t / 1e9));
  wakeAt[1] = BigInt(Math.floor(t % 1e9));
  pacing.clock_nanosleep(1, TIMER_ABSTIME, wakeBytes, new Uint8Array(16));
}

/** Sends `args.records` single records at `args.rate`, each stamped with its send time. */
async function paced(
  args: RoleArgs,
  start: number,
  send: (record: Uint8Array) => void | Promise<void>,
): Promise<void> {
  const record = new Uint8Array(RECORD);
  const view = new DataView(record.buffer);
  const period = 1e9 / args.rate;
  pacing.prctl(PR_SET_TIMERSLACK, 1n, 0n, 0n, 0n);
  for (let i = 0; i < args.records; i++) {
    sleepUntil(start + i * period);
    writeCheckedRecord(view, 0, i, monotonicNs());
    await send(record);
  }
}

async function shmWriter(args: RoleArgs): Promise<void> {
  const writer = ChannelWriter.create({ namespace: args.namespace, key: KEY, capacity: 65536 });
  out({ ready: true });
  while (writer.oldestReaderCursor() === undefined) await new Promise((r) => setTimeout(r, 2));
  const cursor = () => writer.oldestReaderCursor() ?? writer.sequence;
  const start = monotonicNs();
  if (args.rate === 0) {
    // Throughput: the bench writer waits when half a ring ahead of the reader, so every record
    // is delivered and the figure is the pipeline's (the production writer never waits).
    const pool = recordPool();
    const half = writer.capacity / 2;
    for (let sent = 0; sent < args.records; sent += args.batch) {
      while (writer.sequence - cursor() > half) { /* back-pressure for the benchmark only */ }
      const n = Math.min(args.batch, args.records - sent);
      const from = (sent % 65536) * RECORD;
      writer.publishBatch(pool.subarray(from, from + n * RECORD), n);
    }
  } else {
    await paced(args, start, (record) => writer.publish(record));
  }
  out({ done: true, seconds: (monotonicNs() - start) / 1e9 });
  while (writer.sequence - cursor() > 0) await new Promise((r) => setTimeout(r, 2));
  writer.close();
}

/** Latency samples in ns, kept in a preallocated array. */
class Samples {
  readonly values: Float64Array;
  count = 0;
  constructor(size: number) {
    this.values = new Float64Array(size);
  }
  add(ns: number): void {
    if (this.count < this.values.length) this.values[this.count++] = ns;
  }
  summary(skip: number): Record<string, number> {
    const sorted = this.values.slice(Math.min(skip, this.count), this.count).sort();
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000;
    return {
      samples: sorted.length,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      p999: at(0.999),
      max: at(1),
    };
  }
}

async function shmReader(args: RoleArgs): Promise<void> {
  const reader = ChannelReader.open({ namespace: args.namespace, key: KEY });
  const samples = new Samples(args.records);
  const stop = new AbortController();
  let received = 0;
  let checksum = 0;
  let first = 0;
  const stats = await consume(reader, (batch) => {
    if (first === 0) first = monotonicNs();
    if (args.rate > 0) {
      const now = monotonicNs();
      for (let i = 0; i < batch.count; i++) {
        samples.add(now - recordStamp(batch.view, batch.offset(i)));
      }
    } else {
      for (let i = 0; i < batch.count; i++) {
        checksum ^= batch.view.getInt32(batch.offset(i) + 16, true);
      }
    }
    received += batch.count;
    if (received >= args.records) stop.abort();
  }, { signal: stop.signal, batchSize: 1024 });
  const seconds = (monotonicNs() - first) / 1e9;
  out({
    received,
    lost: reader.lost,
    seconds,
    checksum,
    latency: samples.summary(args.records / 10),
    stats,
  });
  reader.close();
}

async function udsWriter(args: RoleArgs): Promise<void> {
  const listener = Deno.listen({ transport: "unix", path: args.socket });
  out({ ready: true });
  const conn = await listener.accept();
  const start = monotonicNs();
  if (args.rate === 0) {
    const pool = recordPool();
    for (let sent = 0; sent < args.records; sent += args.batch) {
      const from = (sent % 65536) * RECORD;
      let chunk = pool.subarray(from, from + Math.min(args.batch, args.records - sent) * RECORD);
      while (chunk.length > 0) chunk = chunk.subarray(await conn.write(chunk));
    }
  } else {
    await paced(args, start, async (record) => {
      let chunk = record;
      while (chunk.length > 0) chunk = chunk.subarray(await conn.write(chunk));
    });
  }
  out({ done: true, seconds: (monotonicNs() - start) / 1e9 });
  await conn.read(new Uint8Array(1)); // the reader closes when it has everything
  conn.close();
  listener.close();
}

async function udsReader(args: RoleArgs): Promise<void> {
  const conn = await Deno.connect({ transport: "unix", path: args.socket });
  const buffer = new Uint8Array(1 << 20);
  const view = new DataView(buffer.buffer);
  const samples = new Samples(args.records);
  let carry = 0;
  let received = 0;
  let checksum = 0;
  let first = 0;
  while (received < args.records) {
    const n = await conn.read(buffer.subarray(carry));
    if (n === null) break;
    if (first === 0) first = monotonicNs();
    const bytes = carry + n;
    const whole = Math.floor(bytes / RECORD);
    const now = args.rate > 0 ? monotonicNs() : 0;
    for (let i = 0; i < whole; i++) {
      if (args.rate > 0) samples.add(now - recordStamp(view, i * RECORD));
      else checksum ^= view.getInt32(i * RECORD + 16, true);
    }
    received += whole;
    carry = bytes - whole * RECORD;
    buffer.copyWithin(0, whole * RECORD, bytes);
  }
  const seconds = (monotonicNs() - first) / 1e9;
  out({ received, lost: 0, seconds, checksum, latency: samples.summary(args.records / 10) });
  conn.close();
}

if (import.meta.main) {
  const [role, json] = Deno.args;
  const args = JSON.parse(json ?? "{}") as RoleArgs;
  const roles: Record<string, (a: RoleArgs) => Promise<void>> = {
    "shm-writer": shmWriter,
    "shm-reader": shmReader,
    "uds-writer": udsWriter,
    "uds-reader": udsReader,
  };
  const run = roles[role ?? ""];
  if (run === undefined) throw new Error(`Unknown role ${role}`);
  await run(args);
}
