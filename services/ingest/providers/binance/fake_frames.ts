/**
 * Documented Binance frames built by hand (template strings, so decimal strings stay byte-exact),
 * for the fake server and tests: trade, bookTicker, serverShutdown, the combined wrapper, and the
 * exchangeInfo body.
 * @module
 */

/** Fields of a `<symbol>@trade` event. */
export interface TradeFrameFields {
  /** Upper-case venue symbol (`BTCUSDT`). */
  symbol: string;
  tradeId: number;
  /** Decimal string, as sent. */
  price: string;
  /** Decimal string, as sent. */
  quantity: string;
  /** Trade time, ms. */
  tradeTime: number;
  /** Event time, ms (default: the trade time). */
  eventTime?: number;
  /** True when the buyer was the maker (the taker sold). */
  buyerMaker: boolean;
}

/** A raw `trade` event (no `b`/`a` order ids: removed from the stream in 2024). */
export function tradeFrame(fields: TradeFrameFields): string {
  const { symbol, tradeId, price, quantity, tradeTime, buyerMaker } = fields;
  return `{"e":"trade","E":${fields.eventTime ?? tradeTime},"s":"${symbol}","t":${tradeId},` +
    `"p":"${price}","q":"${quantity}","T":${tradeTime},"m":${buyerMaker},"M":true}`;
}

/** Fields of a `<symbol>@bookTicker` event. */
export interface BookTickerFrameFields {
  updateId: number;
  symbol: string;
  bidPrice: string;
  bidQuantity: string;
  askPrice: string;
  askQuantity: string;
}

/** A raw `bookTicker` event (it has no `e` and no `E`). */
export function bookTickerFrame(fields: BookTickerFrameFields): string {
  return `{"u":${fields.updateId},"s":"${fields.symbol}","b":"${fields.bidPrice}",` +
    `"B":"${fields.bidQuantity}","a":"${fields.askPrice}","A":"${fields.askQuantity}"}`;
}

/** A raw `serverShutdown` notice. */
export function serverShutdownFrame(eventTime: number): string {
  return `{"e":"serverShutdown","E":${eventTime}}`;
}

/** Wraps a raw event as a combined-stream frame: `{"stream":...,"data":...}`. */
export function combinedFrame(stream: string, data: string): string {
  return `{"stream":"${stream}","data":${data}}`;
}

/** A symbol the fake lists in exchangeInfo. */
export interface FakeBinanceSymbol {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** Default `TRADING`. */
  status?: string;
  /** Default `0.01000000`. */
  tickSize?: string;
  /** Default `0.00001000`. */
  stepSize?: string;
}

/** The fake's default listing. */
export const FAKE_BINANCE_SYMBOLS: readonly FakeBinanceSymbol[] = [
  { symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT" },
  { symbol: "ETHUSDT", baseAsset: "ETH", quoteAsset: "USDT", stepSize: "0.00010000" },
  { symbol: "SOLUSDT", baseAsset: "SOL", quoteAsset: "USDT", stepSize: "0.00100000" },
  {
    symbol: "ETHBTC",
    baseAsset: "ETH",
    quoteAsset: "BTC",
    tickSize: "0.00001000",
    stepSize: "0.00010000",
  },
];

/** An exchangeInfo body of the documented shape (VENUES.md 1.5) listing `symbols`. */
export function exchangeInfoBody(
  symbols: readonly FakeBinanceSymbol[],
  serverTime: number,
): string {
  const entries = symbols.map((s) =>
    `{"symbol":"${s.symbol}","status":"${s.status ?? "TRADING"}","baseAsset":"${s.baseAsset}",` +
    `"baseAssetPrecision":8,"quoteAsset":"${s.quoteAsset}","quotePrecision":8,` +
    `"quoteAssetPrecision":8,"baseCommissionPrecision":8,"quoteCommissionPrecision":8,` +
    `"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS","STOP_LOSS_LIMIT","TAKE_PROFIT",` +
    `"TAKE_PROFIT_LIMIT"],"icebergAllowed":true,"ocoAllowed":true,"otoAllowed":true,` +
    `"opoAllowed":true,"quoteOrderQtyMarketAllowed":true,"allowTrailingStop":false,` +
    `"cancelReplaceAllowed":false,"amendAllowed":false,"pegInstructionsAllowed":true,` +
    `"isSpotTradingAllowed":true,"isMarginTradingAllowed":true,"filters":[` +
    `{"filterType":"PRICE_FILTER","minPrice":"${s.tickSize ?? "0.01000000"}",` +
    `"maxPrice":"1000000.00000000","tickSize":"${s.tickSize ?? "0.01000000"}"},` +
    `{"filterType":"LOT_SIZE","minQty":"${s.stepSize ?? "0.00001000"}",` +
    `"maxQty":"9000.00000000","stepSize":"${s.stepSize ?? "0.00001000"}"},` +
    `{"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,` +
    `"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}],` +
    `"permissions":[],"permissionSets":[["SPOT","MARGIN"]],` +
    `"defaultSelfTradePreventionMode":"EXPIRE_MAKER",` +
    `"allowedSelfTradePreventionModes":["NONE","EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH"]}`
  );
  return `{"timezone":"UTC","serverTime":${serverTime},"rateLimits":[{"rateLimitType":` +
    `"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000}],` +
    `"exchangeFilters":[],"symbols":[${entries.join(",")}]}`;
}
