/**
 * Binance Spot: the live provider (trades, best bid/offer), its symbology and discovery, and the
 * local fake server used by tests.
 * @module
 */
export { BinanceProvider, type BinanceProviderOptions } from "./client.ts";
export {
  BINANCE_DEFAULT_SIZE_SCALE,
  BINANCE_EXCHANGE,
  BINANCE_VENUE,
  BinanceSymbols,
} from "./symbols.ts";
export {
  type DiscoveryRetryOptions,
  fetchExchangeInfo,
  type FetchExchangeInfoOptions,
  parseExchangeInfo,
} from "./discovery.ts";
export { binanceQuoteEvent, binanceTradeEvent, parseBinanceFrame } from "./parse.ts";
export type { BinanceBookTicker, BinanceFrame, BinanceTrade } from "./messages.ts";
export { type FakeBinance, type FakeBinanceOptions, startFakeBinance } from "./fake_server.ts";
export {
  bookTickerFrame,
  type BookTickerFrameFields,
  combinedFrame,
  exchangeInfoBody,
  FAKE_BINANCE_SYMBOLS,
  type FakeBinanceSymbol,
  serverShutdownFrame,
  tradeFrame,
  type TradeFrameFields,
} from "./fake_frames.ts";
