/**
 * Tick sources of a backtest: DBN files, CSV files, the database and the synthetic market. Each
 * yields TickChunks (columns in the WASM core's memory) oldest first.
 * @module
 */
export { dbnFileSource, type DbnFileSourceOptions } from "./dbn_file_source.ts";
export { csvSource, type CsvSourceOptions } from "./csv_source.ts";
export { dbSource, type DbSourceOptions } from "./db_source.ts";
export {
  SYNTHETIC_DEFAULT_FROM,
  SYNTHETIC_DEFAULT_STEP_MS,
  syntheticSource,
  type SyntheticSourceOptions,
  type SyntheticTickSource,
} from "./synthetic_source.ts";
export {
  DEFAULT_START_PRICE,
  DEFAULT_START_PRICES,
  formatUnits,
  QUANTITY_DECIMALS,
  SyntheticMarket,
  type SyntheticMarketOptions,
  type SyntheticStep,
} from "./synthetic_market.ts";
