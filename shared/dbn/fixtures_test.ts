// Every upstream DBN fixture (shared/fixtures/dbn, `.dbz` excluded): exact-length decoding,
// byte-for-byte re-encoding, and the record counts and first records of the fixtures README.
import assert from "node:assert/strict";
import { fixtureNames, readFixture } from "./_fixtures.ts";
import {
  type DbnRecord,
  decodeMetadata,
  decodeRecord,
  encodeMetadata,
  encodeRecord,
  type RecordContext,
} from "./mod.ts";

interface Expected {
  count: number;
  instrumentId: number;
  publisherId: number;
  tsEvent: bigint;
  fields: Record<string, unknown>;
  level0?: Record<string, unknown>;
}

const TOP_3720 = { bidPx: 3720250000000n, bidSz: 24, askPx: 3720500000000n, askSz: 11 };
const BBO = {
  count: 4,
  instrumentId: 5482,
  publisherId: 1,
  tsEvent: 1609113599045849637n,
  fields: { price: 3702500000000n, size: 2, side: "A", tsRecv: 1609113600000000000n },
  level0: { bidPx: 3702250000000n, bidSz: 18, askPx: 3702750000000n, askSz: 13 },
};
const CONSOLIDATED = {
  count: 2,
  instrumentId: 5482,
  publisherId: 1,
  tsEvent: 1609160400006001487n,
  fields: { price: 3720500000000n, size: 1, side: "A", tsRecv: 1609160400006136329n },
  level0: TOP_3720,
};
const OHLCV = { count: 2, instrumentId: 5482, publisherId: 1, tsEvent: 1609160400000000000n };
const TBBO_TRADE = { price: 3720250000000n, size: 5, action: "T", side: "A" };

// From the fixtures README ("first record" column).
const BY_SCHEMA: Record<string, Expected> = {
  "bbo-1m": BBO,
  "bbo-1s": BBO,
  "cbbo-1s": CONSOLIDATED,
  "cmbp-1": { ...CONSOLIDATED, fields: { ...CONSOLIDATED.fields, action: "A" } },
  definition: {
    count: 2,
    instrumentId: 6819,
    publisherId: 2,
    tsEvent: 1633331241618018154n,
    fields: { rawSymbol: "MSFT", instrumentClass: "K", exchange: "XNAS" },
  },
  imbalance: {
    count: 2,
    instrumentId: 9439,
    publisherId: 2,
    tsEvent: 1633353900633854579n,
    fields: { refPrice: 229430000000n, totalImbalanceQty: 2000, side: "B" },
  },
  mbo: {
    count: 2,
    instrumentId: 5482,
    publisherId: 1,
    tsEvent: 1609160400000429831n,
    fields: {
      orderId: 647784973705n,
      price: 3722750000000n,
      size: 1,
      action: "C",
      side: "A",
      flags: 128,
    },
  },
  "mbp-1": {
    count: 2,
    instrumentId: 5482,
    publisherId: 1,
    tsEvent: 1609160400006001487n,
    fields: { price: 3720500000000n, size: 1, action: "A", side: "A", depth: 0 },
    level0: TOP_3720,
  },
  "mbp-10": {
    count: 2,
    instrumentId: 5482,
    publisherId: 1,
    tsEvent: 1609160400000429831n,
    fields: { price: 3722750000000n, size: 1, action: "C", side: "A", depth: 9 },
    level0: { ...TOP_3720, askSz: 10 },
  },
  "ohlcv-1d": { ...OHLCV, count: 0, fields: {} },
  "ohlcv-1h": {
    ...OHLCV,
    fields: {
      open: 372025000000000n,
      high: 372350000000000n,
      low: 372025000000000n,
      close: 372225000000000n,
      volume: 9385n,
    },
  },
  "ohlcv-1m": {
    ...OHLCV,
    fields: {
      open: 372025000000000n,
      high: 372150000000000n,
      low: 372025000000000n,
      close: 372100000000000n,
      volume: 353n,
    },
  },
  "ohlcv-1s": {
    ...OHLCV,
    fields: {
      open: 372025000000000n,
      high: 372050000000000n,
      low: 372025000000000n,
      close: 372050000000000n,
      volume: 57n,
    },
  },
  statistics: {
    count: 2,
    instrumentId: 146945,
    publisherId: 1,
    tsEvent: 1682269536030443135n,
    fields: { statType: 7, price: 100000000000n, sequence: 2 },
  },
  status: {
    count: 4,
    instrumentId: 5482,
    publisherId: 1,
    tsEvent: 1609110000000000000n,
    fields: { action: 7, reason: 1, isTrading: "Y" },
  },
  tbbo: {
    count: 2,
    instrumentId: 5482,
    publisherId: 1,
    tsEvent: 1609160400098821953n,
    fields: { ...TBBO_TRADE, depth: 0 },
    level0: { bidPx: 3720250000000n, bidSz: 26, askPx: 3720500000000n, askSz: 7 },
  },
  trades: {
    count: 2,
    instrumentId: 5482,
    publisherId: 1,
    tsEvent: 1609160400098821953n,
    fields: { ...TBBO_TRADE, flags: 129, sequence: 1170380 },
  },
};

