/**
 * Databento historical API: the client (`DatabentoHistoricalClient`, get_range as streamed zstd
 * DBN, cost/size/count estimates, symbology, listings), its error family and parameter helpers.
 * Tests import `FakeDatabento`, a local fake server speaking the same API, from `fake_server.ts`
 * (kept out of this module so that the services never load it).
 * @module
 */
export {
  type CallOptions,
  type DatabentoClientConfig,
  type DatabentoClientOptions,
  DatabentoHistoricalClient,
  type GetRangeOptions,
  type RangeResponse,
  type ResolveSymbologyParams,
  type SymbologyInterval,
  type SymbologyResolution,
} from "./client.ts";
export {
  codeForStatus,
  DatabentoError,
  type DatabentoErrorCode,
  type DatabentoErrorOptions,
  TRANSIENT_STATUSES,
} from "./errors.ts";
export {
  ALL_SYMBOLS,
  datetimeParam,
  MAX_SYMBOLS,
  parseDatetime,
  type ParsedDatetime,
  type RangeParams,
} from "./params.ts";
