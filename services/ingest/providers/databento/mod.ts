/**
 * Databento historical API: the client (`DatabentoHistoricalClient`, get_range as streamed zstd
 * DBN, cost/size/count estimates, symbology, listings), its error family, parameter helpers, and
 * `FakeDatabento`, a local fake server speaking the same API for tests.
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
export {
  FAKE_API_KEY,
  FAKE_PRICE_PER_GB,
  FakeDatabento,
  type FakeDatabentoOptions,
  type FakeDatabentoRequest,
  syntheticTrade,
  type SyntheticTradesOptions,
} from "./fake_server.ts";
