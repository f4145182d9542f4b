import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { readFixture } from "./_fixtures.ts";
import {
  decodeDbn,
  decodeRecord,
  decodeRecords,
  encodeRecord,
  type ErrorMsg,
  type Mbp1Msg,
  type RecordContext,
  recordLengthAt,
  RType,
  type TradeMsg,
} from "./mod.ts";

const V2: RecordContext = { version: 2, tsOut: false, source: "rec.dbn" };

const TRADE: TradeMsg = {
  rtype: RType.Mbp0,
  publisherId: 1,
  instrumentId: 5482,
  tsEvent: 1609160400098821953n,
  price: 3720250000000n,
  size: 5,
  action: "T",
  side: "A",
  flags: 129,
  depth: 0,
  tsRecv: 1609160400099150057n,
  tsInDelta: 19251,
  sequence: 1170380,
};

function rejects(bytes: Uint8Array, offset: number, code: string, context = V2): void {
  assert.throws(() => decodeRecord(bytes, offset, context), (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.offset, offset);
    assert.ok(e.message.startsWith(`rec.dbn at byte ${offset}: `), e.message);
    return true;
  });
}

Deno.test("encodeRecord() and decodeRecord() round-trip a trade with the header length 12", () => {
  const bytes = encodeRecord(TRADE, V2);
  assert.equal(bytes.length, 48);
  assert.equal(bytes[0], 12);
  assert.deepEqual(decodeRecord(bytes, 0, V2), TRADE);
});

Deno.test("decodeRecord() rejects an unknown rtype with its offset", () => {
  const bytes = new Uint8Array(64);
  bytes.set(encodeRecord(TRADE, V2), 16);
  bytes[17] = 0x99;
  rejects(bytes, 16, "dbn.unknown_rtype");
});

Deno.test("decodeRecord() rejects a record length of 0 (no progress possible)", () => {
  const bytes = encodeRecord(TRADE, V2);
  bytes[0] = 0;
  rejects(bytes, 0, "dbn.bad_record_length");
});

Deno.test("decodeRecord() rejects a length shorter than the layout", () => {
  const bytes = encodeRecord(TRADE, V2);
  bytes[0] = 11;
  rejects(bytes, 0, "dbn.short_record");
  rejects(encodeRecord(TRADE, V2), 0, "dbn.short_record", { ...V2, tsOut: true });
});

Deno.test("decodeRecord() rejects a record truncated at the end of the buffer", () => {
  const bytes = encodeRecord(TRADE, V2);
  rejects(bytes.subarray(0, 47), 0, "dbn.truncated_record");
  rejects(bytes.subarray(0, 10), 0, "dbn.truncated_record");
  const two = new Uint8Array(96);
  two.set(bytes);
  two.set(bytes.subarray(0, 40), 48);
  assert.throws(() => decodeRecords(two.subarray(0, 88), V2), (e: unknown) => {
    return e instanceof DataError && e.offset === 48 && e.code === "dbn.truncated_record";
  });
});

Deno.test("decodeRecord() accepts a longer declared length and skips the extra bytes", () => {
  const bytes = new Uint8Array(56);
  bytes.set(encodeRecord(TRADE, V2));
  bytes[0] = 14;
  bytes.fill(0xEE, 48);
  assert.deepEqual(decodeRecord(bytes, 0, V2), TRADE);
  assert.equal(recordLengthAt(bytes, 0), 56);
  assert.equal(recordLengthAt(bytes, 56), undefined);
});

Deno.test("ts_out streams: records carry tsOut, length counts the 8 extra bytes", () => {
  const context = { ...V2, tsOut: true };
  const bytes = encodeRecord({ ...TRADE, tsOut: 1609160400100000000n }, context);
  assert.equal(bytes.length, 56);
  assert.equal(bytes[0], 14);
  assert.equal(decodeRecord(bytes, 0, context).tsOut, 1609160400100000000n);
  assert.throws(() => encodeRecord(TRADE, context), TypeError);
  assert.equal(encodeRecord({ ...TRADE, tsOut: 5n }, V2).length, 48);
});

Deno.test("encodeRecord() writes into a target and returns the bytes written", () => {
  const bytes = new Uint8Array(100).fill(0xAA);
  assert.equal(encodeRecord(TRADE, V2, { bytes, offset: 4 }), 48);
  assert.deepEqual(bytes.subarray(4, 52), encodeRecord(TRADE, V2));
  assert.equal(bytes[52], 0xAA);
  assert.throws(() => encodeRecord(TRADE, V2, { bytes, offset: 60 }), RangeError);
});

Deno.test("encodeRecord() zeroes reserved bytes even when the target held data", () => {
  const { records } = decodeDbn(readFixture("test_data.bbo-1s.dbn").bytes);
  const bytes = new Uint8Array(80).fill(0xFF);
  encodeRecord(records[0]!, V2, { bytes, offset: 0 });
  assert.equal(bytes[28], 0);
  assert.equal(bytes[31], 0);
  assert.deepEqual(bytes.subarray(40, 44), new Uint8Array(4));
});

Deno.test("encodeRecord() rejects values that do not fit their fields", () => {
  assert.throws(() => encodeRecord({ ...TRADE, size: -1 }, V2), RangeError);
  assert.throws(() => encodeRecord({ ...TRADE, depth: 256 }, V2), RangeError);
  assert.throws(() => encodeRecord({ ...TRADE, price: 1n << 63n }, V2), RangeError);
  assert.throws(() => encodeRecord({ ...TRADE, side: "AB" }, V2), RangeError);
  assert.throws(() => encodeRecord({ ...TRADE, size: 1.5 }, V2), TypeError);
  const missing = { ...TRADE } as Partial<TradeMsg>;
  delete missing.sequence;
  assert.throws(() => encodeRecord(missing as TradeMsg, V2), /field "sequence" of TradeMsg/);
  assert.throws(
    () => encodeRecord({ ...TRADE, rtype: 0x99 } as unknown as TradeMsg, V2),
    RangeError,
  );
});

Deno.test("encodeRecord() rejects a string too long for its field and NUL-pads shorter ones", () => {
  const error: ErrorMsg = {
    rtype: RType.Error,
    publisherId: 0,
    instrumentId: 0,
    tsEvent: 0n,
    err: "x".repeat(302),
    code: 255,
    isLast: 1,
  };
  assert.throws(() => encodeRecord(error, V2), RangeError);
  const bytes = encodeRecord({ ...error, err: "x".repeat(301) }, V2);
  assert.equal(bytes[16 + 300], 0x78);
  assert.equal(bytes[16 + 301], 0);
  assert.equal(decodeRecord(bytes, 0, V2).rtype, RType.Error);
});

Deno.test("decodeRecord() gives levels as objects and chars as strings, a zero char as empty", () => {
  const { records } = decodeDbn(readFixture("test_data.mbp-1.dbn").bytes);
  const mbp = records[0] as Mbp1Msg;
  assert.equal(mbp.levels.length, 1);
  assert.deepEqual(Object.keys(mbp.levels[0]!), [
    "bidPx",
    "askPx",
    "bidSz",
    "askSz",
    "bidCt",
    "askCt",
  ]);
  const bytes = encodeRecord({ ...mbp, side: "" }, V2);
  assert.equal(bytes[29], 0);
  assert.equal((decodeRecord(bytes, 0, V2) as Mbp1Msg).side, "");
});
