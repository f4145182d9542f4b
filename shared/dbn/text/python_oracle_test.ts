import assert from "node:assert/strict";
import { csvHeader, formatRecordCsv } from "./record_csv.ts";
import { formatRecordJson } from "./record_json.ts";

// Expected outputs of databento/databento-python tests/test_historical_bento.py
// (test_mbo_to_json_*, test_mbp_1_to_csv_*, ...), which run Databento's Rust encoders on that
// repository's own GLBX.MDP3 test files; the records are rebuilt here from those outputs.
const HD = { publisherId: 1, instrumentId: 5482 } as const;

const MBO = [
  [3675750000000n, 2, 647784248135n, 1180],
  [3675500000000n, 1, 647782686353n, 1160],
  [3675250000000n, 1, 647782884482n, 1166],
  [3675000000000n, 1, 647782912367n, 1166],
].map(([price, size, orderId, sequence]) => ({
  ...HD,
  rtype: 160,
  tsEvent: 1609099225061045683n,
  tsRecv: 1609113600000000000n,
  action: "A",
  side: "B",
  price,
  size,
  orderId,
  sequence,
  channelId: 0,
  flags: 40,
  tsInDelta: 0,
}));

const MBP1 = [
  [1609113600006150193n, 1609113600005871213n, "B", 3702250000000n, 26128, 145805, 19, 13, 11, 13],
  [1609113600062687776n, 1609113600062570311n, "B", 3702250000000n, 17256, 145827, 20, 13, 12, 13],
  [1609113600076130343n, 1609113600076022275n, "A", 3702750000000n, 17470, 145852, 20, 14, 12, 14],
  [1609113600076436915n, 1609113600076339855n, "B", 3702250000000n, 17409, 145853, 21, 14, 13, 14],
].map(([tsRecv, tsEvent, side, price, tsInDelta, sequence, bidSz, askSz, bidCt, askCt]) => ({
  ...HD,
  rtype: 1,
  tsRecv,
  tsEvent,
  action: "A",
  side,
  depth: 0,
  price,
  size: 1,
  flags: 130,
  tsInDelta,
  sequence,
  levels: [{ bidPx: 3702250000000n, askPx: 3702750000000n, bidSz, askSz, bidCt, askCt }],
}));

Deno.test("MBO to JSON without options matches databento-python's expected file", () => {
  assert.equal(
    formatRecordJson(MBO[0]!),
    '{"ts_recv":"1609113600000000000","hd":{"ts_event":"1609099225061045683","rtype":160,' +
      '"publisher_id":1,"instrument_id":5482},"action":"A","side":"B","price":"3675750000000",' +
      '"size":2,"channel_id":0,"order_id":"647784248135","flags":40,"ts_in_delta":0,' +
      '"sequence":1180}',
  );
});

Deno.test("MBO to JSON with pretty_px, pretty_ts and map_symbols matches databento-python", () => {
  assert.equal(
    formatRecordJson(MBO[3]!, { pretty: true, symbol: "ESH1" }),
    '{"ts_recv":"2020-12-28T00:00:00.000000000Z","hd":{"ts_event":"2020-12-27T20:00:25.061045683Z",' +
      '"rtype":160,"publisher_id":1,"instrument_id":5482},"action":"A","side":"B",' +
      '"price":"3675.000000000","size":1,"channel_id":0,"order_id":"647782912367","flags":40,' +
      '"ts_in_delta":0,"sequence":1166,"symbol":"ESH1"}',
  );
});

Deno.test("MBO to CSV without options matches databento-python's expected file", () => {
  const lines = [csvHeader(160), ...MBO.map((r) => formatRecordCsv(r))];
  assert.equal(
    lines.join("\n") + "\n",
    "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id,order_id,flags,ts_in_delta,sequence\n" +
      "1609113600000000000,1609099225061045683,160,1,5482,A,B,3675750000000,2,0,647784248135,40,0,1180\n" +
      "1609113600000000000,1609099225061045683,160,1,5482,A,B,3675500000000,1,0,647782686353,40,0,1160\n" +
      "1609113600000000000,1609099225061045683,160,1,5482,A,B,3675250000000,1,0,647782884482,40,0,1166\n" +
      "1609113600000000000,1609099225061045683,160,1,5482,A,B,3675000000000,1,0,647782912367,40,0,1166\n",
  );
});

Deno.test("MBP-1 to CSV with all options matches databento-python's expected file", () => {
  const lines = [
    csvHeader(1, { withSymbol: true }),
    ...MBP1.map((r) => formatRecordCsv(r, { pretty: true, symbol: "ESH1" })),
  ];
  assert.equal(
    lines.join("\n") + "\n",
    "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_ct_00,ask_ct_00,symbol\n" +
      "2020-12-28T00:00:00.006150193Z,2020-12-28T00:00:00.005871213Z,1,1,5482,A,B,0,3702.250000000,1,130,26128,145805,3702.250000000,3702.750000000,19,13,11,13,ESH1\n" +
      "2020-12-28T00:00:00.062687776Z,2020-12-28T00:00:00.062570311Z,1,1,5482,A,B,0,3702.250000000,1,130,17256,145827,3702.250000000,3702.750000000,20,13,12,13,ESH1\n" +
      "2020-12-28T00:00:00.076130343Z,2020-12-28T00:00:00.076022275Z,1,1,5482,A,A,0,3702.750000000,1,130,17470,145852,3702.250000000,3702.750000000,20,14,12,14,ESH1\n" +
      "2020-12-28T00:00:00.076436915Z,2020-12-28T00:00:00.076339855Z,1,1,5482,A,B,0,3702.250000000,1,130,17409,145853,3702.250000000,3702.750000000,21,14,13,14,ESH1\n",
  );
});

Deno.test("MBP-1 to CSV and JSON without options match databento-python's expected files", () => {
  assert.equal(
    formatRecordCsv(MBP1[2]!),
    "1609113600076130343,1609113600076022275,1,1,5482,A,A,0,3702750000000,1,130,17470,145852,3702250000000,3702750000000,20,14,12,14",
  );
  assert.equal(
    formatRecordJson(MBP1[0]!),
    '{"ts_recv":"1609113600006150193","hd":{"ts_event":"1609113600005871213","rtype":1,' +
      '"publisher_id":1,"instrument_id":5482},"action":"A","side":"B","depth":0,' +
      '"price":"3702250000000","size":1,"flags":130,"ts_in_delta":26128,"sequence":145805,' +
      '"levels":[{"bid_px":"3702250000000","ask_px":"3702750000000","bid_sz":19,"ask_sz":13,' +
      '"bid_ct":11,"ask_ct":13}]}',
  );
  assert.equal(
    formatRecordJson(MBP1[1]!, { pretty: true, symbol: "ESH1" }),
    '{"ts_recv":"2020-12-28T00:00:00.062687776Z","hd":{"ts_event":"2020-12-28T00:00:00.062570311Z",' +
      '"rtype":1,"publisher_id":1,"instrument_id":5482},"action":"A","side":"B","depth":0,' +
      '"price":"3702.250000000","size":1,"flags":130,"ts_in_delta":17256,"sequence":145827,' +
      '"levels":[{"bid_px":"3702.250000000","ask_px":"3702.750000000","bid_sz":20,"ask_sz":13,' +
      '"bid_ct":12,"ask_ct":13}],"symbol":"ESH1"}',
  );
});