const DEFINITION_FRAGMENT: Expected = {
  count: 2,
  instrumentId: 31778,
  publisherId: 1,
  tsEvent: 1609088526651000000n,
  fields: { rawSymbol: "GEM3 P9812", instrumentClass: "P", exchange: "XCME" },
};

function expectedFor(name: string, schema: string, version: number): Expected {
  if (name.startsWith("multi-frame")) return { ...DEFINITION_FRAGMENT, count: 8 };
  if (name.includes(".frag")) return DEFINITION_FRAGMENT;
  const expected = BY_SCHEMA[schema];
  if (expected === undefined) throw new Error(`No expectation for "${name}"`);
  if (schema !== "statistics") return expected;
  const quantity = version === 3 ? 9223372036854775807n : 2147483647;
  return { ...expected, fields: { ...expected.fields, quantity } };
}

function assertFirstRecord(record: DbnRecord, expected: Expected): void {
  assert.equal(record.instrumentId, expected.instrumentId);
  assert.equal(record.publisherId, expected.publisherId);
  assert.equal(record.tsEvent, expected.tsEvent);
  const fields = record as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected.fields)) {
    assert.equal(fields[key], value, `field "${key}"`);
  }
  if (expected.level0 !== undefined) {
    const level = (fields.levels as Record<string, unknown>[])[0]!;
    for (const [key, value] of Object.entries(expected.level0)) {
      assert.equal(level[key], value, `level 0 "${key}"`);
    }
  }
}

const NAMES = fixtureNames();

Deno.test("the fixture folder holds the 71 DBN files of the README (DBZ excluded)", () => {
  assert.equal(NAMES.length, 71);
});

Deno.test("the multi-frame fixture decompresses to 8 records of 360 bytes", () => {
  assert.equal(readFixture("multi-frame.definition.v1.dbn.frag.zst").bytes.length, 8 * 360);
});

for (const name of NAMES) {
  Deno.test(`${name}: decodes to exactly its length, re-encodes byte for byte, first record as documented`, () => {
    const fixture = readFixture(name);
    const { bytes } = fixture;
    let offset = 0;
    let context: RecordContext = { version: fixture.version, tsOut: false, source: name };
    if (!fixture.fragment) {
      const { metadata, byteLength } = decodeMetadata(bytes, { source: name });
      assert.equal(metadata.version, fixture.version);
      assert.deepEqual(encodeMetadata(metadata), bytes.subarray(0, byteLength));
      context = { version: metadata.version, tsOut: metadata.tsOut, source: name };
      offset = byteLength;
    }
    const records: DbnRecord[] = [];
    while (offset < bytes.length) {
      const record = decodeRecord(bytes, offset, context);
      const encoded = encodeRecord(record, context);
      assert.deepEqual(
        encoded,
        bytes.subarray(offset, offset + encoded.length),
        `record at ${offset}`,
      );
      records.push(record);
      offset += encoded.length;
    }
    assert.equal(offset, bytes.length);
    const expected = expectedFor(name, fixture.schema, fixture.version);
    assert.equal(records.length, expected.count);
    if (records[0] !== undefined) assertFirstRecord(records[0], expected);
  });
}
