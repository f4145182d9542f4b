import assert from "node:assert/strict";
import fc from "fast-check";
import { DataError } from "@shared/domain/mod.ts";
import { readFixture } from "./_fixtures.ts";
import {
  decodeMetadata,
  encodedMetadataSize,
  encodeMetadata,
  type Metadata,
  Schema,
  SType,
} from "./mod.ts";

const MBO = {
  dataset: "GLBX.MDP3",
  schema: Schema.Mbo,
  start: 1609160400000000000n,
  end: 1609200000000000000n,
  limit: 2n,
  stypeIn: SType.RawSymbol,
  stypeOut: SType.InstrumentId,
  tsOut: false,
  symbols: ["ESH1"],
  partial: [],
  notFound: [],
  mappings: [{
    rawSymbol: "ESH1",
    intervals: [{ startDate: 20201228, endDate: 20201229, symbol: "5482" }],
  }],
};

for (
  const [version, byteLength, extra] of [
    [1, 206, { symbolCstrLen: 22, recordCount: null }],
    [2, 353, { symbolCstrLen: 71 }],
    [3, 360, { symbolCstrLen: 71 }],
  ] as const
) {
  Deno.test(`decodeMetadata() reads the v${version} mbo header as documented (${byteLength} bytes)`, () => {
    const bytes = readFixture(`test_data.mbo.v${version}.dbn.zst`).bytes;
    const decoded = decodeMetadata(bytes);
    assert.equal(decoded.byteLength, byteLength);
    assert.deepEqual(decoded.metadata, { version, ...MBO, ...extra });
    assert.equal(encodedMetadataSize(decoded.metadata), byteLength);
  });
}

Deno.test("decodeMetadata() maps the statistics header's u64-max end to null and keeps its odd start", () => {
  const { metadata, byteLength } = decodeMetadata(
    readFixture("test_data.statistics.v3.dbn.zst").bytes,
  );
  assert.equal(byteLength, 128);
  assert.equal(metadata.start, 2814749767106560n);
  assert.equal(metadata.end, null);
  assert.equal(metadata.stypeIn, SType.InstrumentId);
  assert.deepEqual(metadata.symbols, []);
  assert.deepEqual(metadata.mappings, []);
});

for (
  const [name, intervals, first, lengths] of [
    ["definition", 62, "6819", [2028, 5164, 5168]],
    ["imbalance", 64, "9439", [2088, 5322, 5328]],
  ] as const
) {
  Deno.test(`decodeMetadata() reads the ${intervals} daily mappings of the ${name} headers`, () => {
    for (const version of [1, 2, 3] as const) {
      const bytes = readFixture(`test_data.${name}.v${version}.dbn.zst`).bytes;
      const { metadata, byteLength } = decodeMetadata(bytes);
      assert.equal(byteLength, 8 + lengths[version - 1]!);
      assert.equal(metadata.dataset, "XNAS.ITCH");
      const mapping = metadata.mappings[0]!;
      assert.equal(mapping.intervals.length, intervals);
      assert.deepEqual(mapping.intervals[0], {
        startDate: 20211004,
        endDate: 20211005,
        symbol: first,
      });
    }
  });
}

Deno.test("decodeMetadata() reads at an offset and reports absolute offsets", () => {
  const header = readFixture("test_data.mbo.v3.dbn").bytes;
  const shifted = new Uint8Array(header.length + 5);
  shifted.set(header, 5);
  assert.equal(decodeMetadata(shifted, { offset: 5 }).byteLength, 360);
  shifted[5 + 3] = 9;
  assert.throws(() => decodeMetadata(shifted, { offset: 5, source: "x.dbn" }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.offset, 8);
    assert.match(e.message, /^x\.dbn at byte 8: DBN version 9/);
    return true;
  });
});

