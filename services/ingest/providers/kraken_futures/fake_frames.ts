/**
 * Documented Kraken Futures frames built by hand (template strings: numbers are written exactly as
 * given, exponent notation included), for the fake server and tests.
 * @module
 */

/** Fields of a trade (delta or snapshot entry); numbers as the text to put on the wire. */
export interface TradeFrameFields {
  productId: string;
  uid: string;
  /** Taker side. */
  side: "buy" | "sell";
  /** Default `fill`. */
  type?: string;
  seq: number;
  /** Epoch ms. */
  time: number;
  /** Bare JSON number text (`440`, `1.5e-3`). */
  qty: string;
  /** Bare JSON number text (`34893`, `34893.5`). */
  price: string;
}

/** A trade delta: `{"feed":"trade",...}`. */
export function tradeFrame(fields: TradeFrameFields): string {
  return `{"feed":"trade","product_id":"${fields.productId}","uid":"${fields.uid}",` +
    `"side":"${fields.side}","type":"${fields.type ?? "fill"}","seq":${fields.seq},` +
    `"time":${fields.time},"qty":${fields.qty},"price":${fields.price}}`;
}

/** A `trade_snapshot` of trade texts, given newest first as the venue sends them. */
export function tradeSnapshotFrame(
  productId: string,
  tradesNewestFirst: readonly string[],
): string {
  return `{"feed":"trade_snapshot","product_id":"${productId}","trades":[${
    tradesNewestFirst.join(",")
  }]}`;
}

/** Fields of a ticker; numbers as wire text. */
export interface TickerFrameFields {
  productId: string;
  time: number;
  bid: string;
  ask: string;
  bidSize: string;
  askSize: string;
  /** Default `ticker`; older servers sent `ticker_snapshot` first. */
  feed?: "ticker" | "ticker_snapshot";
}

/** A ticker with the documented field set (the unread fields take the doc example's values). */
export function tickerFrame(fields: TickerFrameFields): string {
  return `{"time":${fields.time},"feed":"${fields.feed ?? "ticker"}",` +
    `"product_id":"${fields.productId}","bid":${fields.bid},"ask":${fields.ask},` +
    `"bid_size":${fields.bidSize},"ask_size":${fields.askSize},"volume":262306237,"dtm":0,` +
    `"leverage":"50x","index":34803.45,"premium":0.1,"last":34852,` +
    `"change":2.995109121267192,"funding_rate":3.891007752e-9,` +
    `"funding_rate_prediction":4.2233756e-9,"suspended":false,"tag":"perpetual",` +
    `"pair":"XBT:USD","openInterest":107706940,"markPrice":34844.25,"maturityTime":0,` +
    `"relative_funding_rate":0.000135046879166667,` +
    `"relative_funding_rate_prediction":0.000146960125,"next_funding_rate_time":1612281600000}`;
}

/** A heartbeat. */
export function heartbeatFrame(time: number): string {
  return `{"feed":"heartbeat","time":${time}}`;
}

/** The greeting sent on connect. */
export const INFO_FRAME = `{"event":"info","version":1}`;

/** An instrument the fake lists. */
export interface FakeInstrument {
  symbol: string;
  type: string;
  tradeable: boolean;
  tickSize: string;
  contractSize: string;
  /** Present on `PF_` instruments. */
  contractValueTradePrecision?: string;
}

/** The fake's default instruments. */
export const FAKE_KRAKEN_FUTURES_INSTRUMENTS: readonly FakeInstrument[] = [
  {
    symbol: "PI_XBTUSD",
    type: "futures_inverse",
    tradeable: true,
    tickSize: "0.5",
    contractSize: "1",
  },
  {
    symbol: "PI_ETHUSD",
    type: "futures_inverse",
    tradeable: true,
    tickSize: "0.05",
    contractSize: "1",
  },
  {
    symbol: "PI_LTCUSD",
    type: "futures_inverse",
    tradeable: false,
    tickSize: "0.01",
    contractSize: "1",
  },
  {
    symbol: "PF_XBTUSD",
    type: "flexible_futures",
    tradeable: true,
    tickSize: "1",
    contractSize: "1",
    contractValueTradePrecision: "4",
  },
  {
    symbol: "PF_ETHUSD",
    type: "flexible_futures",
    tradeable: true,
    tickSize: "0.1",
    contractSize: "1",
    contractValueTradePrecision: "3",
  },
  {
    symbol: "FI_XBTUSD_260925",
    type: "futures_inverse",
    tradeable: true,
    tickSize: "0.5",
    contractSize: "1",
  },
];

/** An instruments reply of the documented shape. */
export function instrumentsBody(
  instruments: readonly FakeInstrument[],
  serverTime: string,
): string {
  const entries = instruments.map((i) =>
    `{"symbol":"${i.symbol}","type":"${i.type}","tradeable":${i.tradeable},` +
    `"tickSize":${i.tickSize},"contractSize":${i.contractSize},"impactMidSize":1,` +
    `"maxPositionSize":1000000,"openingDate":"2022-01-01T00:00:00.000Z","postOnly":false` +
    (i.contractValueTradePrecision === undefined
      ? ""
      : `,"contractValueTradePrecision":${i.contractValueTradePrecision}`) +
    `}`
  );
  return `{"result":"success","instruments":[${entries.join(",")}],"serverTime":"${serverTime}"}`;
}
