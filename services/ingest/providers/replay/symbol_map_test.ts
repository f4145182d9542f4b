import assert from "node:assert/strict";
import { RType, SType, type SymbolMappingMsg } from "@shared/dbn/mod.ts";
import { InstrumentSymbols, ymdOf } from "./symbol_map.ts";
import { T0, tradesMetadata } from "./_testing.ts";

const DAY = 86_400_000_000_000n;

Deno.test("InstrumentSymbols picks the interval of the record's UTC date", () => {
  const metadata = tradesMetadata({});
  metadata.mappings = [
    { rawSymbol: "MSFT", intervals: [{ startDate: 20210104, endDate: 20210105, symbol: "10" }] },
    { rawSymbol: "AAPL", intervals: [{ startDate: 20210105, endDate: 20210106, symbol: "10" }] },
    { rawSymbol: "BAD SYM", intervals: [{ startDate: 20210104, endDate: 20210106, symbol: "11" }] },
    { rawSymbol: "GONE", intervals: [{ startDate: 20210104, endDate: 20210106, symbol: "" }] },
  ];
  const map = InstrumentSymbols.fromMetadata(metadata);
  assert.equal(ymdOf(T0), 20210104);
  assert.deepEqual(map.resolve(10, T0 + 5n), {
    symbol: "MSFT",
    valid: true,
    start: 20210104,
    end: 20210105,
  });
  assert.equal(map.resolve(10, T0 + DAY)?.symbol, "AAPL");
  assert.equal(map.resolve(10, T0 + 2n * DAY), undefined);
  assert.equal(map.resolve(11, T0)?.valid, false);
  assert.equal(map.resolve(12, T0), undefined);
  assert.deepEqual(map.symbols(), ["AAPL", "BAD SYM", "MSFT"]);
});

Deno.test("InstrumentSymbols reads instrument_id -> raw_symbol metadata and mapping records", () => {
  const metadata = tradesMetadata({});
  metadata.stypeIn = SType.InstrumentId;
  metadata.stypeOut = SType.RawSymbol;
  metadata.mappings = [{
    rawSymbol: "42",
    intervals: [{ startDate: 20210104, endDate: 20210105, symbol: "ESH1" }],
  }];
  const map = InstrumentSymbols.fromMetadata(metadata);
  assert.equal(map.resolve(42, T0)?.symbol, "ESH1");
  const record: SymbolMappingMsg = {
    rtype: RType.SymbolMapping,
    publisherId: 1,
    instrumentId: 42,
    tsEvent: T0,
    stypeIn: SType.Parent,
    stypeInSymbol: "ES.FUT",
    stypeOut: SType.RawSymbol,
    stypeOutSymbol: "ESM1",
    startTs: T0,
    endTs: T0 + DAY,
  };
  assert.equal(map.learn(record), true);
  assert.equal(map.resolve(42, T0)?.symbol, "ESM1");
  assert.equal(InstrumentSymbols.fromMetadata(undefined).symbols().length, 0);
});
