import assert from "node:assert/strict";
import { zstdCompressSync, zstdDecompressSync } from "node:zlib";
import { DataError } from "@shared/domain/mod.ts";
import { ZstdFrameScanner } from "./_zstd_frame_scanner.ts";
import { createZstdCompressor, decompressZstd, isZstd } from "./zstd.ts";
import { collect, concatBytes, fixtureBytes, sanitizedTest } from "./testing.ts";

const MULTI = "multi-frame.definition.v1.dbn.frag.zst";

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function inflate(bytes: Uint8Array, size = 7): Promise<Uint8Array> {
  return concatBytes(await collect(decompressZstd(chunked(bytes, size), { source: "x.zst" })));
}

/** A skippable frame (magic 0x184D2A50 + `nibble`) carrying `payload`. */
function skippable(nibble: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x184D2A50 + nibble, true);
  view.setUint32(4, payload.length, true);
  out.set(payload, 8);
  return out;
}

sanitizedTest("zstdDecompressSync() alone returns only the first of several frames", () => {
  assert.equal(zstdDecompressSync(fixtureBytes(MULTI)).length, 360);
});

sanitizedTest("zstdDecompressSync() returns nothing after a leading skippable frame", () => {
  const frame = zstdCompressSync(new Uint8Array([1, 2, 3]));
  assert.equal(zstdDecompressSync(concatBytes([skippable(0, new Uint8Array(4)), frame])).length, 0);
});

sanitizedTest(
  "decompressZstd() returns all 8 frames of the multi-frame fixture, in any chunking",
  async () => {
    const bytes = fixtureBytes(MULTI);
    const plain = fixtureBytes("test_data.definition.v1.dbn.frag");
    for (const size of [1, 3, 7, 360, 65536]) {
      const out = await inflate(bytes, size);
      assert.equal(out.length, 8 * 360, `chunks of ${size}`);
      assert.deepEqual(out.subarray(0, 720), plain);
    }
    const scanner = new ZstdFrameScanner();
    scanner.push(bytes);
    scanner.finish();
    assert.equal(scanner.frames, 8);
  },
);

sanitizedTest(
  "decompressZstd() skips skippable frames before, between and after regular frames",
  async () => {
    const a = zstdCompressSync(new TextEncoder().encode("first frame;"));
    const b = zstdCompressSync(new TextEncoder().encode("second frame"));
    const input = concatBytes([
      skippable(0, new Uint8Array([1, 2, 3])),
      a,
      skippable(15, new Uint8Array(1000).fill(0x28)),
      skippable(7, new Uint8Array(0)),
      b,
      skippable(1, new Uint8Array([0x28, 0xB5, 0x2F, 0xFD])),
    ]);
    assert.ok(isZstd(input));
    for (const size of [1, 5, 4096]) {
      assert.equal(
        new TextDecoder().decode(await inflate(input, size)),
        "first frame;second frame",
      );
    }
  },
);

sanitizedTest(
  "decompressZstd() rejects trailing bytes, bad checksums, cut frames and reserved bits",
  async () => {
    const frame = fixtureBytes("test_data.mbo.v3.dbn.zst");
    const badSum = frame.slice();
    badSum[badSum.length - 1]! ^= 0x40;
    const reserved = frame.slice();
    reserved[4]! |= 0x08;
    const cases: [string, Uint8Array, string][] = [
      ["trailing bytes", concatBytes([frame, new Uint8Array([9, 9, 9, 9])]), "dbn.corrupt_zstd"],
      [
        "three trailing bytes",
        concatBytes([frame, new Uint8Array([0x28, 0xB5, 0x2F])]),
        "dbn.truncated_zstd",
      ],
      ["bad checksum", badSum, "dbn.corrupt_zstd"],
      ["cut frame", frame.subarray(0, frame.length - 1), "dbn.truncated_zstd"],
      [
        "cut skippable frame",
        skippable(0, new Uint8Array(10)).subarray(0, 12),
        "dbn.truncated_zstd",
      ],
      ["reserved bit", reserved, "dbn.corrupt_zstd"],
      [
        "corrupt block",
        new Uint8Array([0x28, 0xB5, 0x2F, 0xFD, 0, 0, 37, 0, 0, 255, 255, 255, 255]),
        "dbn.corrupt_zstd",
      ],
    ];
    for (const [label, bytes, code] of cases) {
      await assert.rejects(() => inflate(bytes), (e: unknown) => {
        assert.ok(e instanceof DataError, label);
        assert.equal(e.code, code, label);
        assert.ok(e.message.startsWith(`x.zst at byte ${e.offset}: `), e.message);
        return true;
      });
    }
  },
);

/** A frame of `blocks` RLE blocks of 128 KiB each: a few bytes that inflate enormously. */
function rleBomb(blocks: number): Uint8Array {
  const bytes = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 7 << 3];
  for (let i = 0; i < blocks; i++) {
    const header = (i === blocks - 1 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3);
    bytes.push(header & 0xFF, (header >> 8) & 0xFF, header >> 16, 0x41);
  }
  return new Uint8Array(bytes);
}

sanitizedTest(
  "decompressZstd() inflates a highly compressible frame in bounded chunks",
  async () => {
    const bomb = rleBomb(256); // 1030 bytes -> 32 MiB
    let total = 0;
    let largest = 0;
    for await (const chunk of decompressZstd(chunked(bomb, 1 << 20))) {
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
    }
    assert.equal(total, 256 * 128 * 1024);
    assert.ok(largest <= 256 * 1024, `largest chunk ${largest}`);
  },
);

sanitizedTest("decompressZstd() stops the decompressor when the consumer stops early", async () => {
  const stream = decompressZstd(chunked(rleBomb(64), 100));
  assert.equal((await stream.next()).done, false);
  await stream.return(undefined);
});

sanitizedTest(
  "createZstdCompressor() writes one checksummed frame that decompresses back",
  async () => {
    const plain = fixtureBytes("test_data.definition.dbn");
    const compressor = createZstdCompressor();
    const parts = [...await compressor.write(plain.subarray(0, 1000))];
    parts.push(...await compressor.write(plain.subarray(1000)));
    parts.push(...await compressor.end());
    const packed = concatBytes(parts);
    assert.ok(isZstd(packed));
    assert.equal(packed[4]! & 0x04, 0x04, "content checksum flag");
    const scanner = new ZstdFrameScanner();
    scanner.push(packed);
    scanner.finish();
    assert.equal(scanner.frames, 1);
    assert.deepEqual(await inflate(packed), plain);
  },
);

sanitizedTest(
  "decompressZstd() delivers a whole frame before failing on the garbage after it",
  async () => {
    const frame = fixtureBytes("test_data.mbo.v3.dbn.zst");
    const input = concatBytes([frame, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]);
    for (const size of [7, 65536]) {
      let delivered = 0;
      const error = await (async () => {
        for await (const chunk of decompressZstd(chunked(input, size), { source: "x.zst" })) {
          delivered += chunk.length;
        }
      })().catch((e) => e);
      assert.ok(error instanceof DataError);
      assert.equal(error.offset, 472);
      assert.equal(delivered, 472, `chunks of ${size}`);
    }
  },
);
