// Real upstream fixtures decoded by our codec, printed, and checked against what Databento's own
// tests assert about the same files (rust/dbn-cli/tests/integration_tests.rs) and against values
// read from them by an independent decoder (shared/fixtures/dbn/README.md).
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { decodeDbn, decodeRecords, type Metadata } from "../mod.ts";
import { csvHeader, formatRecordCsv } from "./record_csv.ts";
import { formatMetadataJson, type TextMetadata } from "./metadata_json.ts";
import { formatRecordJson } from "./record_json.ts";
import { tableForRecord } from "./field_table.ts";
import { transcode, type TranscodeOptions } from "./transcode.ts";

const FIXTURES = new URL("../../../../shared/fixtures/dbn/", import.meta.url);

function readBytes(name: string): Uint8Array {
  const raw = Deno.readFileSync(new URL(name, FIXTURES));
  return name.endsWith(".zst") ? new Uint8Array(zlib.zstdDecompressSync(raw)) : raw;
}

function read(name: string) {
  return decodeDbn(readBytes(name), { source: name });
}

function cli(name: string, options: TranscodeOptions = {}): string {
  const { metadata, records } = read(name);
  return [...transcode(metadata, records, options)].join("");
}

const count = (text: string, needle: string) => text.split(needle).length - 1;
const PRETTY_TS = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.\d{9}Z`;
const PRETTY_PX = String.raw`\d+\.\d{9}`;

const STREAMS = [...Deno.readDirSync(FIXTURES)]
  .map((entry) => entry.name)
  .filter((name) => /^test_data\.[a-z0-9-]+(\.v\d)?\.dbn(\.zst)?$/.test(name))
  .sort();

Deno.test("the codec's metadata type is printable as is", () => {
  const metadata: Metadata = read("test_data.mbo.v3.dbn").metadata;
  const printable: TextMetadata = metadata;
  assert.match(
    formatMetadataJson(printable),
    /^\{"version":3,"dataset":"GLBX.MDP3","schema":"mbo",/,
  );
});

Deno.test("every fixture prints as valid JSON lines and rectangular CSV in every mode", () => {
  assert.ok(STREAMS.length >= 60, `${STREAMS.length} fixtures`);
  for (const name of STREAMS) {
    const { metadata, records } = read(name);
    JSON.parse(formatMetadataJson(metadata, { pretty: true }));
    for (const pretty of [false, true]) {
      const lines = [
        ...transcode(metadata, records, { encoding: "csv", pretty, mapSymbols: true }),
      ];
      const width = lines[0]!.split(",").length;
      for (const line of lines) assert.equal(line.split(",").length, width, name);
      for (const record of records) {
        const json = JSON.parse(formatRecordJson(record, { pretty, version: metadata.version }));
        const expected = tableForRecord(record, metadata.version).fields.map((f) => f.name);
        assert.deepEqual(Object.keys(json), expected, name);
      }
    }
  }
});

Deno.test("records that did not change between versions print alike from v1, v2 and v3 files", () => {
  for (const schema of ["mbo", "mbp-1", "mbp-10", "tbbo", "trades", "ohlcv-1h", "imbalance"]) {
    const outputs = ["v1", "v2", "v3"].map((v) =>
      read(`test_data.${schema}.${v}.dbn.zst`).records.map((r) => formatRecordJson(r)).join("\n")
    );
    assert.equal(outputs[0], outputs[1], schema);
    assert.equal(outputs[1], outputs[2], schema);
  }
});

// integration_tests.rs map_symbols: one ",symbol\n" header and two resolved symbols.
Deno.test("--map-symbols adds a symbol column and resolves both MBO records", () => {
  const csv = cli("test_data.mbo.v3.dbn.zst", { encoding: "csv", mapSymbols: true });
  assert.equal(count(csv, ",symbol\n"), 1);
  const json = cli("test_data.mbo.v3.dbn.zst", { mapSymbols: true });
  assert.equal(count(json, '"symbol":"'), 2);
  assert.equal(count(json, '"symbol":"ESH1"'), 2);
  assert.ok(!cli("test_data.mbp-1.v3.dbn.zst").includes('"symbol":'));
});

// integration_tests.rs writes_csv_header_for_0_records.
Deno.test("CSV of a stream without records is the header line alone", () => {
  const csv = cli("test_data.ohlcv-1d.v3.dbn.zst", { encoding: "csv" });
  assert.ok(csv.startsWith("ts_event,"));
  assert.equal(count(csv, "\n"), 1);
});

// integration_tests.rs test_limit_updates_metadata and metadata().
Deno.test("metadata JSON shows the stored limit as a string", () => {
  const json = formatMetadataJson(read("test_data.definition.v3.dbn.zst").metadata);
  assert.ok(json.includes('"limit":"2",'));
  assert.ok(json.startsWith("{") && json.endsWith("}"));
});

// integration_tests.rs pretty_print_json_data and pretty_print_csv_data.
Deno.test("--pretty indents JSON and quotes pretty timestamps and prices", () => {
  const json = cli("test_data.mbo.v3.dbn.zst", { pretty: true });
  for (const part of ["    ", ",\n", ": "]) assert.ok(json.includes(part), part);
  assert.match(json, new RegExp(`\\s"${PRETTY_TS}"`));
  assert.match(json, new RegExp(`\\s"${PRETTY_PX}"`));
  const csv = cli("test_data.mbo.v3.dbn.zst", { encoding: "csv", pretty: true });
  assert.match(csv, new RegExp(`${PRETTY_TS},`));
  assert.match(csv, new RegExp(`,${PRETTY_PX},`));
});

// integration_tests.rs input_fragment: a v3 definition fragment is 3 CSV lines, 2 JSON lines.
Deno.test("a definition fragment prints a header and two rows", () => {
  const records = decodeRecords(readBytes("test_data.definition.v3.dbn.frag"), {
    version: 3,
    tsOut: false,
  });
  const lines = [csvHeader(records[0]!.rtype), ...records.map((r) => formatRecordCsv(r))];
  assert.equal(lines.join("\n").split("\n").length, 3);
  const json = records.map((r) => formatRecordJson(r) + "\n").join("");
  assert.equal(count(json, "\n"), 2);
  assert.match(
    json,
    /"raw_symbol":"GEM3 P9812","security_update_action":"A","instrument_class":"P"/,
  );
});

// integration_tests.rs test_merge_mbo_and_mbp10_diff_compression, on records printed in turn.
Deno.test("MBO and MBP-10 records print their own rtypes", () => {
  const json = [
    ...read("test_data.mbp-10.v3.dbn.zst").records,
    ...read("test_data.mbo.v3.dbn").records,
  ]
    .map((r) => formatRecordJson(r)).join("\n");
  assert.equal(count(json, '"rtype":160,'), 2);
  assert.equal(count(json, '"rtype":10,'), 2);
});

// First-record values from the fixtures README (read with an independent decoder).
Deno.test("fixture values come out where the README says", () => {
  const mbo = JSON.parse(cli("test_data.mbo.v3.dbn.zst", { mapSymbols: true }).split("\n")[0]!);
  assert.deepEqual(mbo.hd, {
    ts_event: "1609160400000429831",
    rtype: 160,
    publisher_id: 1,
    instrument_id: 5482,
  });
  assert.equal(mbo.order_id, "647784973705");
  assert.equal(mbo.price, "3722750000000");
  assert.deepEqual([mbo.action, mbo.side, mbo.flags, mbo.symbol], ["C", "A", 128, "ESH1"]);

  const [first] = read("test_data.ohlcv-1h.v2.dbn.zst").records;
  assert.equal(
    formatRecordCsv(first!, { pretty: true }),
    "2020-12-28T13:00:00.000000000Z,34,1,5482,372025.000000000,372350.000000000," +
      "372025.000000000,372225.000000000,9385",
  );

  const stats = read("test_data.statistics.v1.dbn.zst");
  const stat = JSON.parse(formatRecordJson(stats.records[0]!, { pretty: true }));
  assert.deepEqual(
    [stat.ts_ref, stat.price, stat.quantity, stat.stat_type, stat.channel_id, stat.stat_flags],
    [null, "100.000000000", 2147483647, 7, 13, 255],
  );
  const stat3 = read("test_data.statistics.v3.dbn.zst").records[0]!;
  assert.match(formatRecordJson(stat3), /"quantity":"9223372036854775807"/);
  assert.match(
    formatMetadataJson(stats.metadata),
    /"end":null,"limit":"2","stype_in":"instrument_id"/,
  );

  const bbo = cli("test_data.bbo-1s.v3.dbn.zst", {
    encoding: "csv",
    pretty: true,
    mapSymbols: true,
  });
  assert.equal(
    bbo.split("\n")[1],
    "2020-12-28T00:00:00.000000000Z,2020-12-27T23:59:59.045849637Z,195,1,5482,A," +
      "3702.500000000,2,168,145799,3702.250000000,3702.750000000,18,13,10,13,ESH1",
  );
});
