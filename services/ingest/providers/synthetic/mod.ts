/**
 * The synthetic provider: a seeded random-walk market (exact prices on a tick grid) streamed
 * through the LiveStreamProvider contract.
 * @module
 */
export {
  FULL_SPEED_BATCH,
  MIN_TICK_MS,
  SyntheticProvider,
  type SyntheticProviderOptions,
} from "./provider.ts";
export {
  DEFAULT_START_PRICE,
  DEFAULT_START_PRICES,
  formatUnits,
  QUANTITY_DECIMALS,
  SyntheticMarket,
  type SyntheticMarketOptions,
  type SyntheticStep,
} from "@shared/engine/sources/mod.ts";
