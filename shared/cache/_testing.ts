/** Helpers for the cache tests: ticks, a polling wait, a fake L2, a private redis-server. */
import { createLogger, createNullLogger, type Logger } from "@shared/obs/mod.ts";
import { CacheError } from "./cache_error.ts";
import { MemoryTickCache } from "./memory_cache.ts";
import { TieredTickCache, type TieredTickCacheOptions } from "./tiered_cache.ts";
import type { CachedTick, L2Status, L2TickCache } from "./types.ts";

/** Where the private redis-server tests expect the binary. */
export const REDIS_SERVER = "/usr/bin/redis-server";
/** Whether redis-server is installed (the outage test is ignored otherwise). */
export const HAS_REDIS_SERVER = (() => {
  try {
    return Deno.statSync(REDIS_SERVER).isFile;
  } catch {
    return false;
  }
})();

/** Tick i of a symbol (fields grow with i). */
export function tick(symbol: string, i: number): CachedTick {
  return {
    symbol,
    exchange: "BINANCE",
    tsEvent: 1_700_000_000_000_000_000n + BigInt(i) * 1000n,
    tsRecv: 1_700_000_000_000_000_400n + BigInt(i) * 1000n,
    price: 3_000_000_000_000n + BigInt(i),
    size: i,
    side: i % 2 === 0 ? "B" : "A",
  };
}

/** Ticks [from, to) of a symbol. */
export function range(symbol: string, from: number, to: number): CachedTick[] {
  return Array.from({ length: to - from }, (_, i) => tick(symbol, from + i));
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An in-memory L2: lists oldest -> newest, switchable state and failures. */
export class FakeL2 implements L2TickCache {
  state: L2Status = "connected";
  failWrites = false;
  readonly batches: CachedTick[][] = [];
  readonly lists = new Map<string, CachedTick[]>();
  #waiters: ((connected: boolean) => void)[] = [];

  writeBatch(ticks: readonly CachedTick[]): Promise<number> {
    if (this.failWrites || this.state !== "connected") {
      return Promise.reject(new CacheError("l2_unavailable", "Cannot write: fake is down"));
    }
    this.batches.push([...ticks]);
    for (const t of ticks) {
      const list = this.lists.get(t.symbol) ?? [];
      list.push(t);
      this.lists.set(t.symbol, list);
    }
    return Promise.resolve(ticks.length);
  }

  recent(symbol: string, n: number): Promise<CachedTick[]> {
    return Promise.resolve((this.lists.get(symbol) ?? []).slice(-n));
  }

  status(): L2Status {
    return this.state;
  }

  ready(): Promise<boolean> {
    if (this.state === "connected") return Promise.resolve(true);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  connect(): void {
    this.state = "connected";
    for (const resolve of this.#waiters.splice(0)) resolve(true);
  }

  close(): Promise<void> {
    for (const resolve of this.#waiters.splice(0)) resolve(false);
    return Promise.resolve();
  }
}

/** A tiered cache over a fresh L1 (1000 ticks, 60 s) and `l2`. */
export function tiered(
  l2: L2TickCache | undefined,
  options: Partial<TieredTickCacheOptions> = {},
): TieredTickCache {
  return new TieredTickCache({
    memory: new MemoryTickCache({ maxTicksPerSymbol: 1000, ttlSeconds: 60 }),
    l2,
    logger: createNullLogger(),
    ...options,
  });
}

/** A logger writing JSON lines into `lines`. */
export function captureLogger(lines: string[]): Logger {
  return createLogger({
    level: "info",
    format: "json",
    service: "test",
    sink: (l) => lines.push(l),
  });
}

/** A private redis-server on a fixed port, killed and restarted by the test. */
export class PrivateRedis {
  readonly port: number;
  #child: Deno.ChildProcess | undefined;

  constructor(port: number) {
    this.port = port;
  }

  /** Starts redis-server on a free port and waits until it listens. */
  static async start(): Promise<PrivateRedis> {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    const server = new PrivateRedis(port);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port and waits until it listens. */
  async restart(): Promise<void> {
    this.#child = new Deno.Command(REDIS_SERVER, {
      args: [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        "/tmp",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port: this.port })).close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${this.port}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  /** Kills the server (SIGKILL, as a crash) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined) return;
    child.kill("SIGKILL");
    await child.status;
  }
}
