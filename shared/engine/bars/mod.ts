/**
 * Bars: the generator shared by history and real time, and the tick columns it reads.
 * @module
 */
export {
  BarGenerator,
  type BarGeneratorOptions,
  type BarSink,
  checkBarType,
} from "./bar_generator.ts";
export { priceToNumber } from "./bar_data.ts";
export { type ChunkPointers, corePointers, CoreTickColumns } from "./tick_columns.ts";
