import assert from "node:assert/strict";
import { UNDEF_TIMESTAMP } from "../constants.ts";
import { SymbolMap, type SymbolMapMetadata } from "./symbol_map.ts";

// A cut of upstream's metadata_w_mappings() (rust/dbn/src/symbol_map.rs tests).
const METADATA: SymbolMapMetadata = {
  stypeIn: 1,
  stypeOut: 0,
  mappings: [
    { rawSymbol: "AAPL", intervals: [{ startDate: 20230701, endDate: 20230801, symbol: "32" }] },
    {
      rawSymbol: "NVDA",
      intervals: [
        { startDate: 20230728, endDate: 20230731, symbol: "7298" },
        { startDate: 20230731, endDate: 20230801, symbol: "7295" },
      ],
    },
    {
      rawSymbol: "PLTR",
      intervals: [
        { startDate: 20230707, endDate: 20230710, symbol: "8029" },
        { startDate: 20230710, endDate: 20230711, symbol: "8022" },
        // Old symbology format: no symbol, skipped.
        { startDate: 20230731, endDate: 20230801, symbol: "" },
      ],
    },
  ],
};

function inverse(metadata: SymbolMapMetadata): SymbolMapMetadata {
  return {
    stypeIn: "instrument_id",
    stypeOut: "raw_symbol",
    mappings: metadata.mappings.flatMap((m) =>
      m.intervals.filter((i) => i.symbol !== "").map((i) => ({
        rawSymbol: i.symbol,
        intervals: [{ startDate: i.startDate, endDate: i.endDate, symbol: m.rawSymbol }],
      }))
    ),
  };
}

Deno.test("SymbolMap resolves by date with the end date exclusive (upstream test_symbol_map)", () => {
  for (const map of [SymbolMap.fromMetadata(METADATA), SymbolMap.fromMetadata(inverse(METADATA))]) {
    assert.equal(map.get(32, 20230702), "AAPL");
    assert.equal(map.get(32, "2023-07-31"), "AAPL");
    assert.equal(map.get(32, 20230801), undefined);
    assert.equal(map.get(8029, 20230708), "PLTR");
    assert.equal(map.get(8029, 20230710), undefined);
    assert.equal(map.get(8022, 20230710), "PLTR");
    assert.equal(map.get(7298, 20230731), undefined);
    assert.equal(map.get(7295, 20230731), "NVDA");
  }
});

Deno.test("SymbolMap refuses metadata without instrument_id on either side", () => {
  assert.throws(() => SymbolMap.fromMetadata({ ...METADATA, stypeOut: 1 }), RangeError);
  assert.throws(
    () =>
      SymbolMap.fromMetadata({
        ...METADATA,
        mappings: [{
          rawSymbol: "X",
          intervals: [{ startDate: 20230701, endDate: 20230702, symbol: "ESH1" }],
        }],
      }),
    /Cannot parse instrument id "ESH1"/,
  );
});

Deno.test("SymbolMap.insert() ignores empty intervals and rejects reversed ones", () => {
  const map = new SymbolMap();
  map.insert(1, 20231203, 20231203, "test");
  assert.equal(map.get(1, 20231203), undefined);
  assert.throws(() => map.insert(1, 20231204, 20231203, "test"), RangeError);
  map.insert(1, 20231201, 20231205, "old");
  map.insert(1, 20231203, 20231204, "new");
  assert.equal(map.get(1, 20231203), "new");
  assert.equal(map.get(1, 20231204), "old");
});

Deno.test("getForRecord() uses the UTC date of ts_recv when present, else ts_event", () => {
  const map = new SymbolMap();
  map.insert(5482, 20201228, 20201229, "ESH1");
  const lastNanoOfDay = 1609199999999999999n; // 2020-12-28T23:59:59.999999999Z
  assert.equal(map.getForRecord({ instrumentId: 5482, tsEvent: lastNanoOfDay }), "ESH1");
  assert.equal(map.getForRecord({ instrumentId: 5482, tsEvent: lastNanoOfDay + 1n }), undefined);
  assert.equal(
    map.getForRecord({ instrumentId: 5482, tsEvent: 0n, tsRecv: lastNanoOfDay }),
    "ESH1",
  );
  assert.equal(
    map.getForRecord({ instrumentId: 5482, tsEvent: lastNanoOfDay, tsRecv: UNDEF_TIMESTAMP }),
    undefined,
  );
});

Deno.test("onRecord() learns live symbol mappings (upstream test_on_record)", () => {
  const map = new SymbolMap();
  for (
    const [instrumentId, symbol] of [[1, "AAPL"], [2, "TSLA"], [3, "MSFT"], [10, "AAPL"]] as const
  ) {
    map.onRecord({ rtype: 0x16, instrumentId, stypeOutSymbol: symbol });
  }
  map.onRecord({ rtype: 0xa0, instrumentId: 4 });
  const rec = (instrumentId: number) => ({ instrumentId, tsEvent: UNDEF_TIMESTAMP });
  assert.equal(map.getForRecord(rec(2)), "TSLA");
  assert.equal(map.getForRecord(rec(10)), "AAPL");
  assert.equal(map.getForRecord(rec(4)), undefined);
});
