/**
 * A test writer in its own process (so a test can kill -9 it): an ingest-like IPC publisher
 * (registry entry, control socket, one trades channel) that publishes one trade every 10 ms, ts_event
 * counting up by 1 us from a base. Prints "ready" once its channel is open.
 *
 * Usage: deno run --allow-all writer_process.ts <namespace> <instanceId> <symbol> <exchange> <tsBase>
 * @module
 */
import { IpcPublisher } from "@shared/ipc/mod.ts";

const [namespace, instanceId, symbol, exchange, tsBase] = Deno.args;
if (tsBase === undefined) {
  throw new TypeError("Usage: <namespace> <instanceId> <symbol> <exchange> <tsBase>");
}

const publisher = await IpcPublisher.start({
  namespace: namespace!,
  instanceId: instanceId!,
  provider: "synthetic",
  exchange: exchange!,
  symbols: [symbol!],
  capacity: 1024,
  heartbeatSecs: 1,
  staleAfterSecs: 60,
});
const record = new Uint8Array(48);
const view = new DataView(record.buffer);
let count = 0;
setInterval(() => {
  const tsEvent = BigInt(tsBase) + BigInt(count) * 1000n;
  view.setUint8(0, 12);
  view.setUint8(1, 0x00);
  view.setUint32(4, 7, true);
  view.setBigUint64(8, tsEvent, true);
  view.setBigInt64(16, 50_000_000_000_000n + BigInt(count), true);
  view.setUint32(24, 1, true);
  view.setUint8(28, 0x54);
  view.setUint8(29, 0x42);
  view.setBigUint64(32, tsEvent, true);
  view.setUint32(44, count, true);
  publisher.publish(symbol!, record);
  count++;
}, 10);
await Deno.stdout.write(new TextEncoder().encode("ready\n"));
