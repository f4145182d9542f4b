/**
 * The tick cache: L1 per-symbol rings in the WASM core, L2 Redis lists (`ticks:<SYMBOL>`, JSON
 * records), and the tiered cache that writes both and reads L1 -> L2 -> empty. Start with
 * {@linkcode openTickCache}.
 * @module
 */
export type {
  CachedTick,
  CacheTier,
  L2Status,
  L2TickCache,
  TickReadResult,
  TickSide,
} from "./types.ts";
export { CacheError, type CacheErrorCode } from "./cache_error.ts";
export { decodeTickJson, encodeTickJson } from "./tick_json.ts";
export { MemoryTickCache, type MemoryTickCacheOptions } from "./memory_cache.ts";
export {
  RedisTickCache,
  type RedisTickCacheOptions,
  type RedisTickCacheStats,
} from "./redis_cache.ts";
export {
  type TieredCacheStats,
  TieredTickCache,
  type TieredTickCacheOptions,
} from "./tiered_cache.ts";
export { openTickCache, type OpenTickCacheOptions } from "./open_tick_cache.ts";
