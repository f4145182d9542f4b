/** Builds the tick cache from `[cache.memory]` and `[cache.redis]`. */
import type { CacheConfig } from "@shared/config/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { MemoryTickCache } from "./memory_cache.ts";
import { RedisTickCache } from "./redis_cache.ts";
import { TieredTickCache } from "./tiered_cache.ts";

/** Options for {@linkcode openTickCache}. */
export interface OpenTickCacheOptions {
  /** Milliseconds now for L1's TTL (default Date.now). */
  clock?: () => number;
}

/** A tiered tick cache: L1 always, L2 (Redis) only when `config.redis.url` is set. */
export function openTickCache(
  config: CacheConfig,
  logger: Logger,
  options: OpenTickCacheOptions = {},
): TieredTickCache {
  const memory = new MemoryTickCache({
    maxTicksPerSymbol: config.memory.max_ticks_per_symbol,
    ttlSeconds: config.memory.ttl_seconds,
    clock: options.clock,
  });
  const { url } = config.redis;
  const l2 = url === undefined ? undefined : new RedisTickCache({
    url,
    keyPrefix: config.redis.key_prefix,
    maxTicksPerSymbol: config.redis.max_ticks_per_symbol,
    ttlSeconds: config.redis.ttl_seconds,
    logger,
  });
  return new TieredTickCache({ memory, l2, logger });
}
