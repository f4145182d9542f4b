import assert from "node:assert/strict";
import { fixtureNames, readFixture } from "./_fixtures.ts";
import {
  decodeDbn,
  decodeRecords,
  encodeDbn,
  encodeMetadata,
  encodeRecord,
  encodeRecords,
  ErrorCode,
  type ErrorMsgV1,
  type InstrumentDefMsg,
  RType,
  type StatMsgV1,
  type SymbolMappingMsgV1,
  SystemCode,
  type SystemMsgV1,
  UNDEF_PRICE,
  UNDEF_STAT_QUANTITY,
  upgradeDbn,
  upgradeMetadata,
  upgradeRecord,
} from "./mod.ts";

const V3_FILES = fixtureNames().filter((name) => name.includes(".v3.dbn.zst"));

for (const v3Name of V3_FILES) {
  for (const from of [1, 2] as const) {
    const oldName = v3Name.replace(".v3.", `.v${from}.`);
    if (!fixtureNames().includes(oldName)) continue;
    Deno.test(`upgrading ${oldName} to v3 reproduces ${v3Name} byte for byte`, () => {
      const upgraded = upgradeDbn(decodeDbn(readFixture(oldName).bytes));
      assert.equal(upgraded.metadata.version, 3);
      assert.deepEqual(encodeDbn(upgraded), readFixture(v3Name).bytes);
    });
  }
}

for (const from of [1, 2] as const) {
  Deno.test(`upgrading the v${from} definition fragment reproduces the v3 fragment byte for byte`, () => {
    const records = decodeRecords(readFixture(`test_data.definition.v${from}.dbn.frag`).bytes, {
      version: from,
      tsOut: false,
    });
    const upgraded = records.map((record) => upgradeRecord(record, from));
    assert.deepEqual(
      encodeRecords(upgraded, { version: 3, tsOut: false }),
      readFixture("test_data.definition.v3.dbn.frag").bytes,
    );
  });
}

Deno.test("upgradeDbn() with decodeDbn({upgrade: true}) gives v3 metadata with 71-byte symbols", () => {
  const data = decodeDbn(readFixture("test_data.mbo.v1.dbn.zst").bytes, { upgrade: true });
  assert.equal(data.metadata.version, 3);
  assert.equal(data.metadata.symbolCstrLen, 71);
  assert.equal("recordCount" in data.metadata, false);
});

Deno.test("upgradeMetadata() and upgradeRecord() refuse to downgrade", () => {
  const { metadata, records } = decodeDbn(readFixture("test_data.trades.v3.dbn.zst").bytes);
  assert.throws(() => upgradeMetadata(metadata, 2), RangeError);
  assert.throws(() => upgradeRecord(records[0]!, 3, 2), RangeError);
});

Deno.test("upgradeMetadata() v1 -> v2 writes v2's layout", () => {
  const v1 = decodeDbn(readFixture("test_data.mbo.v1.dbn.zst").bytes).metadata;
  const v2 = readFixture("test_data.mbo.v2.dbn.zst").bytes;
  const encoded = encodeMetadata(upgradeMetadata(v1, 2));
  assert.deepEqual(encoded, v2.subarray(0, encoded.length));
});

const HEADER = { publisherId: 1, instrumentId: 2, tsEvent: 3n } as const;

Deno.test("upgradeRecord() keeps unchanged record types as they are", () => {
  const { records } = decodeDbn(readFixture("test_data.mbp-10.v1.dbn.zst").bytes);
  assert.equal(upgradeRecord(records[0]!, 1), records[0]);
});

Deno.test("upgradeRecord() widens StatMsg quantity: i32 max becomes i64 max, others sign-extend", () => {
  const stat: StatMsgV1 = {
    rtype: RType.Statistics,
    ...HEADER,
    tsRecv: 4n,
    tsRef: 5n,
    price: 6n,
    quantity: -7,
    sequence: 8,
    tsInDelta: -9,
    statType: 3,
    channelId: 10,
    updateAction: 2,
    statFlags: 5,
    tsOut: 11n,
  };
  const upgraded = upgradeRecord(stat, 2);
  assert.deepEqual(upgraded, { ...stat, quantity: -7n });
  assert.equal(encodeRecord(upgraded, { version: 3, tsOut: true }).length, 88);
  const undef = upgradeRecord({ ...stat, quantity: 2147483647 }, 1) as { quantity: bigint };
  assert.equal(undef.quantity, UNDEF_STAT_QUANTITY);
});

Deno.test("upgradeRecord() gives SymbolMappingMsg v1 unset stypes (255)", () => {
  const v1: SymbolMappingMsgV1 = {
    rtype: RType.SymbolMapping,
    ...HEADER,
    stypeInSymbol: "ES.c.0",
    stypeOutSymbol: "ESH1",
    startTs: 1n,
    endTs: 2n,
  };
  assert.deepEqual(upgradeRecord(v1, 1), { ...v1, stypeIn: 255, stypeOut: 255 });
  assert.equal(encodeRecord(upgradeRecord(v1, 1), { version: 2, tsOut: false }).length, 176);
});

Deno.test("upgradeRecord() infers ErrorMsg v1 codes from the text and sets is_last 255", () => {
  const cases: [string, number][] = [
    ["User or API key deactivated", ErrorCode.ApiKeyDeactivated],
    ["User has reached their open connection limit", ErrorCode.ConnectionLimitExceeded],
    ["Failed to resolve symbol: AAPL", ErrorCode.SymbolResolutionFailed],
    ["Internal error", ErrorCode.InternalError],
    ["Slow client detected for mbo. Skipped records", ErrorCode.SkippedRecordsAfterSlowReading],
    ["Something else", ErrorCode.Unset],
  ];
  for (const [err, code] of cases) {
    const v1: ErrorMsgV1 = { rtype: RType.Error, ...HEADER, err };
    assert.deepEqual(upgradeRecord(v1, 1), { ...v1, code, isLast: 255 }, err);
  }
});

Deno.test("upgradeRecord() infers SystemMsg v1 codes from the text", () => {
  const cases: [string, number][] = [
    ["Heartbeat", SystemCode.Heartbeat],
    ["End of interval for bbo-1s", SystemCode.EndOfInterval],
    ["Subscription request 5 for mbo data succeeded", SystemCode.SubscriptionAck],
    ["Warning: slow reading, not keeping pace with cbbo-1s data", SystemCode.SlowReaderWarning],
    ["Finished ohlcv-1s replay", SystemCode.ReplayCompleted],
    ["Heartbeat!", SystemCode.Unset],
  ];
  for (const [msg, code] of cases) {
    const v1: SystemMsgV1 = { rtype: RType.System, ...HEADER, msg };
    assert.deepEqual(upgradeRecord(v1, 1), { ...v1, code }, msg);
  }
});

Deno.test("upgradeRecord() fills the v3 leg fields of InstrumentDefMsg with their defaults", () => {
  const [record] = decodeRecords(readFixture("test_data.definition.v2.dbn.frag").bytes, {
    version: 2,
    tsOut: false,
  });
  const v3 = upgradeRecord(record!, 2) as InstrumentDefMsg;
  assert.equal(v3.legPrice, UNDEF_PRICE);
  assert.equal(v3.legSide, "N");
  assert.equal(v3.legInstrumentClass, "");
  assert.equal(typeof v3.rawInstrumentId, "bigint");
  assert.equal("tradingReferencePrice" in v3, false);
});
