/**
 * The trader's exchange over the ingest service's shared-memory channels (the seed's IpcExchange):
 * discovery of the instance that streams each symbol, one poll loop over all channels, decoding
 * of trades and quotes, and reconnects with gap reports.
 * @module
 */
export { IpcExchange } from "./ipc_exchange.ts";
export { decodeQuote, decodeTrade, type RecordSource, type SlotKind, slotKind } from "./decode.ts";
export type {
  ChannelStatus,
  GapReport,
  IpcExchangeOptions,
  IpcExchangeStats,
  LiveQuote,
  LiveTrade,
  SymbolRequest,
} from "./types.ts";
