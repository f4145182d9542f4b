import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { decodeRecord } from "../record_codec.ts";
import { openDbn } from "./dbn_reader.ts";
import type { RecordBatch } from "./record_batch.ts";
import {
  assertMatchesReadme,
  collect,
  concatBytes,
  fixtureBytes,
  fixtureIndex,
  referenceDecode,
  sanitizedTest,
} from "./testing.ts";

const FIXTURES = fixtureIndex();

sanitizedTest("fixtureIndex() lists every fixture file", () => {
  const files = [...Deno.readDirSync(new URL("../../../../shared/fixtures/dbn/", import.meta.url))]
    .map((entry) => entry.name)
    .filter((name) => name !== "README.md")
    .sort();
  assert.deepEqual(FIXTURES.map((info) => info.name).sort(), files);
  assert.equal(FIXTURES.length, 81);
});

for (const chunkBytes of [7, 64 * 1024]) {
  sanitizedTest(
    `openDbn() reads every fixture in ${chunkBytes}-byte chunks: README counts and first records`,
    async () => {
      for (const info of FIXTURES) {
        const reader = await openDbn(info.path, { chunkBytes, batchBytes: 100 });
        assert.equal(reader.compression, info.compression, info.name);
        assert.equal(reader.metadata === undefined, info.fragment, info.name);
        const records = await collect(reader);
        assert.equal(records.length, info.records, info.name);
        if (records.length > 0) assertMatchesReadme(records[0]!, info.first, info.name);
      }
    },
  );
}

sanitizedTest(
  "openDbn() yields the records a whole-buffer decode of the decompressed bytes yields",
  async () => {
    for (const info of FIXTURES) {
      const reference = await referenceDecode(info);
      for (const chunkBytes of [1, 13, 4096]) {
        const reader = await openDbn(info.path, { chunkBytes, batchBytes: 333 });
        assert.equal(reader.inputVersion, reference.version, info.name);
        assert.deepEqual(reader.metadata, reference.metadata, info.name);
        assert.deepEqual(
          await collect(reader),
          reference.records,
          `${info.name} in ${chunkBytes}s`,
        );
      }
    }
  },
);

sanitizedTest(
  "batches() hands out whole records whose bytes are the decompressed record bytes",
  async () => {
    for (const info of FIXTURES) {
      const reference = await referenceDecode(info);
      for (const batchBytes of [1, 200, 1 << 20]) {
        const reader = await openDbn(info.path, { chunkBytes: 64, batchBytes });
        const batches: RecordBatch[] = await collect(reader.batches());
        assert.deepEqual(
          concatBytes(batches.map((b) => b.bytes)),
          reference.recordBytes,
          info.name,
        );
        let offset = batches[0]?.streamOffset ?? 0;
        for (const batch of batches) {
          assert.equal(batch.streamOffset, offset, info.name);
          assert.equal(batch.offsets.length, batch.count);
          assert.equal(batch.offsets[0], 0);
          for (const start of batch.offsets) {
            const record = decodeRecord(batch.bytes, start, {
              version: batch.version,
              tsOut: false,
            });
            assert.ok(record.rtype === batch.bytes[start + 1]);
          }
          offset += batch.bytes.length;
        }
        assert.equal(batches.reduce((n, b) => n + b.count, 0), info.records, info.name);
      }
    }
  },
);

sanitizedTest("openDbn() reads a ReadableStream, an async iterable and bytes", async () => {
  const info = FIXTURES.find((f) => f.name === "test_data.mbp-10.v3.dbn.zst")!;
  const expected = (await referenceDecode(info)).records;
  const file = await Deno.open(info.path);
  const fromStream = await openDbn(file.readable, { chunkBytes: 5 });
  assert.equal(fromStream.source, "stream");
  assert.deepEqual(await collect(fromStream), expected);
  const bytes = fixtureBytes(info.name);
  const chunks = (async function* () {
    for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3);
  })();
  assert.deepEqual(await collect(await openDbn(chunks)), expected);
  assert.deepEqual(
    await collect(await openDbn(new Blob([new Uint8Array(bytes)]).stream())),
    expected,
  );
  assert.deepEqual(await collect(await openDbn(bytes, { source: "mem" })), expected);
});

sanitizedTest(
  "openDbn() closes the file when the loop breaks early (resource sanitizer)",
  async () => {
    for (
      const name of ["test_data.definition.dbn", "test_data.mbo.v3.dbn.zst", "test_data.mbo.dbz"]
    ) {
      const reader = await openDbn(FIXTURES.find((f) => f.name === name)!.path, { chunkBytes: 16 });
      for await (const record of reader) {
        assert.ok(record.rtype >= 0);
        break;
      }
    }
    const file = await Deno.open(FIXTURES.find((f) => f.name === "test_data.mbp-10.dbn")!.path);
    for await (const record of await openDbn(file.readable, { chunkBytes: 100 })) {
      assert.equal(record.rtype, 0x0A);
      break; // cancels the stream, which closes the file
    }
    const batches = (await openDbn(FIXTURES[0]!.path, { chunkBytes: 8, batchBytes: 1 })).batches();
    await batches.next();
    await batches.return(undefined);
  },
);

sanitizedTest(
  "close() releases a reader that is never iterated; a second read is a TypeError",
  async () => {
    const reader = await openDbn(FIXTURES.find((f) => f.name === "test_data.trades.dbn")!.path);
    await reader.close();
    await assert.rejects(() => reader.records().next(), TypeError);
    await using again = await openDbn(
      FIXTURES.find((f) => f.name === "test_data.trades.dbn")!.path,
    );
    await collect(again);
    await assert.rejects(() => collect(again), TypeError);
  },
);

