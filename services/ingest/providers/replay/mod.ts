/**
 * The replay provider: DBN files streamed through the LiveStreamProvider contract, paced by their
 * event times. Also the pieces the synthetic provider shares (identity normalizer, subscriptions).
 * @module
 */
export { ReplayProvider } from "./provider.ts";
export type { ReplayProgress, ReplayProviderOptions } from "./options.ts";
export { isDbnFileName, listReplayFiles } from "./files.ts";
export { IdentityNormalizer, isCanonicalSymbol } from "../identity_symbols.ts";
export { ALL_SYMBOLS, Subscriptions } from "../subscriptions.ts";
export { Pacer, Sleeper, YIELD_EVERY, yieldToEventLoop } from "./pacing.ts";
export { discoverFileSymbols } from "./discovery.ts";
export { discovered } from "../identity_symbols.ts";
export { InstrumentSymbols, type ResolvedSymbol } from "./symbol_map.ts";
export {
  bookEvent,
  feedOf,
  quoteEvent,
  type QuoteRecord,
  sideOf,
  tradeEvent,
  TradeIds,
} from "./parse.ts";
