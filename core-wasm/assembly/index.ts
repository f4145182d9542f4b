// The WASM core's exports. Everything here is plain numbers and pointers into linear memory;
// core-wasm/mod.ts is the typed face the rest of the code sees.
export { alloc, free } from "./memory";
export { resultValue } from "./status";
export { parseDecimal } from "./fixed/parse";
export { formatDecimal } from "./fixed/format";
export { divFixed, divInt, mulDiv, mulFixed, mulInt } from "./fixed/arith";
export {
  countByte,
  lastBatchErrors,
  maxI64,
  minI64,
  parseLines,
  parseSpans,
  sumI64,
  vwap,
} from "./fixed/batch";
export { decodeTrades, encodeTrades } from "./dbn/trades";
export { decodeMbp1, encodeMbp1 } from "./dbn/mbp1";
export { decodeBbo, encodeBbo } from "./dbn/bbo";
export { decodeOhlcv, encodeOhlcv } from "./dbn/ohlcv";
export * from "./indicators/mod";
export * from "./bars/mod";
export { firstDecreaseU64, firstNotEqualU32 } from "./scan";
export {
  tickRingClear,
  tickRingFree,
  tickRingLive,
  tickRingNew,
  tickRingPrepend,
  tickRingPush,
} from "./tick_ring";
