import assert from "node:assert/strict";
import { HEADER, PRETTY_HEADER_JSON } from "./_test_data.ts";
import { textTable } from "./field_table.ts";
import { formatRecordJson } from "./record_json.ts";

// The v2 InstrumentDefMsg of upstream's test_instrument_def_write_json (json/sync.rs), with
// pretty prices and timestamps.
const DEF_V2 = {
  ...HEADER,
  rtype: 0x13,
  tsRecv: 1658441891000000000n,
  minPriceIncrement: 100n,
  displayFactor: 1_000_000_000n,
  expiration: 1698450000000000000n,
  activation: 1697350000000000000n,
  highLimitPrice: 1_000_000n,
  lowLimitPrice: -1_000_000n,
  maxPriceVariation: 0n,
  tradingReferencePrice: 500_000n,
  unitOfMeasureQty: 5_000_000_000n,
  minPriceIncrementAmount: 5n,
  priceRatio: 10n,
  instAttribValue: 10,
  underlyingId: 256785,
  rawInstrumentId: 323,
  marketDepthImplied: 0,
  marketDepth: 13,
  marketSegmentId: 0,
  maxTradeVol: 10_000,
  minLotSize: 1,
  minLotSizeBlock: 1000,
  minLotSizeRoundLot: 100,
  minTradeVol: 1,
  contractMultiplier: 0,
  decayQuantity: 0,
  originalContractSize: 0,
  tradingReferenceDate: 0,
  applId: 0,
  maturityYear: 0,
  decayStartDate: 0,
  channelId: 4,
  currency: "USD",
  settlCurrency: "USD",
  secsubtype: "",
  rawSymbol: "ESZ4 C4100",
  group: "EW",
  exchange: "XCME",
  asset: "ES",
  cfi: "OCAFPS",
  securityType: "OOF",
  unitOfMeasure: "IPNT",
  underlying: "ESZ4",
  strikePriceCurrency: "USD",
  instrumentClass: "C",
  strikePrice: 4_100_000_000_000n,
  matchAlgorithm: "F",
  mdSecurityTradingStatus: 2,
  mainFraction: 4,
  priceDisplayFormat: 8,
  settlPriceType: 9,
  subFraction: 23,
  underlyingProduct: 10,
  securityUpdateAction: "A",
  maturityMonth: 8,
  maturityDay: 9,
  maturityWeek: 11,
  userDefinedInstrument: "N",
  contractMultiplierUnit: 0,
  flowScheduleType: 5,
  tickRule: 0,
};

const DEF_V2_JSON = `{"ts_recv":"2022-07-21T22:18:11.000000000Z",` +
  PRETTY_HEADER_JSON.replace('"rtype":4', '"rtype":19') + "," +
  '"raw_symbol":"ESZ4 C4100","security_update_action":"A","instrument_class":"C",' +
  '"min_price_increment":"0.000000100","display_factor":"1.000000000",' +
  '"expiration":"2023-10-27T23:40:00.000000000Z","activation":"2023-10-15T06:06:40.000000000Z",' +
  '"high_limit_price":"0.001000000","low_limit_price":"-0.001000000",' +
  '"max_price_variation":"0.000000000","trading_reference_price":"0.000500000",' +
  '"unit_of_measure_qty":"5.000000000","min_price_increment_amount":"0.000000005",' +
  '"price_ratio":"0.000000010","inst_attrib_value":10,"underlying_id":256785,' +
  '"raw_instrument_id":323,"market_depth_implied":0,"market_depth":13,"market_segment_id":0,' +
  '"max_trade_vol":10000,"min_lot_size":1,"min_lot_size_block":1000,' +
  '"min_lot_size_round_lot":100,"min_trade_vol":1,"contract_multiplier":0,"decay_quantity":0,' +
  '"original_contract_size":0,"trading_reference_date":0,"appl_id":0,"maturity_year":0,' +
  '"decay_start_date":0,"channel_id":4,"currency":"USD","settl_currency":"USD",' +
  '"secsubtype":"","group":"EW","exchange":"XCME","asset":"ES","cfi":"OCAFPS",' +
  '"security_type":"OOF","unit_of_measure":"IPNT","underlying":"ESZ4",' +
  '"strike_price_currency":"USD","strike_price":"4100.000000000","match_algorithm":"F",' +
  '"md_security_trading_status":2,"main_fraction":4,"price_display_format":8,' +
  '"settl_price_type":9,"sub_fraction":23,"underlying_product":10,"maturity_month":8,' +
  '"maturity_day":9,"maturity_week":11,"user_defined_instrument":"N",' +
  '"contract_multiplier_unit":0,"flow_schedule_type":5,"tick_rule":0}';

