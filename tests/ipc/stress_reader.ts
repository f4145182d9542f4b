/**
 * Stress reader: reads a channel until its writer closes it, checking every record's checksum and
 * that its sequence is exactly where the reader's accounting says (previous end + reported loss).
 * Prints one JSON line: delivered, lost, errors (first few), first and end sequences.
 * Usage: stress_reader.ts --namespace NS --symbol S [--batch N] [--lag-rings N]
 * With --lag-rings N the reader waits until the writer is N rings ahead before its first poll,
 * so it must lose records (deterministically).
 */
import { parseArgs } from "node:util";
import { writeStdout } from "@shared/cli/mod.ts";
import { ChannelReader } from "@shared/ipc/channel_reader.ts";
import { RecordBatch } from "@shared/ipc/record_batch.ts";
import { checkRecord } from "@shared/ipc/testing.ts";

const { values } = parseArgs({
  options: {
    namespace: { type: "string" },
    symbol: { type: "string", default: "BTCUSD" },
    batch: { type: "string", default: "256" },
    "lag-rings": { type: "string", default: "0" },
    from: { type: "string", default: "oldest" },
  },
});
const reader = ChannelReader.open({
  namespace: values.namespace!,
  key: { symbol: values.symbol!, exchange: "TEST" },
  from: values.from as "oldest" | "latest",
});
const batch = new RecordBatch(reader.slotBytes, Number(values.batch));
const start = reader.cursor;
let expected = start;
let delivered = 0;
let lost = 0;
const errors: string[] = [];
const lagRings = Number(values["lag-rings"]);
while (lagRings > 0 && reader.writeSequence - reader.cursor < lagRings * reader.capacity) {
  if (reader.writerStatus().state === "closed") break;
  await new Promise((r) => setTimeout(r, 1));
}
let idle = 0;
for (;;) {
  const count = reader.poll(batch);
  if (batch.firstSequence !== expected + batch.lost && count > 0) {
    errors.push(`batch at ${batch.firstSequence}, expected ${expected} + lost ${batch.lost}`);
  }
  lost += batch.lost;
  expected += batch.lost;
  for (let i = 0; i < count; i++) {
    const sequence = checkRecord(batch.view, batch.offset(i));
    if (sequence !== expected) {
      errors.push(
        `record ${i} of batch at ${batch.firstSequence}: got ${sequence}, expected ${expected}`,
      );
    }
    expected++;
  }
  delivered += count;
  if (errors.length > 5) break;
  if (count === 0) {
    if (reader.writerStatus().state === "closed" && reader.cursor === reader.writeSequence) break;
    if (++idle % 64 === 0) await new Promise((r) => setTimeout(r, 0));
  } else idle = 0;
}
writeStdout(
  JSON.stringify({
    start,
    end: reader.cursor,
    delivered,
    lost,
    readerLost: reader.lost,
    errors: errors.slice(0, 5),
  }) + "\n",
);
reader.close();
