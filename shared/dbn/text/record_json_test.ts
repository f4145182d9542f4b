import assert from "node:assert/strict";
import { UNDEF_PRICE, UNDEF_TIMESTAMP } from "../constants.ts";
import {
  BID_ASK,
  BID_ASK_JSON,
  HEADER,
  HEADER_JSON,
  PRETTY_HEADER_JSON,
  TRADE_BODY,
} from "./_test_data.ts";
import { formatRecordJson } from "./record_json.ts";

// Expected strings from databento/dbn rust/dbn/src/encode/json/sync.rs tests. Upstream's
// RECORD_HEADER has rtype 4 for every struct; here each record carries its real rtype (the
// formatter picks the struct from it), so the expected header shows that rtype instead.
const MBO = 0xa0, MBP1 = 0x01, MBP10 = 0x0a, TRADES = 0x00, OHLCV = 0x20, STATUS = 0x12;
const IMBALANCE = 0x14, STAT = 0x18, ERROR = 0x15;

function headerJson(rtype: number): string {
  return HEADER_JSON.replace('"rtype":4', `"rtype":${rtype}`);
}

Deno.test("formatRecordJson() prints an MBO record with ts_recv first and pretty prices", () => {
  const record = {
    ...HEADER,
    rtype: MBO,
    orderId: 16n,
    price: 5500n,
    size: 3,
    flags: 128,
    channelId: 14,
    action: "R",
    side: "N",
    tsRecv: 1658441891000000000n,
    tsInDelta: 22_000,
    sequence: 1_002_375,
  };
  assert.equal(
    formatRecordJson(record, { prettyPx: true }),
    `{"ts_recv":"1658441891000000000",${headerJson(160)},` +
      `"action":"R","side":"N","price":"0.000005500","size":3,"channel_id":14,` +
      `"order_id":"16","flags":128,"ts_in_delta":22000,"sequence":1002375}`,
  );
});

Deno.test("formatRecordJson() prints MBP-1 and MBP-10 levels as arrays of objects", () => {
  const body = { ...HEADER, ...TRADE_BODY, action: "B", side: "B" };
  const head = `{"ts_recv":"2022-07-21T22:18:11.000000000Z",` +
    PRETTY_HEADER_JSON.replace('"rtype":4', '"rtype":1') +
    `,"action":"B","side":"B","depth":9,"price":"0.000005500","size":3,"flags":128,` +
    `"ts_in_delta":22000,"sequence":1002375`;
  assert.equal(
    formatRecordJson({ ...body, rtype: MBP1, levels: [BID_ASK] }, { pretty: true }),
    `${head},"levels":[${BID_ASK_JSON}]}`,
  );
  const ten = formatRecordJson({ ...body, rtype: MBP10, levels: Array(10).fill(BID_ASK) }, {
    pretty: true,
  });
  assert.equal(
    ten,
    `${head.replace('"rtype":1', '"rtype":10')},"levels":[${Array(10).fill(BID_ASK_JSON)}]}`,
  );
});

Deno.test("formatRecordJson() prints a trade with raw prices and timestamps as strings", () => {
  const record = { ...HEADER, ...TRADE_BODY, rtype: TRADES, action: "C", side: "B" };
  assert.equal(
    formatRecordJson(record),
    `{"ts_recv":"1658441891000000000",${headerJson(0)},"action":"C","side":"B",` +
      `"depth":9,"price":"5500","size":3,"flags":128,"ts_in_delta":22000,"sequence":1002375}`,
  );
});

const BAR = { open: 5000n, high: 8000n, low: 3000n, close: 6000n, volume: 55_000n };

Deno.test("formatRecordJson() prints OHLCV with the header first and volume as a string", () => {
  assert.equal(
    formatRecordJson({ ...HEADER, rtype: OHLCV, ...BAR }, { prettyPx: true }),
    `{${headerJson(32)},"open":"0.000005000","high":"0.000008000",` +
      `"low":"0.000003000","close":"0.000006000","volume":"55000"}`,
  );
});

Deno.test("formatRecordJson() appends ts_out after the record's own fields", () => {
  const record = { ...HEADER, rtype: OHLCV, ...BAR, tsOut: 1678481869000000000n };
  assert.equal(
    formatRecordJson(record, { prettyTs: true }),
    `{${PRETTY_HEADER_JSON.replace('"rtype":4', '"rtype":32')},"open":"5000","high":"8000",` +
      `"low":"3000","close":"6000","volume":"55000","ts_out":"2023-03-10T20:57:49.000000000Z"}`,
  );
});

Deno.test("formatRecordJson() prints status chars and numbers", () => {
  const record = {
    ...HEADER,
    rtype: STATUS,
    tsRecv: 1658441891000000000n,
    action: 1,
    reason: 2,
    tradingEvent: 3,
    isTrading: "Y",
    isQuoting: "Y",
    isShortSellRestricted: "~",
  };
  assert.equal(
    formatRecordJson(record, { prettyTs: true }),
    `{"ts_recv":"2022-07-21T22:18:11.000000000Z",` +
      PRETTY_HEADER_JSON.replace('"rtype":4', '"rtype":18') +
      `,"action":1,"reason":2,"trading_event":3,"is_trading":"Y","is_quoting":"Y",` +
      `"is_short_sell_restricted":"~"}`,
  );
});

