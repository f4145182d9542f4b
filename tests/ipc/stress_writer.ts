/**
 * Stress writer: publishes `--records` checked records at full speed in batches of `--batch`, then
 * closes the channel. Prints one JSON line with its counts. Usage:
 * stress_writer.ts --namespace NS --symbol S --capacity N --records N [--batch N] [--start-gate FILE]
 */
import { parseArgs } from "node:util";
import { writeStdout } from "@shared/cli/mod.ts";
import { ChannelWriter } from "@shared/ipc/channel_writer.ts";
import { inspectChannel } from "@shared/ipc/channel_info.ts";
import { CHECKED_RECORD_BYTES, writeCheckedRecord } from "@shared/ipc/testing.ts";

const { values } = parseArgs({
  options: {
    namespace: { type: "string" },
    symbol: { type: "string", default: "BTCUSD" },
    capacity: { type: "string", default: "64" },
    records: { type: "string", default: "1000000" },
    batch: { type: "string", default: "16" },
    "wait-readers": { type: "string", default: "0" },
    "no-close": { type: "boolean", default: false },
  },
});
const writer = ChannelWriter.create({
  namespace: values.namespace!,
  key: { symbol: values.symbol!, exchange: "TEST" },
  capacity: Number(values.capacity),
});
writeStdout(JSON.stringify({ ready: true, sequence: writer.sequence }) + "\n");
// Readers announce themselves in the header; start only when they are all attached.
const waitReaders = Number(values["wait-readers"]);
while (
  waitReaders > 0 && inspectChannel(values.namespace!, writer.name).readers.length < waitReaders
) {
  await new Promise((r) => setTimeout(r, 5));
}
const total = Number(values.records);
const batch = Number(values.batch);
const buffer = new Uint8Array(batch * CHECKED_RECORD_BYTES);
const view = new DataView(buffer.buffer);
const first = writer.sequence;
for (let sent = 0; sent < total;) {
  const n = Math.min(batch, total - sent);
  for (let i = 0; i < n; i++) writeCheckedRecord(view, i * CHECKED_RECORD_BYTES, first + sent + i);
  if (n === 1) writer.publish(buffer.subarray(0, CHECKED_RECORD_BYTES));
  else writer.publishBatch(buffer, n);
  sent += n;
}
writeStdout(JSON.stringify({ done: true, first, end: writer.sequence }) + "\n");
if (values["no-close"]) Deno.exit(0); // a crash-like exit: no graceful close
writer.close();