Deno.test("encodeMetadata() writes a mixed-schema live header (schema 0xFFFF, stype_in 0xFF, ts_out)", () => {
  const metadata: Metadata = {
    ...MBO,
    version: 3,
    schema: null,
    stypeIn: null,
    end: null,
    limit: null,
    tsOut: true,
    symbolCstrLen: 71,
    mappings: [],
  };
  const bytes = encodeMetadata(metadata);
  assert.equal(bytes.length % 8, 0);
  assert.deepEqual(bytes.subarray(24, 26), new Uint8Array([0xFF, 0xFF]));
  assert.deepEqual(decodeMetadata(bytes).metadata, metadata);
});

Deno.test("encodeMetadata() rejects strings that do not fit with a RangeError", () => {
  const base: Metadata = { ...MBO, version: 2, symbolCstrLen: 71 };
  assert.throws(() => encodeMetadata({ ...base, dataset: "A".repeat(16) }), RangeError);
  assert.throws(
    () => encodeMetadata({ ...base, version: 1, symbols: ["S".repeat(22)] }),
    RangeError,
  );
  assert.throws(
    () =>
      encodeMetadata({
        ...base,
        mappings: [{
          rawSymbol: "ESH1",
          intervals: [{ startDate: 20201328, endDate: 20201229, symbol: "1" }],
        }],
      }),
    RangeError,
  );
});

function rejects(bytes: Uint8Array, code: string, offset: number): void {
  assert.throws(() => decodeMetadata(bytes, { source: "bad.dbn" }), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.offset, offset);
    assert.ok(e.message.startsWith(`bad.dbn at byte ${offset}: `), e.message);
    return true;
  });
}

function v3Header(): Uint8Array {
  const bytes = readFixture("test_data.mbo.v3.dbn").bytes;
  return bytes.slice(0, 360);
}

Deno.test("decodeMetadata() rejects a wrong magic", () => {
  const bytes = v3Header();
  bytes[2] = 0x5A;
  rejects(bytes, "dbn.bad_magic", 0);
});

Deno.test("decodeMetadata() rejects version 4 and version 0 (DBZ)", () => {
  const bytes = v3Header();
  bytes[3] = 4;
  rejects(bytes, "dbn.unsupported_version", 3);
  bytes[3] = 0;
  rejects(bytes, "dbn.unsupported_version", 3);
});

Deno.test("decodeMetadata() rejects truncated input: prelude, body, length below 100", () => {
  rejects(v3Header().subarray(0, 5), "dbn.truncated_metadata", 0);
  rejects(v3Header().subarray(0, 200), "dbn.truncated_metadata", 4);
  const short = v3Header();
  new DataView(short.buffer).setUint32(4, 99, true);
  rejects(short, "dbn.bad_metadata_length", 4);
});

Deno.test("decodeMetadata() rejects absurd symbol, mapping and interval counts before allocating", () => {
  const symbols = v3Header();
  new DataView(symbols.buffer).setUint32(112, 0xFFFF_FFFF, true);
  rejects(symbols, "dbn.bad_metadata_count", 112);
  // symbols: count + 71 bytes; partial and not_found counts; then the mappings count
  const mappings = v3Header();
  new DataView(mappings.buffer).setUint32(112 + 4 + 71 + 8, 50_000_000, true);
  rejects(mappings, "dbn.bad_metadata_count", 195);
  const intervals = v3Header();
  new DataView(intervals.buffer).setUint32(199 + 71, 1_000_000, true);
  rejects(intervals, "dbn.bad_metadata_count", 270);
});

Deno.test("decodeMetadata() rejects an impossible mapping date", () => {
  const bytes = v3Header();
  new DataView(bytes.buffer).setUint32(274, 20210230, true);
  rejects(bytes, "dbn.bad_date", 274);
});

Deno.test("decodeMetadata() rejects a non-zero schema definition length", () => {
  const bytes = v3Header();
  bytes[108] = 1;
  rejects(bytes, "dbn.schema_definition", 108);
});

Deno.test("decodeMetadata() either decodes or throws DataError for any corrupted header", () => {
  const header = v3Header();
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(359), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(360),
      (patches, cut) => {
        const bytes = header.slice(0, cut);
        for (const [at, value] of patches) if (at < bytes.length) bytes[at] = value;
        try {
          decodeMetadata(bytes);
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
        }
      },
    ),
    { numRuns: 2000 },
  );
});
