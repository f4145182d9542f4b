import assert from "node:assert/strict";
import { zstdDecompressSync } from "node:zlib";
import fc from "fast-check";
import {
  ColumnBatch,
  CoreBuffer,
  DbnRecordError,
  type DbnRecordKind,
  dbnRecordSize,
  decodeColumns,
  encodeColumns,
} from "./mod.ts";

// An independent reference: offsets from shared/design/DBN.md section 6, read with a DataView.
type FieldType = "u8" | "u16" | "u32" | "i32" | "u64" | "i64";
type Layout = Record<string, readonly [offset: number, type: FieldType]>;
const HEADER: Layout = {
  tsEvent: [8, "u64"],
  instrumentId: [4, "u32"],
  publisherId: [2, "u16"],
  rtype: [1, "u8"],
};
const TRADE: Layout = {
  ...HEADER,
  price: [16, "i64"],
  size: [24, "u32"],
  action: [28, "u8"],
  side: [29, "u8"],
  flags: [30, "u8"],
  depth: [31, "u8"],
  tsRecv: [32, "u64"],
  tsInDelta: [40, "i32"],
  sequence: [44, "u32"],
};
const LEVEL: Layout = {
  bidPx: [48, "i64"],
  askPx: [56, "i64"],
  bidSz: [64, "u32"],
  askSz: [68, "u32"],
  bidCt: [72, "u32"],
  askCt: [76, "u32"],
};
const REFERENCE: Record<DbnRecordKind, { size: number; fields: Layout; rtypes: number[] }> = {
  trades: { size: 48, fields: TRADE, rtypes: [0x00] },
  mbp1: { size: 80, fields: { ...TRADE, ...LEVEL }, rtypes: [0x01] },
  bbo: {
    size: 80,
    fields: {
      ...HEADER,
      price: [16, "i64"],
      size: [24, "u32"],
      side: [29, "u8"],
      flags: [30, "u8"],
      tsRecv: [32, "u64"],
      sequence: [44, "u32"],
      ...LEVEL,
    },
    rtypes: [0xc3, 0xc4],
  },
  ohlcv: {
    size: 56,
    fields: {
      ...HEADER,
      open: [16, "i64"],
      high: [24, "i64"],
      low: [32, "i64"],
      close: [40, "i64"],
      volume: [48, "u64"],
    },
    rtypes: [0x20, 0x21, 0x22, 0x23, 0x24, 0x11],
  },
};
const KINDS = Object.keys(REFERENCE) as DbnRecordKind[];

function readField(view: DataView, at: number, type: FieldType): number | bigint {
  switch (type) {
    case "u8":
      return view.getUint8(at);
    case "u16":
      return view.getUint16(at, true);
    case "u32":
      return view.getUint32(at, true);
    case "i32":
      return view.getInt32(at, true);
    case "u64":
      return view.getBigUint64(at, true);
    case "i64":
      return view.getBigInt64(at, true);
  }
}

type Row = Record<string, number | bigint>;

function referenceDecode(kind: DbnRecordKind, records: Uint8Array, tsOut: boolean): Row[] {
  const { size, fields } = REFERENCE[kind];
  const recordSize = size + (tsOut ? 8 : 0);
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const rows: Row[] = [];
  for (let at = 0; at + recordSize <= records.length; at += recordSize) {
    assert.equal(view.getUint8(at) * 4, recordSize, `length byte of record at ${at}`);
    const row: Row = {};
    for (const [name, [offset, type]] of Object.entries(fields)) {
      row[name] = readField(view, at + offset, type);
    }
    if (tsOut) row.tsOut = view.getBigUint64(at + size, true);
    rows.push(row);
  }
  return rows;
}

function batchRows(batch: ColumnBatch): Row[] {
  const columns = batch.columns() as unknown as Record<string, ArrayLike<number | bigint>>;
  return Array.from({ length: batch.length }, (_, k) => {
    const row: Row = {};
    for (const [name, column] of Object.entries(columns)) row[name] = column[k]!;
    return row;
  });
}