Deno.test("formatRecordJson() prints every imbalance field in declaration order", () => {
  const record = {
    ...HEADER,
    rtype: IMBALANCE,
    tsRecv: 1n,
    refPrice: 2n,
    auctionTime: 3n,
    contBookClrPrice: 4n,
    auctInterestClrPrice: 5n,
    ssrFillingPrice: 6n,
    indMatchPrice: 7n,
    upperCollar: 8n,
    lowerCollar: 9n,
    pairedQty: 10,
    totalImbalanceQty: 11,
    marketImbalanceQty: 12,
    unpairedQty: 13,
    auctionType: "B",
    side: "A",
    auctionStatus: 14,
    freezeStatus: 15,
    numExtensions: 16,
    unpairedSide: "A",
    significantImbalance: "N",
  };
  assert.equal(
    formatRecordJson(record),
    `{"ts_recv":"1",${headerJson(20)},"ref_price":"2","auction_time":"3",` +
      `"cont_book_clr_price":"4","auct_interest_clr_price":"5","ssr_filling_price":"6",` +
      `"ind_match_price":"7","upper_collar":"8","lower_collar":"9","paired_qty":10,` +
      `"total_imbalance_qty":11,"market_imbalance_qty":12,"unpaired_qty":13,"auction_type":"B",` +
      `"side":"A","auction_status":14,"freeze_status":15,"num_extensions":16,` +
      `"unpaired_side":"A","significant_imbalance":"N"}`,
  );
});

const STAT_BODY = {
  ...HEADER,
  rtype: STAT,
  tsRecv: 1n,
  tsRef: 2n,
  price: 3n,
  sequence: 4,
  tsInDelta: 5,
  statType: 1,
  channelId: 7,
  updateAction: 1,
  statFlags: 0,
};

Deno.test("formatRecordJson() prints v1/v2 stat quantity as a number, v3 as a string", () => {
  const tail = `"sequence":4,"ts_in_delta":5,"stat_type":1,"channel_id":7,"update_action":1,` +
    `"stat_flags":0}`;
  const head = `{"ts_recv":"1",${headerJson(24)},"ts_ref":"2","price":"0.000000003",`;
  assert.equal(
    formatRecordJson({ ...STAT_BODY, quantity: 0 }, { prettyPx: true }),
    `${head}"quantity":0,${tail}`,
  );
  assert.equal(
    formatRecordJson({ ...STAT_BODY, quantity: 0n }, { prettyPx: true }),
    `${head}"quantity":"0",${tail}`,
  );
});

Deno.test("formatRecordJson() prints null for undefined prices and timestamps when pretty", () => {
  const record = {
    ...STAT_BODY,
    tsRecv: 0n,
    tsRef: UNDEF_TIMESTAMP,
    price: UNDEF_PRICE,
    quantity: 0,
  };
  const json = formatRecordJson(record, { pretty: true });
  assert.match(json, /^\{"ts_recv":null,.*"ts_ref":null,"price":null,"quantity":0,/);
  const raw = formatRecordJson(record);
  assert.match(raw, /"ts_ref":"18446744073709551615","price":"9223372036854775807"/);
});

Deno.test("formatRecordJson() escapes quotes in strings (upstream test_serialize_quoted_str)", () => {
  const record = {
    rtype: ERROR,
    publisherId: 0,
    instrumentId: 0,
    tsEvent: UNDEF_TIMESTAMP,
    err: '"A test',
    code: 255,
    isLast: 1,
  };
  assert.equal(
    formatRecordJson(record, { pretty: true }),
    '{"hd":{"ts_event":null,"rtype":21,"publisher_id":0,"instrument_id":0},"err":"\\"A test",' +
      '"code":255,"is_last":1}',
  );
});

Deno.test("formatRecordJson() appends symbol, null when unresolved (test_encode_ref_with_sym)", () => {
  const bar = {
    rtype: 0x22,
    publisherId: 10,
    instrumentId: 9,
    tsEvent: 0n,
    open: 175_000_000_000n,
    high: 177_000_000_000n,
    low: 174_000_000_000n,
    close: 175_000_000_000n,
    volume: 4033445n,
  };
  const body = '{"hd":{"ts_event":"0","rtype":34,"publisher_id":10,"instrument_id":9},' +
    '"open":"175000000000","high":"177000000000","low":"174000000000",' +
    '"close":"175000000000","volume":"4033445"';
  assert.equal(formatRecordJson(bar, { symbol: null }), `${body},"symbol":null}`);
  assert.equal(formatRecordJson(bar, { withSymbol: true }), `${body},"symbol":null}`);
  assert.equal(formatRecordJson(bar, { symbol: "AAPL" }), `${body},"symbol":"AAPL"}`);
  assert.equal(formatRecordJson(bar), `${body}}`);
});

Deno.test("formatRecordJson() writes c_char NUL as null and other bytes escape_default'ed", () => {
  const record = { ...HEADER, ...TRADE_BODY, rtype: TRADES, action: "", side: "\t" };
  assert.match(formatRecordJson(record), /"action":null,"side":"\\t",/);
});

Deno.test("formatRecordJson() indents like the CLI's --pretty", () => {
  const record = {
    ...HEADER,
    ...TRADE_BODY,
    rtype: MBP1,
    action: "B",
    side: "B",
    levels: [BID_ASK],
  };
  const lines = formatRecordJson(record, { pretty: true, indent: true }).split("\n");
  assert.equal(lines[0], "{");
  assert.equal(lines[1], '    "ts_recv": "2022-07-21T22:18:11.000000000Z",');
  assert.equal(lines[2], '    "hd": {');
  assert.equal(lines[3], '        "ts_event": "2022-07-21T22:17:31.000000000Z",');
  assert.equal(lines.at(-4), '            "ask_ct": 2');
  assert.deepEqual(lines.slice(-3), ["        }", "    ]", "}"]);
});

Deno.test("formatRecordJson() names the field a decoded record lacks", () => {
  assert.throws(
    () => formatRecordJson({ ...HEADER, rtype: OHLCV, open: 1n }),
    /Cannot format field "high"/,
  );
});
