/**
 * Kraken Spot (WS v2) live market data: the provider, its symbology, parsing, book and checksum.
 * The fake server is test support and is imported from `./fake_server.ts` directly.
 * @module
 */
export { KrakenProvider, type KrakenProviderOptions } from "./client.ts";
export {
  DEFAULT_SIZE_SCALE,
  KRAKEN_EXCHANGE,
  KRAKEN_VENUE,
  type KrakenPairInfo,
  KrakenSymbols,
  LEGACY_ASSETS,
  v2Asset,
} from "./symbols.ts";
export { BOOK_DEPTHS, type BookDepth, L2Book, type L2Level } from "./book.ts";
export { bookChecksum, checksumDigits, checksumInput, crc32Text } from "./checksum.ts";
export { fetchAssetPairs, krakenRestError, parseAssetPairs } from "./discovery.ts";
export { parseLossless, plainDecimal } from "./lossless_json.ts";
export { krakenApiSign, type KrakenSignInput } from "./sign.ts";
