/**
 * Kraken Futures: the live provider (perpetual trades and best bid/offer), its symbology and
 * discovery, and the local fake server used by tests.
 * @module
 */
export { KrakenFuturesProvider, type KrakenFuturesProviderOptions } from "./client.ts";
export {
  KRAKEN_FUTURES_EXCHANGE,
  KRAKEN_FUTURES_SIZE_SCALE,
  KRAKEN_FUTURES_VENUE,
  type KrakenFuturesContract,
  KrakenFuturesSymbols,
} from "./symbols.ts";
export { type DiscoveryRetryOptions, fetchInstruments, parseInstruments } from "./discovery.ts";
export {
  krakenFuturesQuoteEvent,
  krakenFuturesTradeEvent,
  parseKrakenFuturesFrame,
  parseLossless,
  plainDecimal,
} from "./parse.ts";
export type { KrakenFuturesFrame, KrakenFuturesTicker, KrakenFuturesTrade } from "./messages.ts";
export {
  type FakeKrakenFutures,
  type FakeKrakenFuturesOptions,
  startFakeKrakenFutures,
  type UnknownProductReply,
} from "./fake_server.ts";
export {
  FAKE_KRAKEN_FUTURES_INSTRUMENTS,
  type FakeInstrument,
  heartbeatFrame,
  INFO_FRAME,
  instrumentsBody,
  tickerFrame,
  type TickerFrameFields,
  tradeFrame,
  type TradeFrameFields,
  tradeSnapshotFrame,
} from "./fake_frames.ts";
