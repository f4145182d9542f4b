/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/** Worker: opens a channel, says "ready", reads `count` checked records and posts their sequences. */
import { ChannelReader } from "@shared/ipc/channel_reader.ts";
import { RecordBatch } from "@shared/ipc/record_batch.ts";
import { checkRecord } from "@shared/ipc/testing.ts";

self.onmessage = async (event: MessageEvent) => {
  const { namespace, symbol, exchange, count } = event.data;
  const reader = ChannelReader.open({ namespace, key: { symbol, exchange } });
  const batch = new RecordBatch(reader.slotBytes, 64);
  self.postMessage("ready");
  const sequences: number[] = [];
  while (sequences.length < count) {
    const n = reader.poll(batch);
    for (let i = 0; i < n; i++) sequences.push(checkRecord(batch.view, batch.offset(i)));
    if (n === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  reader.close();
  self.postMessage({ sequences });
};