const FIXTURES: [string, DbnRecordKind][] = [
  ["test_data.trades.dbn", "trades"],
  ["test_data.trades.v1.dbn.zst", "trades"],
  ["test_data.trades.v3.dbn.zst", "trades"],
  ["test_data.mbp-1.dbn", "mbp1"],
  ["test_data.mbp-1.v3.dbn.zst", "mbp1"],
  ["test_data.tbbo.dbn", "mbp1"],
  ["test_data.bbo-1s.dbn", "bbo"],
  ["test_data.bbo-1m.dbn", "bbo"],
  ["test_data.bbo-1m.v3.dbn.zst", "bbo"],
  ["test_data.ohlcv-1s.dbn", "ohlcv"],
  ["test_data.ohlcv-1m.dbn", "ohlcv"],
  ["test_data.ohlcv-1h.dbn", "ohlcv"],
  ["test_data.ohlcv-1s.v1.dbn.zst", "ohlcv"],
  ["test_data.ohlcv-1h.v3.dbn.zst", "ohlcv"],
];

/** The records of a fixture: after the 8-byte prelude and `length` metadata bytes. */
function fixtureRecords(file: string): Uint8Array {
  const url = new URL(`../../shared/fixtures/dbn/${file}`, import.meta.url);
  let bytes: Uint8Array = Deno.readFileSync(url);
  if (file.endsWith(".zst")) bytes = new Uint8Array(zstdDecompressSync(bytes));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.subarray(8 + view.getUint32(4, true));
}

for (const [file, kind] of FIXTURES) {
  Deno.test(`decodeColumns("${kind}") matches a DataView decode of ${file} and re-encodes its bytes`, () => {
    const records = fixtureRecords(file);
    using batch = decodeColumns(kind, records);
    const expected = referenceDecode(kind, records, false);
    assert.ok(expected.length > 0);
    assert.equal(batch.length * dbnRecordSize(kind), records.length);
    assert.deepEqual(batchRows(batch), expected);
    assert.deepEqual(encodeColumns(batch), records);
  });
}

Deno.test("ColumnBatch.push() decodes a fixture split anywhere, carrying partial records", () => {
  const records = fixtureRecords("test_data.mbp-1.dbn");
  const expected = referenceDecode("mbp1", records, false);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: records.length }), { maxLength: 6 }), (cuts) => {
      const bounds = [0, ...cuts.sort((a, b) => a - b), records.length];
      using batch = new ColumnBatch("mbp1");
      const rows: Row[] = [];
      for (let i = 1; i < bounds.length; i++) {
        batch.push(records.subarray(bounds[i - 1], bounds[i]));
        rows.push(...batchRows(batch));
      }
      assert.equal(batch.pending, 0);
      batch.finish();
      assert.deepEqual(rows, expected);
    }),
  );
});

// Random records: any value of each field's type, any rtype the kind accepts.
function fieldArbitrary(type: FieldType): fc.Arbitrary<number | bigint> {
  switch (type) {
    case "u8":
      return fc.integer({ min: 0, max: 0xff });
    case "u16":
      return fc.integer({ min: 0, max: 0xffff });
    case "u32":
      return fc.nat({ max: 0xffff_ffff });
    case "i32":
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case "u64":
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case "i64":
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  }
}

function rowArbitrary(kind: DbnRecordKind, tsOut: boolean): fc.Arbitrary<Row> {
  const { fields, rtypes } = REFERENCE[kind];
  const shape: Record<string, fc.Arbitrary<number | bigint>> = {};
  for (const [name, [, type]] of Object.entries(fields)) shape[name] = fieldArbitrary(type);
  shape.rtype = fc.constantFrom(...rtypes);
  if (tsOut) shape.tsOut = fieldArbitrary("u64");
  return fc.record(shape);
}

const ARRAYS = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  u64: BigUint64Array,
  i64: BigInt64Array,
} as const;

function toColumns(kind: DbnRecordKind, rows: Row[], tsOut: boolean) {
  const fields: Layout = { ...REFERENCE[kind].fields, ...(tsOut ? { tsOut: [0, "u64"] } : {}) };
  const columns: Record<string, unknown> = {};
  for (const [name, [, type]] of Object.entries(fields)) {
    const values = rows.map((row) => row[name]!);
    columns[name] = (ARRAYS[type] as { from(v: unknown[]): unknown }).from(values);
  }
  // deno-lint-ignore no-explicit-any
  return columns as any;
}

