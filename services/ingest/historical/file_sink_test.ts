import assert from "node:assert/strict";
import { join } from "node:path";
import { readFixture } from "@shared/dbn/_fixtures.ts";
import {
  decodeDbn,
  encodeDbn,
  encodeRecords,
  type Metadata,
  type TradeMsg,
} from "@shared/dbn/mod.ts";
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { DbnFileSink, FileResumeError, hasSidecar, sidecarPath } from "./file_sink.ts";

const TEMPLATE = decodeDbn(readFixture("test_data.trades.v3.dbn.zst").bytes);
const RECORDS: TradeMsg[] = Array.from({ length: 600 }, (_, i) => ({
  ...(TEMPLATE.records[0] as TradeMsg),
  tsRecv: 1_000_000n + BigInt(i),
  price: 4_000_000_000_000n + BigInt(i),
  sequence: i,
}));
const METADATA: Metadata = TEMPLATE.metadata;
const CONTEXT = { version: 3 as const, tsOut: false };
const IDENTITY = {
  dataset: "GLBX.MDP3",
  schema: "trades",
  symbols: ["ESH1"],
  stypeIn: "raw_symbol",
  startNs: 0n,
  endNs: 10n ** 18n,
  jobId: 7,
};

function bytesOf(from: number, to: number): Uint8Array {
  return encodeRecords(RECORDS.slice(from, to), CONTEXT);
}

async function readBack(
  path: string,
): Promise<{ metadata: Metadata | undefined; records: unknown[] }> {
  const reader = await openDbn(path);
  const records = [];
  for await (const record of reader) records.push(record);
  return { metadata: reader.metadata, records };
}

for (const name of ["out.dbn.zst", "out.dbn"]) {
  Deno.test(`DbnFileSink writes ${name} as received, one frame per checkpoint`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = join(dir, name);
      const sink = await DbnFileSink.create(path, IDENTITY);
      assert.ok(await hasSidecar(path));
      assert.equal(sink.position, undefined);
      await sink.begin(METADATA, 3, false);
      await sink.write(bytesOf(0, 200));
      await sink.checkpoint({ ts: RECORDS[199]!.tsRecv, skip: 1, records: 200 });
      assert.deepEqual(sink.position, { ts: RECORDS[199]!.tsRecv, skip: 1, records: 200 });
      const sidecar = JSON.parse(await Deno.readTextFile(sidecarPath(path)));
      assert.deepEqual(
        [sidecar.checkpointNs, sidecar.records, sidecar.bytes, sidecar.jobId],
        [String(RECORDS[199]!.tsRecv), 200, sink.bytes, 7],
      );
      assert.equal((await Deno.stat(path)).size, sink.bytes);
      await sink.write(bytesOf(200, 600));
      await sink.finish();
      assert.ok(!(await hasSidecar(path)));
      const back = await readBack(path);
      assert.deepEqual(back.metadata, METADATA);
      assert.deepEqual(back.records, RECORDS);
      if (name.endsWith(".zst")) {
        const bytes = await Deno.readFile(path);
        const frames = countOccurrences(bytes, [0x28, 0xb5, 0x2f, 0xfd]);
        assert.ok(frames >= 2, `expected 2 zstd frames, found ${frames}`);
      } else {
        assert.deepEqual(
          await Deno.readFile(path),
          encodeDbn({ metadata: METADATA, records: RECORDS }),
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

function countOccurrences(bytes: Uint8Array, pattern: number[]): number {
  let n = 0;
  for (let i = 0; i + pattern.length <= bytes.length; i++) {
    if (pattern.every((b, j) => bytes[i + j] === b)) n++;
  }
  return n;
}

Deno.test("DbnFileSink.resume() truncates to the checkpoint and continues the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "es.dbn.zst");
    const first = await DbnFileSink.create(path, IDENTITY);
    await first.begin(METADATA, 3, false);
    await first.write(bytesOf(0, 300));
    await first.checkpoint({ ts: RECORDS[299]!.tsRecv, skip: 1, records: 300 });
    const checkpointed = first.bytes;
    await first.write(bytesOf(300, 450)); // never checkpointed
    await first.close(); // a crash: the writer's buffer is lost, a partial frame reached the disk
    await Deno.writeFile(path, new Uint8Array(100).fill(0xAB), { append: true });
    assert.ok((await Deno.stat(path)).size > checkpointed);

    const second = await DbnFileSink.resume(path, IDENTITY);
    assert.equal((await Deno.stat(path)).size, checkpointed);
    assert.deepEqual(second.position, { ts: RECORDS[299]!.tsRecv, skip: 1, records: 300 });
    await second.begin({ ...METADATA, start: 123n }, 3, false);
    await second.write(bytesOf(300, 600));
    await second.finish();
    const back = await readBack(path);
    assert.deepEqual(back.metadata, METADATA);
    assert.deepEqual(back.records, RECORDS);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DbnFileSink.resume() refuses another request, a short file or no sidecar", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "es.dbn");
    await assert.rejects(DbnFileSink.resume(path, IDENTITY), FileResumeError);
    const sink = await DbnFileSink.create(path, IDENTITY);
    await sink.begin(METADATA, 3, false);
    await sink.write(bytesOf(0, 10));
    await sink.checkpoint({ ts: RECORDS[9]!.tsRecv, skip: 1, records: 10 });
    await sink.close();
    await assert.rejects(
      DbnFileSink.resume(path, { ...IDENTITY, jobId: 8 }),
      /Cannot resume ".*es\.dbn": it was written for another request/,
    );
    await assert.rejects(
      DbnFileSink.resume(path, { ...IDENTITY, endNs: 5n }),
      /another request/,
    );
    await Deno.truncate(path, 10);
    await assert.rejects(DbnFileSink.resume(path, IDENTITY), /it has 10 bytes, fewer than/);
    await Deno.remove(path);
    await assert.rejects(DbnFileSink.resume(path, IDENTITY), /the file is missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("DbnFileSink refuses a response of another DBN version mid-file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sink = await DbnFileSink.create(join(dir, "x.dbn"), IDENTITY);
    await sink.begin(METADATA, 3, false);
    await assert.rejects(
      sink.begin(METADATA, 2, false),
      /holds DBN v3 records, the API now sends v2/,
    );
    await sink.finish();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
