/**
 * L2 of the tick cache: a Redis list per symbol (`<key_prefix><SYMBOL>`, newest at the head, JSON
 * records, trimmed to `max_ticks_per_symbol`, expiring after `ttl_seconds` without writes). The
 * client fails fast while Redis is down (no offline queue, no command retries) and keeps
 * reconnecting in the background; it never prints: errors are counted and logged once per outage.
 * @module
 */
import { Redis } from "ioredis";
import type { Logger } from "@shared/obs/mod.ts";
import { CacheError } from "./cache_error.ts";
import { decodeTickJson, encodeTickJson } from "./tick_json.ts";
import type { CachedTick, L2Status, L2TickCache } from "./types.ts";

/** Options for {@linkcode RedisTickCache} (`[cache.redis]`). */
export interface RedisTickCacheOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Prefix of each symbol's list key (default "ticks:"). */
  keyPrefix?: string;
  /** Ticks kept per symbol list. */
  maxTicksPerSymbol: number;
  /** Seconds a list lives after its last write. */
  ttlSeconds: number;
  logger: Logger;
  /** Connect timeout, ms (default 1000). */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts, ms (default 2000). */
  maxReconnectDelayMs?: number;
  /** A command that has no answer after this long fails, ms (default 2000). */
  commandTimeoutMs?: number;
}

/** Counters of one {@linkcode RedisTickCache}. */
export interface RedisTickCacheStats {
  /** Client errors seen (connection refused, reset, timeouts). */
  errors: number;
  /** Records in Redis that did not decode and were skipped. */
  malformed: number;
}

/** Records per LPUSH (keeps the argument list of one command small). */
const LPUSH_CHUNK = 1000;
/** Longest wait for the socket to close in close(), ms. */
const CLOSE_WAIT_MS = 1000;