for (const kind of KINDS) {
  for (const tsOut of [false, true]) {
    Deno.test(`${kind} columns${tsOut ? " with ts_out" : ""} -> encode -> decode gives the same values`, () => {
      fc.assert(
        fc.property(fc.array(rowArbitrary(kind, tsOut), { maxLength: 40 }), (generated) => {
          const rows = generated.map((row) => ({ ...row }));
          using source = ColumnBatch.from(kind, toColumns(kind, rows, tsOut));
          assert.equal(source.tsOut, tsOut);
          const bytes = encodeColumns(source);
          const size = dbnRecordSize(kind, tsOut);
          assert.equal(bytes.length, rows.length * size);
          assert.deepEqual(referenceDecode(kind, bytes, tsOut), rows);
          using decoded = decodeColumns(kind, bytes, { tsOut });
          assert.deepEqual(batchRows(decoded), rows);
          if (kind === "bbo") {
            for (let at = 0; at < bytes.length; at += size) {
              const reserved = [28, 31, 40, 41, 42, 43].map((i) => bytes[at + i]);
              assert.deepEqual(reserved, [0, 0, 0, 0, 0, 0]);
            }
          }
        }),
        { numRuns: 50 },
      );
    });
  }
}

function assertRecordError(
  fn: () => unknown,
  code: string,
  recordIndex: number,
  byteOffset: number,
): void {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof DbnRecordError, String(e));
    assert.ok(e instanceof RangeError);
    assert.equal(e.code, code, e.message);
    assert.equal(e.recordIndex, recordIndex, e.message);
    assert.equal(e.byteOffset, byteOffset, e.message);
    return true;
  });
}

function tradeRecords(n: number): Uint8Array {
  const rows = Array.from({ length: n }, (_, k) => ({
    tsEvent: 1_700_000_000_000_000_000n + BigInt(k),
    instrumentId: 7 + k,
    publisherId: 2,
    rtype: 0,
    price: 100_250_000_000n + BigInt(k),
    size: 10 + k,
    action: 0x54,
    side: 0x42,
    flags: 0x80,
    depth: 0,
    tsRecv: 1_700_000_000_000_000_500n + BigInt(k),
    tsInDelta: -k,
    sequence: 1000 + k,
  }));
  using batch = ColumnBatch.from("trades", toColumns("trades", rows, false));
  return encodeColumns(batch);
}

Deno.test("decode() reports a wrong length byte with its record index and byte offset", () => {
  const bytes = tradeRecords(5);
  bytes[2 * 48] = 13;
  assertRecordError(() => decodeColumns("trades", bytes), "DBN_BAD_LENGTH", 2, 96);
  using batch = new ColumnBatch("trades");
  assert.throws(() => batch.decode(bytes), /record 2 at byte 96: length byte 13 \(52 bytes\)/);
  assert.equal(batch.length, 2, "the good records before the bad one stay decoded");
  assert.deepEqual(batchRows(batch), referenceDecode("trades", bytes.subarray(0, 96), false));
});

Deno.test("decode() reports an rtype the kind does not handle", () => {
  const bytes = tradeRecords(4);
  bytes[3 * 48 + 1] = 0x16;
  assertRecordError(() => decodeColumns("trades", bytes), "DBN_UNKNOWN_RTYPE", 3, 144);
  assert.throws(
    () => decodeColumns("trades", bytes),
    /rtype 0x16 is not an rtype of trades records \(0x00\)/,
  );
  assertRecordError(() => decodeColumns("mbp1", tradeRecords(2)), "DBN_UNKNOWN_RTYPE", 0, 0);
  assertRecordError(() => decodeColumns("ohlcv", tradeRecords(2)), "DBN_UNKNOWN_RTYPE", 0, 0);
});

