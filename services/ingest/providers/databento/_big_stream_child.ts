/**
 * Test helper run as its own process by big_stream_test.ts (so that the RSS it measures is not
 * shared with other test modules running in parallel): serves `count` synthetic trades from the
 * fake, fetches them through the client, iterates `reader.batches()`, and writes one JSON line.
 * @module
 */
import { DatabentoHistoricalClient } from "./client.ts";
import { FAKE_API_KEY, FakeDatabento } from "./fake_server.ts";

/** What one run measured. */
export interface BigStreamResult {
  records: number;
  bytes: number;
  batches: number;
  ordered: boolean;
  firstTs: string;
  lastTs: string;
  compressedBytes: number;
  expectedCount: number;
  rssGrowth: number;
}

/** Streams `count` trades (1 ms apart from `startNs`) through client and fake in this process. */
export async function runBigStream(count: number, startNs: bigint): Promise<BigStreamResult> {
  const stepNs = 1_000_000n;
  const fake = await FakeDatabento.start({ zstdLevel: 1 });
  try {
    fake.addSyntheticTrades({
      dataset: "GLBX.MDP3",
      symbol: "ESZ3",
      instrumentId: 42,
      startNs,
      stepNs,
      count,
    });
    const client = new DatabentoHistoricalClient({ apiKey: FAKE_API_KEY, baseUrl: fake.url });
    const params = {
      dataset: "GLBX.MDP3",
      schema: "trades",
      symbols: ["ESZ3"],
      start: startNs,
      end: startNs + BigInt(count) * stepNs,
    };
    const expectedCount = await client.getRecordCount(params);
    const startRss = Deno.memoryUsage().rss;
    let peakRss = startRss;
    const response = await client.getRange(params, { batchBytes: 1024 * 1024 });
    let records = 0;
    let bytes = 0;
    let batches = 0;
    let firstTs: bigint | undefined;
    let lastTs = 0n;
    let ordered = true;
    for await (const batch of response.reader.batches()) {
      const view = new DataView(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
      const batchFirst = view.getBigUint64(batch.offsets[0]! + 8, true);
      if (firstTs === undefined) firstTs = batchFirst;
      else if (batchFirst <= lastTs) ordered = false;
      lastTs = view.getBigUint64(batch.offsets[batch.count - 1]! + 8, true);
      records += batch.count;
      bytes += batch.bytes.length;
      if (++batches % 16 === 0) peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
    }
    return {
      records,
      bytes,
      batches,
      ordered,
      firstTs: String(firstTs),
      lastTs: String(lastTs),
      compressedBytes: response.bytesReceived(),
      expectedCount,
      rssGrowth: peakRss - startRss,
    };
  } finally {
    await fake.close();
  }
}

if (import.meta.main) {
  const [count, start] = Deno.args;
  const result = await runBigStream(Number(count), BigInt(start!));
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(result)}\n`));
}