function checkPositive(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Cannot create the Redis tick cache: ${name} ${value} is not >= 1`);
  }
}

/** The Redis tier of the tick cache. */
export class RedisTickCache implements L2TickCache {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #max: number;
  readonly #ttl: number;
  readonly #logger: Logger;
  readonly #connectTimeoutMs: number;
  #state: L2Status = "connecting";
  #errors = 0;
  #malformed = 0;
  #closed = false;
  readonly #waiters = new Set<(connected: boolean) => void>();

  constructor(options: RedisTickCacheOptions) {
    checkPositive("max_ticks_per_symbol", options.maxTicksPerSymbol);
    checkPositive("ttl_seconds", options.ttlSeconds);
    const where = new URL(options.url);
    this.#prefix = options.keyPrefix ?? "ticks:";
    this.#max = options.maxTicksPerSymbol;
    this.#ttl = options.ttlSeconds;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 1000;
    // Never the URL itself: it may carry a password.
    this.#logger = options.logger.child({ component: "redis_tick_cache", redis: where.host });
    const maxDelay = options.maxReconnectDelayMs ?? 2000;
    this.#client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: this.#connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      // Backoff with jitter, capped: reconnecting never stops while the cache is open.
      retryStrategy: (times) =>
        Math.round(Math.min(maxDelay, 50 * 2 ** Math.min(times, 10)) * (0.5 + Math.random() / 2)),
    });
    this.#client.on("ready", () => this.#up());
    this.#client.on("error", (e: Error) => {
      this.#errors++;
      this.#down(e.message);
    });
    this.#client.on("close", () => {
      if (!this.#closed) this.#down("connection closed");
    });
  }

  /** "connected", "connecting" (before the first connection) or "down" (reconnecting). */
  status(): L2Status {
    return this.#state;
  }

  /** Error and malformed-record counters. */
  stats(): RedisTickCacheStats {
    return { errors: this.#errors, malformed: this.#malformed };
  }

  /** Resolves true once connected, false when `timeoutMs` (default: the connect timeout) passes. */
  ready(timeoutMs = this.#connectTimeoutMs): Promise<boolean> {
    if (this.#state === "connected") return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (connected: boolean): void => {
        clearTimeout(timer);
        this.#client.off("ready", onReady);
        this.#waiters.delete(settle);
        resolve(connected);
      };
      const onReady = (): void => settle(true);
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.#client.on("ready", onReady);
      this.#waiters.add(settle);
    });
  }

  /**
   * Writes ticks in one pipeline: per symbol LPUSH (arrival order, so the newest ends at the
   * head), LTRIM to the maximum and EXPIRE. Resolves to the number of ticks stored; rejects with
   * a CacheError ("l2_unavailable") at once when not connected.
   */
  async writeBatch(ticks: readonly CachedTick[]): Promise<number> {
    if (ticks.length === 0) return 0;
    this.#checkConnected(`write ${ticks.length} ticks`);
    const bySymbol = new Map<string, string[]>();
    for (const tick of ticks) {
      let records = bySymbol.get(tick.symbol);
      if (records === undefined) bySymbol.set(tick.symbol, records = []);
      records.push(encodeTickJson(tick));
    }
    const pipeline = this.#client.pipeline();
    const commands: { symbol: string; ticks: number }[] = [];
    for (const [symbol, records] of bySymbol) {
      const key = this.#prefix + symbol;
      for (let at = 0; at < records.length; at += LPUSH_CHUNK) {
        const chunk = records.slice(at, at + LPUSH_CHUNK);
        pipeline.lpush(key, ...chunk);
        commands.push({ symbol, ticks: chunk.length });
      }
      pipeline.ltrim(key, 0, this.#max - 1);
      pipeline.expire(key, this.#ttl);
      commands.push({ symbol, ticks: 0 }, { symbol, ticks: 0 });
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (e) {
      throw this.#unavailable(`write ${ticks.length} ticks`, e);
    }
    if (results === null) throw this.#unavailable(`write ${ticks.length} ticks`, undefined);
    let stored = 0;
    let firstError: Error | undefined;
    results.forEach(([error], i) => {
      if (error === null) stored += commands[i]?.ticks ?? 0;
      else firstError ??= error;
    });
    if (stored === 0 && firstError !== undefined) {
      throw new CacheError(
        this.#client.status === "ready" ? "l2_command" : "l2_unavailable",
        `Cannot write ${ticks.length} ticks to Redis: ${firstError.message}`,
        { cause: firstError },
      );
    }
    return stored;
  }

  /**
   * Up to n newest ticks of a symbol, oldest -> newest; records that do not decode (or belong to
   * another symbol) are skipped and counted. Rejects with a CacheError when not connected.
   */
  async recent(symbol: string, n: number): Promise<CachedTick[]> {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Cannot read ${n} ticks of "${symbol}": not a non-negative integer`);
    }
    if (n === 0) return [];
    this.#checkConnected(`read ticks of "${symbol}"`);
    let records: string[];
    try {
      records = await this.#client.lrange(this.#prefix + symbol, 0, n - 1);
    } catch (e) {
      throw this.#unavailable(`read ticks of "${symbol}"`, e);
    }
    const out: CachedTick[] = [];
    for (let i = records.length - 1; i >= 0; i--) {
      const tick = this.#decode(symbol, records[i]!);
      if (tick !== undefined) out.push(tick);
    }
    return out;
  }

  /** Closes the connection (stops reconnecting); idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const settle of [...this.#waiters]) settle(false);
    const client = this.#client;
    if (client.status === "end") return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = new Promise<void>((resolve) => {
      client.once("end", resolve);
      // Between reconnect attempts there is no socket, so no "end" follows disconnect().
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    if (client.status === "ready") {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    } else {
      client.disconnect();
    }
    const status: string = client.status; // changed by the calls above
    if (status !== "end" && status !== "reconnecting") await ended;
    clearTimeout(timer);
    client.removeAllListeners("end");
  }

  #decode(symbol: string, record: string): CachedTick | undefined {
    try {
      const tick = decodeTickJson(record);
      if (tick.symbol !== symbol) {
        throw new SyntaxError(`Record of "${tick.symbol}" in the list of "${symbol}"`);
      }
      return tick;
    } catch (e) {
      this.#malformed++;
      // The first one says what is wrong; the count tells how often.
      const fields = {
        key: this.#prefix + symbol,
        error: e instanceof Error ? e.message : String(e),
        malformed: this.#malformed,
      };
      if (this.#malformed === 1) {
        this.#logger.warn("Skipped a malformed tick record in Redis", fields);
      } else this.#logger.debug("Skipped a malformed tick record in Redis", fields);
      return undefined;
    }
  }

  #checkConnected(what: string): void {
    if (this.#client.status !== "ready") {
      throw new CacheError(
        "l2_unavailable",
        `Cannot ${what} in Redis: not connected (${this.#state})`,
      );
    }
  }

  #unavailable(what: string, cause: unknown): CacheError {
    const reason = cause instanceof Error ? cause.message : "no reply";
    return new CacheError("l2_unavailable", `Cannot ${what} in Redis: ${reason}`, { cause });
  }

  #up(): void {
    if (this.#state === "connected") return;
    const previous = this.#state;
    this.#state = "connected";
    this.#logger.info(previous === "down" ? "Redis reconnected" : "Redis connected", {
      errors: this.#errors,
    });
  }

  #down(reason: string): void {
    if (this.#state === "down" || this.#closed) return;
    this.#state = "down";
    this.#logger.warn("Redis unavailable; retrying in the background", { error: reason });
  }
}
