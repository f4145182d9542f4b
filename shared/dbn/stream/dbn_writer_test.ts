import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "@shared/domain/mod.ts";
import { encodeMetadata } from "../metadata_codec.ts";
import { openDbn } from "./dbn_reader.ts";
import { createDbnWriter } from "./dbn_writer.ts";
import { isZstd } from "./zstd.ts";
import {
  collect,
  concatBytes,
  fixtureBytes,
  fixtureIndex,
  referenceDecode,
  sanitizedTest,
  unzstd,
} from "./testing.ts";

const FIXTURES = fixtureIndex();
const WHOLE_FILES = FIXTURES.filter((f) => !f.fragment && f.compression !== "dbz");

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dbn_writer_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

sanitizedTest(
  "write -> read round trips reproduce every fixture's decompressed bytes (plain and zstd)",
  async () => {
    await withTempDir(async (dir) => {
      for (const info of WHOLE_FILES) {
        const reference = await referenceDecode(info);
        const original = concatBytes([encodeMetadata(reference.metadata!), reference.recordBytes]);
        for (const suffix of [".dbn", ".dbn.zst"]) {
          const path = join(dir, info.name + suffix);
          const writer = await createDbnWriter(path, {
            metadata: reference.metadata,
            bufferBytes: 100,
          });
          const [first, ...rest] = reference.records;
          if (first !== undefined) await writer.write(first);
          await writer.write(rest);
          await writer.close();
          const written = await Deno.readFile(path);
          assert.equal(isZstd(written), suffix === ".dbn.zst", path);
          const plain = suffix === ".dbn.zst" ? await unzstd(written) : written;
          assert.deepEqual(plain, original, `${info.name} as ${suffix}`);
          assert.deepEqual(await collect(await openDbn(path)), reference.records, path);
        }
      }
    });
  },
);

sanitizedTest("writeBytes() copies batches through unchanged, fragments included", async () => {
  await withTempDir(async (dir) => {
    for (const name of ["test_data.definition.v1.dbn.frag", "test_data.mbp-10.v3.dbn.zst"]) {
      const info = FIXTURES.find((f) => f.name === name)!;
      const reader = await openDbn(info.path, { batchBytes: 300 });
      const path = join(dir, "copy.dbn");
      const writer = await createDbnWriter(path, {
        metadata: reader.metadata,
        fragment: { version: reader.version },
        bufferBytes: 512,
      });
      for await (const batch of reader.batches()) await writer.writeBytes(batch.bytes);
      await writer.close();
      const expected = info.compression === "zstd"
        ? await unzstd(fixtureBytes(name))
        : fixtureBytes(name);
      assert.deepEqual(await Deno.readFile(path), expected, name);
    }
  });
});

sanitizedTest("writeBytes() rejects a cut or corrupt record with a DataError", async () => {
  const records = fixtureBytes("test_data.trades.dbn").subarray(353);
  const sink: Uint8Array[] = [];
  const writer = await createDbnWriter(new WritableStream({ write: (c) => void sink.push(c) }), {
    fragment: { version: 2 },
  });
  await assert.rejects(() => writer.writeBytes(records.subarray(0, 60)), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.code, "dbn.truncated_record");
    assert.equal(e.offset, 48);
    return true;
  });
  const zeroLength = records.slice();
  zeroLength[0] = 0;
  await assert.rejects(() => writer.writeBytes(zeroLength), DataError);
  await writer.writeBytes(records);
  await writer.close();
  assert.deepEqual(concatBytes(sink), records);
});

sanitizedTest(
  "createDbnWriter() writes to a WritableStream and to a Deno-style writer",
  async () => {
    const info = FIXTURES.find((f) => f.name === "test_data.ohlcv-1s.v3.dbn.zst")!;
    const reference = await referenceDecode(info);
    const original = concatBytes([encodeMetadata(reference.metadata!), reference.recordBytes]);

    const chunks: Uint8Array[] = [];
    const stream = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
    const writer = await createDbnWriter(stream, { metadata: reference.metadata, compress: true });
    await writer.write(reference.records);
    await writer.close();
    assert.deepEqual(await unzstd(concatBytes(chunks)), original);

    const parts: Uint8Array[] = [];
    const writerLike = {
      write: (p: Uint8Array) => {
        const n = Math.min(p.length, 10); // short writes must be retried
        parts.push(p.slice(0, n));
        return Promise.resolve(n);
      },
    };
    const plain = await createDbnWriter(writerLike, { metadata: reference.metadata });
    await plain.write(reference.records);
    assert.equal(plain.bytesWritten, original.length);
    await plain.close();
    await plain.close();
    assert.deepEqual(concatBytes(parts), original);
    await assert.rejects(() => plain.write(reference.records), TypeError);
  },
);

sanitizedTest(
  "openDbn() closes the file when the header is bad or a record fails mid-stream",
  async () => {
    await withTempDir(async (dir) => {
      const bad = join(dir, "bad.dbn");
      await Deno.writeFile(bad, new TextEncoder().encode("not a dbn file"));
      await assert.rejects(() => openDbn(bad), (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.equal(e.code, "dbn.bad_magic");
        assert.ok(e.message.startsWith(`${bad} at byte 0: `), e.message);
        return true;
      });
      const cut = join(dir, "cut.dbn.zst");
      const packed = fixtureBytes("test_data.mbo.v3.dbn.zst");
      await Deno.writeFile(cut, packed.subarray(0, packed.length - 3));
      const reader = await openDbn(cut, { chunkBytes: 16 });
      await assert.rejects(() => collect(reader), DataError);
    });
  },
);