sanitizedTest(
  "openDbn() infers fragments and their version from the file name and the first record",
  async () => {
    const byName = FIXTURES.find((f) => f.name === "test_data.definition.v2.dbn.frag")!;
    assert.equal((await openDbn(byName.path).then(async (r) => (await r.close(), r))).version, 2);
    const unversioned = await openDbn(
      FIXTURES.find((f) => f.name === "test_data.definition.dbn.frag.zst")!.path,
    );
    assert.equal(unversioned.inputVersion, 2, "inferred from the 400-byte definition record");
    await unversioned.close();
    const bytes = fixtureBytes("test_data.definition.v1.dbn.frag");
    const explicit = await openDbn(bytes, { fragment: { version: 1 } });
    assert.equal((await collect(explicit)).length, 2);
  },
);

sanitizedTest(
  "upgrade: v1 and v2 definitions come out as the v3 fixture's records and bytes",
  async () => {
    const v3 = await referenceDecode(
      FIXTURES.find((f) => f.name === "test_data.definition.v3.dbn.zst")!,
    );
    for (const name of ["test_data.definition.v1.dbn.zst", "test_data.definition.v2.dbn.zst"]) {
      const path = FIXTURES.find((f) => f.name === name)!.path;
      const reader = await openDbn(path, { upgrade: true });
      assert.equal(reader.version, 3);
      assert.equal(reader.metadata?.version, 3);
      assert.deepEqual(await collect(reader), v3.records, name);
      const batches = await collect((await openDbn(path, { upgrade: true })).batches());
      assert.deepEqual(concatBytes(batches.map((b) => b.bytes)), v3.recordBytes, name);
      assert.ok(batches.every((b) => b.version === 3));
    }
  },
);

/** Reads `bytes` and returns the records before the error and the error. */
async function readUntilError(bytes: Uint8Array, options = {}) {
  const records = [];
  try {
    const reader = await openDbn(bytes, { source: "bad.dbn", chunkBytes: 7, ...options });
    for await (const record of reader) records.push(record);
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${e}`);
    assert.ok(e.message.startsWith(`bad.dbn at byte ${e.offset}: `), e.message);
    return { records, error: e };
  }
  return { records, error: undefined };
}

sanitizedTest(
  "bad input: each problem is a DataError with its code and stream offset",
  async () => {
    const plain = fixtureBytes("test_data.trades.dbn"); // metadata 353 bytes, 2 x 48-byte trades
    const with_ = (at: number, value: number) => {
      const copy = plain.slice();
      copy[at] = value;
      return copy;
    };
    const withLength = (length: number) => {
      const copy = plain.slice();
      new DataView(copy.buffer).setUint32(4, length, true);
      return copy;
    };
    const cases: [string, Uint8Array, string, number, number][] = [
      ["empty", new Uint8Array(0), "dbn.truncated_metadata", 0, 0],
      ["wrong magic", with_(0, 0x45), "dbn.bad_magic", 0, 0],
      ["version 0", with_(3, 0), "dbn.unsupported_version", 3, 0],
      ["version 4", with_(3, 4), "dbn.unsupported_version", 3, 0],
      ["metadata length 99", withLength(99), "dbn.bad_metadata_length", 4, 0],
      ["metadata length 4 GiB", withLength(0xFFFF_FFFF), "dbn.bad_metadata_length", 4, 0],
      ["metadata length past the end", withLength(5000), "dbn.truncated_metadata", 449, 0],
      ["truncated metadata", plain.subarray(0, 200), "dbn.truncated_metadata", 200, 0],
      ["length byte 0", with_(353 + 48, 0), "dbn.bad_record_length", 401, 1],
      ["length byte 255", with_(353, 255), "dbn.bad_record_length", 353, 0],
      ["length byte 3", with_(353, 3), "dbn.bad_record_length", 353, 0],
      ["unknown rtype", with_(353 + 48 + 1, 0x77), "dbn.unknown_rtype", 401, 1],
      ["truncated record", plain.subarray(0, plain.length - 1), "dbn.truncated_record", 401, 1],
    ];
    for (const [label, bytes, code, offset, before] of cases) {
      const { records, error } = await readUntilError(bytes);
      assert.equal(error?.code, code, label);
      assert.equal(error?.offset, offset, label);
      assert.equal(records.length, before, label);
    }
  },
);

sanitizedTest(
  "bad zstd input: trailing bytes, a bad checksum and a cut frame are DataErrors",
  async () => {
    const packed = fixtureBytes("test_data.trades.v3.dbn.zst");
    const flipped = packed.slice();
    flipped[flipped.length - 1]! ^= 1;
    const cases: [string, Uint8Array, string][] = [
      [
        "trailing garbage",
        concatBytes([packed, new Uint8Array([1, 2, 3, 4, 5])]),
        "dbn.corrupt_zstd",
      ],
      ["bad checksum", flipped, "dbn.corrupt_zstd"],
      ["cut frame", packed.subarray(0, packed.length - 2), "dbn.truncated_zstd"],
    ];
    for (const [label, bytes, code] of cases) {
      const { error } = await readUntilError(bytes);
      assert.equal(error?.code, code, label);
    }
  },
);

sanitizedTest("a reader stops after its error: the next call reports done", async () => {
  const plain = fixtureBytes("test_data.mbo.dbn").slice();
  plain[353 + 56] = 0;
  const iterator = (await openDbn(plain, { chunkBytes: 1000 }))[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).done, false);
  await assert.rejects(() => iterator.next(), DataError);
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
});
