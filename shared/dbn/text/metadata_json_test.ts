import assert from "node:assert/strict";
import { UNDEF_TIMESTAMP } from "../constants.ts";
import { formatMetadataJson, mappingDate, type TextMetadata } from "./metadata_json.ts";

// The metadata of upstream's test_metadata_write_json (json/sync.rs), encoded there with
// pretty timestamps.
const METADATA: TextMetadata = {
  version: 1,
  dataset: "GLBX.MDP3",
  schema: 7,
  start: 1662734705128748281n,
  end: 1662734720914876944n,
  limit: 0n,
  stypeIn: 0,
  stypeOut: 1,
  tsOut: false,
  symbolCstrLen: 22,
  symbols: ["ESZ2"],
  partial: [],
  notFound: [],
  mappings: [{
    rawSymbol: "ESZ2",
    intervals: [{ startDate: 20220909, endDate: 20220910, symbol: "ESH2" }],
  }],
};

Deno.test("formatMetadataJson() matches upstream's pretty metadata test", () => {
  assert.equal(
    formatMetadataJson(METADATA, { pretty: true }),
    '{"version":1,"dataset":"GLBX.MDP3","schema":"ohlcv-1h","start":"2022-09-09T14:45:05.128748281Z",' +
      '"end":"2022-09-09T14:45:20.914876944Z","limit":null,"stype_in":"instrument_id",' +
      '"stype_out":"raw_symbol","ts_out":false,"symbol_cstr_len":22,"symbols":["ESZ2"],' +
      '"partial":[],"not_found":[],"mappings":[{"raw_symbol":"ESZ2","intervals":' +
      '[{"start_date":"2022-09-09","end_date":"2022-09-10","symbol":"ESH2"}]}]}',
  );
});

Deno.test("formatMetadataJson() without pretty prints nanoseconds and yyyymmdd integers", () => {
  assert.equal(
    formatMetadataJson({ ...METADATA, limit: 2n }),
    '{"version":1,"dataset":"GLBX.MDP3","schema":"ohlcv-1h","start":"1662734705128748281",' +
      '"end":"1662734720914876944","limit":"2","stype_in":"instrument_id",' +
      '"stype_out":"raw_symbol","ts_out":false,"symbol_cstr_len":22,"symbols":["ESZ2"],' +
      '"partial":[],"not_found":[],"mappings":[{"raw_symbol":"ESZ2","intervals":' +
      '[{"start_date":20220909,"end_date":20220910,"symbol":"ESH2"}]}]}',
  );
});

Deno.test("formatMetadataJson() prints null schema, stype_in and end of mixed live streams", () => {
  const json = formatMetadataJson({
    ...METADATA,
    version: 3,
    schema: 0xffff,
    stypeIn: null,
    end: UNDEF_TIMESTAMP,
    symbolCstrLen: undefined,
    tsOut: true,
  });
  assert.match(json, /"schema":null,/);
  assert.match(json, /"end":null,"limit":null,"stype_in":null,/);
  assert.match(json, /"ts_out":true,"symbol_cstr_len":71,/);
});

Deno.test("formatMetadataJson() indents like dbn --metadata --pretty", () => {
  const lines = formatMetadataJson(METADATA, { pretty: true, indent: true }).split("\n");
  assert.deepEqual(lines.slice(0, 3), ["{", '    "version": 1,', '    "dataset": "GLBX.MDP3",']);
  assert.ok(lines.includes('    "partial": [],'));
  assert.ok(lines.includes('                    "start_date": "2022-09-09",'));
  assert.equal(lines.at(-1), "}");
});

Deno.test("mappingDate() reads numbers, strings and Dates", () => {
  assert.equal(mappingDate(20201228), 20201228);
  assert.equal(mappingDate("2020-12-28"), 20201228);
  assert.equal(mappingDate("20201228"), 20201228);
  assert.equal(mappingDate(new Date(Date.UTC(2020, 11, 28))), 20201228);
  assert.throws(() => mappingDate("yesterday"), RangeError);
});
