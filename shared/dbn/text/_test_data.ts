// Records built by hand in the codec's camelCase shape, mirroring the fixtures of Databento's own
// encoder tests (rust/dbn/src/encode/test_data.rs: RECORD_HEADER and BID_ASK).

/** Header fields of upstream's RECORD_HEADER (rtype 4, publisher 1, instrument 323). */
export const HEADER = {
  rtype: 4,
  publisherId: 1,
  instrumentId: 323,
  tsEvent: 1658441851000000000n,
} as const;

/** Upstream's BID_ASK level. */
export const BID_ASK = {
  bidPx: 372000000000000n,
  askPx: 372500000000000n,
  bidSz: 10,
  askSz: 5,
  bidCt: 5,
  askCt: 2,
} as const;

/** The JSON of HEADER without pretty timestamps. */
export const HEADER_JSON =
  '"hd":{"ts_event":"1658441851000000000","rtype":4,"publisher_id":1,"instrument_id":323}';

/** The JSON of HEADER with pretty timestamps. */
export const PRETTY_HEADER_JSON =
  '"hd":{"ts_event":"2022-07-21T22:17:31.000000000Z","rtype":4,"publisher_id":1,"instrument_id":323}';

/** The JSON of BID_ASK with pretty prices. */
export const BID_ASK_JSON =
  '{"bid_px":"372000.000000000","ask_px":"372500.000000000","bid_sz":10,"ask_sz":5,"bid_ct":5,"ask_ct":2}';

/** The CSV of HEADER and of BID_ASK, raw. */
export const HEADER_CSV = "1658441851000000000,4,1,323";
export const BID_ASK_CSV = "372000000000000,372500000000000,10,5,5,2";

/** The trade-like fields shared by upstream's MBP and trade test records. */
export const TRADE_BODY = {
  price: 5500n,
  size: 3,
  flags: 128,
  depth: 9,
  tsRecv: 1658441891000000000n,
  tsInDelta: 22_000,
  sequence: 1_002_375,
} as const;
