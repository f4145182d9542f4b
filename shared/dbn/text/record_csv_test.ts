import assert from "node:assert/strict";
import { BID_ASK, BID_ASK_CSV, HEADER, HEADER_CSV, TRADE_BODY } from "./_test_data.ts";
import { csvHeader, formatRecordCsv } from "./record_csv.ts";

// Rows from databento/dbn rust/dbn/src/encode/csv/sync.rs tests (each record carries its real
// rtype here, so the header's rtype column differs from upstream's 4).
function headerCsv(rtype: number): string {
  return HEADER_CSV.replace(",4,", `,${rtype},`);
}

Deno.test("formatRecordCsv() flattens the header after ts_recv (MBO)", () => {
  const record = {
    ...HEADER,
    rtype: 0xa0,
    orderId: 16n,
    price: 5500n,
    size: 3,
    flags: 128,
    channelId: 14,
    action: "B",
    side: "B",
    tsRecv: 1658441891000000000n,
    tsInDelta: 22_000,
    sequence: 1_002_375,
  };
  assert.equal(
    formatRecordCsv(record),
    `1658441891000000000,${headerCsv(160)},B,B,5500,3,14,16,128,22000,1002375`,
  );
});

Deno.test("formatRecordCsv() flattens levels (MBP-1, MBP-10) and trades", () => {
  const mbp1 = { ...HEADER, ...TRADE_BODY, rtype: 0x01, action: "M", side: "A", levels: [BID_ASK] };
  assert.equal(
    formatRecordCsv(mbp1),
    `1658441891000000000,${headerCsv(1)},M,A,9,5500,3,128,22000,1002375,${BID_ASK_CSV}`,
  );
  const mbp10 = { ...mbp1, rtype: 0x0a, action: "B", levels: Array(10).fill(BID_ASK) };
  assert.equal(
    formatRecordCsv(mbp10),
    `1658441891000000000,${headerCsv(10)},B,A,9,5500,3,128,22000,1002375,` +
      Array(10).fill(BID_ASK_CSV).join(","),
  );
  const trade = { ...HEADER, ...TRADE_BODY, rtype: 0x00, action: "B", side: "B" };
  assert.equal(
    formatRecordCsv(trade),
    `1658441891000000000,${headerCsv(0)},B,B,9,5500,3,128,22000,1002375`,
  );
});

Deno.test("formatRecordCsv() prints OHLCV with the header first", () => {
  const bar = {
    ...HEADER,
    rtype: 0x20,
    open: 5000n,
    high: 8000n,
    low: 3000n,
    close: 6000n,
    volume: 55_000n,
  };
  assert.equal(formatRecordCsv(bar), `${headerCsv(32)},5000,8000,3000,6000,55000`);
});

Deno.test("csvHeader() names header fields in place of hd and numbers the levels", () => {
  assert.equal(
    csvHeader(0xa0),
    "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,channel_id," +
      "order_id,flags,ts_in_delta,sequence",
  );
  assert.equal(
    csvHeader("OhlcvMsg"),
    "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume",
  );
  const mbp10 = csvHeader(0x0a).split(",");
  assert.deepEqual(mbp10.slice(13, 19), [
    "bid_px_00",
    "ask_px_00",
    "bid_sz_00",
    "ask_sz_00",
    "bid_ct_00",
    "ask_ct_00",
  ]);
  assert.equal(mbp10.at(-1), "ask_ct_09");
  assert.equal(mbp10.length, 13 + 60);
  assert.equal(
    csvHeader(0xb1, { withSymbol: true }),
    "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,price,size,flags,ts_in_delta," +
      "bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_pb_00,ask_pb_00,symbol",
  );
  assert.equal(
    csvHeader(0xc3, { tsOut: true, delimiter: "\t" }),
    "ts_recv\tts_event\trtype\tpublisher_id\tinstrument_id\tside\tprice\tsize\tflags\tsequence\t" +
      "bid_px_00\task_px_00\tbid_sz_00\task_sz_00\tbid_ct_00\task_ct_00\tts_out",
  );
});

Deno.test("csvHeader() follows the DBN version of versioned structs", () => {
  assert.ok(csvHeader(0x13, { version: 2 }).includes(",trading_reference_price,"));
  assert.ok(!csvHeader(0x13).includes("trading_reference_price"));
  assert.ok(csvHeader(0x13).endsWith(",leg_ratio_qty_denominator,leg_underlying_id"));
  assert.equal(
    csvHeader(0x16, { version: 1 }),
    "ts_event,rtype,publisher_id,instrument_id,stype_in_symbol,stype_out_symbol,start_ts,end_ts",
  );
  assert.equal(csvHeader(0x17, { version: 1 }), "ts_event,rtype,publisher_id,instrument_id,msg");
});

Deno.test("formatRecordCsv() leaves nulls empty: NUL chars, UNDEF prices and timestamps", () => {
  const trade = {
    ...HEADER,
    ...TRADE_BODY,
    rtype: 0x00,
    price: 0x7fff_ffff_ffff_ffffn,
    tsRecv: 0xffff_ffff_ffff_ffffn,
    action: "",
    side: "N",
  };
  assert.equal(
    formatRecordCsv(trade, { pretty: true }),
    ",2022-07-21T22:17:31.000000000Z,0,1,323,,N,9,,3,128,22000,1002375",
  );
});

Deno.test("formatRecordCsv() appends ts_out then symbol, and quotes like the csv crate", () => {
  const record = {
    rtype: 0x15,
    publisherId: 0,
    instrumentId: 0,
    tsEvent: 1n,
    err: 'bad "symbol", try again',
    code: 4,
    isLast: 1,
    tsOut: 2n,
  };
  assert.equal(
    formatRecordCsv(record, { symbol: "ESH1" }),
    '1,21,0,0,"bad ""symbol"", try again",4,1,2,ESH1',
  );
  assert.equal(formatRecordCsv(record, { withSymbol: true }).split(",").at(-1), "");
  assert.equal(
    formatRecordCsv({ ...record, err: "a,b" }, { delimiter: "\t" }),
    "1\t21\t0\t0\ta,b\t4\t1\t2",
  );
});