Deno.test("formatRecordJson() prints a v2 definition exactly as upstream's test", () => {
  assert.equal(formatRecordJson(DEF_V2, { pretty: true }), DEF_V2_JSON);
  assert.equal(formatRecordJson(DEF_V2, { pretty: true, version: 2 }), DEF_V2_JSON);
});

// Upstream asserts InstrumentDefMsgV1 and V2 order their fields alike (compat.rs
// test_strike_price_order_didnt_change), although v1 declares strike_price elsewhere.
Deno.test("v1 and v2 definitions print the same fields in the same order", () => {
  const names = (version: 1 | 2) =>
    textTable("InstrumentDefMsg", version).fields.map((f) => f.name);
  assert.deepEqual(names(1), names(2));
  assert.equal(formatRecordJson(DEF_V2, { pretty: true, version: 1 }), DEF_V2_JSON);
});

Deno.test("v3 definitions drop the v2-only fields and append the leg fields", () => {
  const names = textTable("InstrumentDefMsg", 3).fields.map((f) => f.name);
  assert.deepEqual(names.slice(0, 5), [
    "ts_recv",
    "hd",
    "raw_symbol",
    "security_update_action",
    "instrument_class",
  ]);
  assert.deepEqual(
    names.slice(names.indexOf("underlying_id"), names.indexOf("underlying_id") + 2),
    [
      "underlying_id",
      "raw_instrument_id",
    ],
  );
  assert.deepEqual(
    names.slice(names.indexOf("strike_price_currency"), names.indexOf("strike_price_currency") + 3),
    ["strike_price_currency", "strike_price", "match_algorithm"],
  );
  assert.deepEqual(names.slice(-14), [
    "tick_rule",
    "leg_count",
    "leg_index",
    "leg_instrument_id",
    "leg_raw_symbol",
    "leg_instrument_class",
    "leg_side",
    "leg_price",
    "leg_delta",
    "leg_ratio_price_numerator",
    "leg_ratio_price_denominator",
    "leg_ratio_qty_numerator",
    "leg_ratio_qty_denominator",
    "leg_underlying_id",
  ]);
  for (const gone of ["trading_reference_price", "trading_reference_date", "settl_price_type"]) {
    assert.ok(!names.includes(gone), gone);
  }
});

Deno.test("a v3 definition prints raw_instrument_id as a string and null legs as null", () => {
  const v3 = {
    ...DEF_V2,
    rawInstrumentId: 323n,
    legCount: 0,
    legIndex: 0,
    legInstrumentId: 0,
    legRawSymbol: "",
    legInstrumentClass: "",
    legSide: "N",
    legPrice: 0x7fff_ffff_ffff_ffffn,
    legDelta: 0x7fff_ffff_ffff_ffffn,
    legRatioPriceNumerator: 0,
    legRatioPriceDenominator: 0,
    legRatioQtyNumerator: 0,
    legRatioQtyDenominator: 0,
    legUnderlyingId: 0,
  };
  const json = formatRecordJson(v3, { pretty: true });
  assert.match(json, /"underlying_id":256785,"raw_instrument_id":"323",/);
  assert.ok(
    json.endsWith(
      '"tick_rule":0,"leg_count":0,"leg_index":0,"leg_instrument_id":0,"leg_raw_symbol":"",' +
        '"leg_instrument_class":null,"leg_side":"N","leg_price":null,"leg_delta":null,' +
        '"leg_ratio_price_numerator":0,"leg_ratio_price_denominator":0,' +
        '"leg_ratio_qty_numerator":0,"leg_ratio_qty_denominator":0,"leg_underlying_id":0}',
    ),
  );
  assert.ok(!json.includes("trading_reference_price"));
});
