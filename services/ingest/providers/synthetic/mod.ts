/**
 * The synthetic provider: a seeded random-walk market (exact prices on a tick grid) streamed
 * through the LiveStreamProvider contract. The market itself is shared/engine/sources/synthetic_market.ts.
 * @module
 */
export {
  FULL_SPEED_BATCH,
  MIN_TICK_MS,
  SyntheticProvider,
  type SyntheticProviderOptions,
} from "./provider.ts";
