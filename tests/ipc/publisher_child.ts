/**
 * An ingest-like IPC publisher for tests: registers, opens channels for --ipc-symbols, serves the
 * control socket, and publishes a checked trade to every open channel every --every-ms. Prints
 * {"ready":true} once up; on SIGTERM closes gracefully (channels closed, entry deregistered).
 * Usage: publisher_child.ts --namespace NS --symbols A,B [--ipc-symbols A] [--instance ID]
 *        [--exchange E] [--every-ms N] [--capacity N]
 */
import { parseArgs } from "node:util";
import { writeStdout } from "@shared/cli/mod.ts";
import { IpcPublisher } from "@shared/ipc/publisher.ts";
import { CHECKED_RECORD_BYTES, writeCheckedRecord } from "@shared/ipc/testing.ts";

const { values } = parseArgs({
  options: {
    namespace: { type: "string" },
    symbols: { type: "string", default: "BTCUSD" },
    "ipc-symbols": { type: "string" },
    instance: { type: "string" },
    exchange: { type: "string", default: "KRAKEN" },
    "every-ms": { type: "string", default: "5" },
    capacity: { type: "string", default: "1024" },
  },
});
const symbols = values.symbols!.split(",");
const publisher = await IpcPublisher.start({
  namespace: values.namespace!,
  instanceId: values.instance,
  provider: "synthetic",
  exchange: values.exchange!,
  symbols,
  ipcSymbols: values["ipc-symbols"]?.split(","),
  capacity: Number(values.capacity),
  heartbeatSecs: 1,
  staleAfterSecs: 3,
});
const record = new Uint8Array(CHECKED_RECORD_BYTES);
const view = new DataView(record.buffer);
const timer = setInterval(() => {
  for (const symbol of symbols) {
    const writer = publisher.writer(symbol);
    if (writer === undefined) continue;
    writeCheckedRecord(view, 0, writer.sequence);
    publisher.publish(symbol, record);
  }
}, Number(values["every-ms"]));
const stop = async () => {
  clearInterval(timer);
  await publisher.close();
  writeStdout(JSON.stringify({ closed: true, published: publisher.published }) + "\n");
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
writeStdout(JSON.stringify({ ready: true, pid: Deno.pid, control: publisher.controlPath }) + "\n");