Deno.test("decode() reports a truncated buffer without reading past it", () => {
  const bytes = tradeRecords(3);
  assertRecordError(
    () => decodeColumns("trades", bytes.subarray(0, 3 * 48 - 5)),
    "DBN_TRUNCATED",
    2,
    96,
  );
  assertRecordError(() => decodeColumns("trades", bytes, { count: 4 }), "DBN_TRUNCATED", 3, 144);
  const huge = { count: 2 ** 31 - 1 }; // sizes the columns by the bytes, not by the count
  assertRecordError(() => decodeColumns("trades", bytes, huge), "DBN_TRUNCATED", 3, 144);
  using reused = new ColumnBatch("trades");
  assertRecordError(() => reused.decode(bytes, huge), "DBN_TRUNCATED", 3, 144);
  assert.equal(reused.length, 3);
  using partial = decodeColumns("trades", bytes.subarray(0, 100), { partial: true });
  assert.equal(partial.length, 2);
  using some = decodeColumns("trades", bytes, { count: 1 });
  assert.equal(some.length, 1);
  using none = decodeColumns("trades", new Uint8Array(0));
  assert.equal(none.length, 0);
});

Deno.test("decode() with ts_out on records without it fails on the length byte", () => {
  assertRecordError(
    () => decodeColumns("trades", tradeRecords(2).subarray(0, 56), { tsOut: true }),
    "DBN_BAD_LENGTH",
    0,
    0,
  );
});

Deno.test("push() reports errors at stream positions and finish() a partial record", () => {
  const bytes = tradeRecords(6);
  bytes[4 * 48] = 0;
  using batch = new ColumnBatch("trades");
  assert.equal(batch.push(bytes.subarray(0, 100)), 2);
  assert.equal(batch.pending, 4);
  assertRecordError(() => batch.push(bytes.subarray(100)), "DBN_BAD_LENGTH", 4, 192);
  assert.equal(batch.pending, 0, "an error resets the stream");
  batch.push(tradeRecords(2).subarray(0, 60));
  assertRecordError(() => batch.finish(), "DBN_TRUNCATED", 1, 48);
});

Deno.test("encode() rejects an rtype the kind does not handle", () => {
  using batch = decodeColumns("trades", tradeRecords(3));
  batch.columns().rtype[1] = 0x01;
  assertRecordError(() => encodeColumns(batch), "DBN_UNKNOWN_RTYPE", 1, 48);
});

Deno.test("decoding random bytes never traps: records or a DbnRecordError", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...KINDS),
      fc.boolean(),
      fc.uint8Array({ maxLength: 300 }),
      (kind, tsOut, bytes) => {
        try {
          using batch = decodeColumns(kind, bytes, { tsOut });
          assert.deepEqual(batchRows(batch), referenceDecode(kind, bytes, tsOut));
        } catch (e) {
          if (!(e instanceof DbnRecordError)) throw e;
        }
      },
    ),
  );
});

Deno.test("columns() re-creates views after memory grows and throws once freed", () => {
  const bytes = tradeRecords(3);
  const batch = decodeColumns("trades", bytes);
  const before = batch.columns();
  assert.equal(batch.columns(), before, "views are cached while memory stays put");
  const big = new CoreBuffer(64 * 1024 * 1024); // grows memory, detaching every view
  try {
    assert.equal(before.price.length, 0);
    assert.deepEqual(batchRows(batch), referenceDecode("trades", bytes, false));
  } finally {
    big.free();
  }
  batch.free();
  batch.free();
  assert.throws(() => batch.columns(), TypeError);
});

Deno.test("decode() reads bytes already in core memory in place and reuses its blocks", () => {
  const bytes = tradeRecords(10);
  using input = new CoreBuffer(bytes.length);
  input.bytes().set(bytes);
  using batch = new ColumnBatch("trades", { capacity: 4 });
  assert.equal(batch.decode(input.bytes()), 10);
  assert.ok(batch.capacity >= 10);
  assert.deepEqual(batchRows(batch), referenceDecode("trades", bytes, false));
  assert.equal(batch.decode(bytes.subarray(0, 96)), 2);
  assert.deepEqual(batchRows(batch), referenceDecode("trades", bytes.subarray(0, 96), false));
});

Deno.test("ColumnBatch.from() rejects missing and uneven columns", () => {
  const columns = toColumns("ohlcv", [], false);
  delete columns.volume;
  assert.throws(() => ColumnBatch.from("ohlcv", columns), /Missing ohlcv column "volume"/);
  columns.volume = new BigUint64Array(1);
  assert.throws(() => ColumnBatch.from("ohlcv", columns), RangeError);
});
