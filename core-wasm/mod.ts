/**
 * The WASM core's typed face: exact fixed-point arithmetic on i64 (DBN prices, scale 1e-9), batch
 * kernels over linear memory, and the buffers that hold them.
 * @module
 */
export {
  type DecimalOptions,
  divFixed,
  divInt,
  formatDecimal,
  type FormatOptions,
  formatPrice,
  MAX_SCALE,
  mulDiv,
  mulFixed,
  mulInt,
  parseDecimal,
  parsePrice,
  PRICE_SCALE,
  Rounding,
  type RoundingOptions,
  UNDEF_PRICE,
} from "./fixed.ts";
export {
  firstDecrease,
  firstNotEqual,
  maxFixed,
  minFixed,
  type ParsedBatch,
  parseDecimalLines,
  parseDecimals,
  parseDecimalSpans,
  type ParseLinesOptions,
  sumFixed,
  vwap,
} from "./batch.ts";
export { CoreBuffer, coreMemoryBuffer, inCoreMemory, withCorePointer } from "./buffer.ts";
export { CoreWasmError, Status, statusText } from "./errors.ts";
export {
  type BboColumns,
  ColumnBatch,
  type ColumnBatchOptions,
  type DbnColumnsByKind,
  DbnRecordError,
  type DbnRecordErrorCode,
  type DbnRecordKind,
  dbnRecordSize,
  decodeColumns,
  type DecodeColumnsOptions,
  type DecodeOptions,
  encodeColumns,
  type HeaderColumns,
  type LevelColumns,
  type Mbp1Columns,
  type OhlcvColumns,
  type TradeColumns,
} from "./dbn_columns.ts";
export {
  BarEvent,
  BarKernel,
  type BarKernelOptions,
  type FixedBar,
  NO_STOP,
  type SyntheticRun,
} from "./bars.ts";
export {
  Atr,
  Bollinger,
  type BollingerBand,
  type BollingerColumns,
  Ema,
  type HlcColumns,
  MAX_INDICATOR_PERIOD,
  Roc,
  RollingMax,
  RollingMin,
  Rsi,
  Sma,
  ZScore,
} from "./indicators.ts";
export {
  MAX_TICK_EXCHANGE_INDEX,
  MAX_TICK_RING_CAPACITY,
  type RingTickFields,
  TickRing,
  type TickRingOptions,
  type TickSlot,
  tickTag,
} from "./tick_ring.ts";
