/**
 * `deno task bench:trader`: the trader's figures, each beside a baseline from the same run.
 *
 * 1. IPC read -> signal: a writer process publishes trades at 10k/s; this process runs the real
 *    IpcExchange -> MarketDataPipeline (validation, L1 cache, paper trading with a strategy that
 *    decides on every tick). Latency from the poll that copied a record to the strategy's decision
 *    (p50/p99). Seed: 50-100 us; target p50 <= 5 us. Decisions are logged to live_strategy_log:
 *    on Postgres when DATABASE_URL is set (the trader's production store: the writes leave the
 *    thread), and on embedded PGlite (in its own worker thread).
 * 2. L1 hit: MemoryTickCache.latest / recent(20) vs a JS Map of arrays (the seed's HashMap of
 *    VecDeque). Seed ~10 us; target <= 1 us.
 * 3. L2 read: RedisTickCache.recent(20) round trips vs `redis-benchmark LRANGE key 0 19` with one
 *    client (needs REDIS_URL). Seed ~100 us.
 * 4. Sustained ticks/s through the whole trader (pipeline, L1 + L2 when REDIS_URL is set, paper
 *    trading sma and rsi on 1m bars, live_strategy_log to PGlite in a directory) vs a bare read of the
 *    same channel.
 * @module
 */
import { loadConfig } from "@shared/config/mod.ts";
import { MemoryTickCache, openTickCache, RedisTickCache } from "@shared/cache/mod.ts";
import type { CachedTick } from "@shared/cache/mod.ts";
import { ChannelReader, consume } from "@shared/ipc/mod.ts";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import { createLogger } from "@shared/obs/mod.ts";
import { openFreshPglite, openFreshPostgres } from "@shared/storage/testing.ts";
import { IpcExchange } from "@services/trader/ipc/mod.ts";
import { StrategyLogWriter } from "@services/trader/paper/log_writer.ts";
import type { StrategySpec } from "@services/trader/paper/specs.ts";
import { PaperTrader } from "@services/trader/paper/paper_trader.ts";
import { MarketDataPipeline } from "@services/trader/pipeline/market_data.ts";

// deno-lint-ignore no-console
const log = (line: string) => console.log(line);
const logger = createLogger({ level: "error", format: "pretty", service: "bench" });
const EVERY_TICK = new URL("../tests/fixtures/every_tick_strategy.ts", import.meta.url).pathname;
const REDIS_URL = Deno.env.get("REDIS_URL");

function startWriter(namespace: string, records: number, rate: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./_bench_trader_writer.ts", import.meta.url).pathname,
      JSON.stringify({ namespace, records, rate }),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  return {
    ready: async () => {
      while (!(await lines.read()).value?.includes("ready")) { /* wait */ }
    },
    done: async () => {
      while (!(await lines.read()).value?.includes("done")) { /* wait */ }
      await child.status;
    },
  };
}

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000;
}

/** The trader's own path, built as `deno task live` builds it (minus HTTP and alerts). */
async function trader(
  namespace: string,
  records: number,
  options: { everyTick: boolean; postgres?: boolean },
) {
  const config =
    loadConfig({ runMode: "test", env: REDIS_URL ? { REDIS_URL } : {}, envFile: false })
      .config;
  const cache = openTickCache(
    { ...config.cache, memory: { ...config.cache.memory, max_ticks_per_symbol: 1000 } },
    logger,
  );
  // PGlite in a directory, as the demo and `deno task live` run it.
  const pgliteDir = options.postgres ? undefined : await Deno.makeTempDir({ prefix: "bench_" });
  const store = pgliteDir === undefined
    ? await openFreshPostgres()
    : await openFreshPglite(`${pgliteDir}/pglite`);
  const logWriter = new StrategyLogWriter({ store, flushMs: 200, logger, maxPending: 1_000_000 });
  // Latency: a strategy that decides on every tick. Sustained: the usual bar-close strategies.
  const specs: StrategySpec[] = options.everyTick
    ? [{ strategy: EVERY_TICK, symbols: ["BTCUSD"], params: { every: "100" } }]
    : [
      { strategy: "sma", symbols: ["BTCUSD"], params: {} },
      { strategy: "rsi", symbols: ["BTCUSD"], params: {} },
    ];
  const paper = await PaperTrader.create({
    config,
    specs,
    sizeScale: () => 0,
    log: logWriter,
    logger,
  });
  const pipeline = new MarketDataPipeline({
    symbols: ["BTCUSD"],
    cache,
    paper,
    logger,
    sampleEvery: 1,
    latencyWindow: records,
  });
  const done = Promise.withResolvers<void>();
  const exchange = await IpcExchange.start({
    namespace,
    symbols: [{ symbol: "BTCUSD" }],
    staleAfterSecs: 30,
    logger,
    onTrade: (trade) => pipeline.collect(trade),
    onBatchEnd: () => {
      pipeline.drain();
      if (pipeline.counters.processed >= records) done.resolve();
    },
    backpressure: () => pipeline.backpressure(),
  });
  return { exchange, pipeline, paper, cache, logWriter, store, pgliteDir, done: done.promise };
}

async function latencyRun(postgres: boolean): Promise<void> {
  const records = 20_000;
  const namespace = uniqueNamespace("bench_trader");
  try {
    const writer = startWriter(namespace, records, 10_000);
    await writer.ready();
    const t = await trader(namespace, records, { everyTick: true, postgres });
    await t.done;
    await writer.done();
    const skip = 1000; // warm-up
    const read = t.pipeline.latency;
    const readSorted = read.samples().slice(skip).sort();
    log(
      `IPC read -> signal (${records - skip} trades at 10k/s, every-tick strategy, decisions ` +
        `logged to ${postgres ? "Postgres" : "embedded PGlite"}):`,
    );
    log(
      `  read -> decision   p50 ${pct(readSorted, 0.5).toFixed(2)} us  p99 ${
        pct(readSorted, 0.99).toFixed(2)
      } us  (seed 50-100 us; target p50 <= 5 us)`,
    );
    await t.exchange.stop();
    t.pipeline.stop();
    await t.logWriter.close();
    t.paper.free();
    await t.cache.close();
    await t.store.close();
    if (t.pgliteDir !== undefined) await Deno.remove(t.pgliteDir, { recursive: true });
  } finally {
    removeNamespace(namespace);
  }
}

function timeNs(n: number, body: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) body();
    best = Math.min(best, ((performance.now() - t0) * 1e6) / n);
  }
  return best;
}

function tickAt(i: number): CachedTick {
  return {
    symbol: "BTCUSD",
    exchange: "BENCH",
    tsEvent: 1_700_000_000_000_000_000n + BigInt(i),
    tsRecv: 1_700_000_000_000_000_000n + BigInt(i),
    price: 50_000_000_000_000n + BigInt(i),
    size: 1 + (i % 100),
    side: i & 1 ? "B" : "A",
  };
}

function l1Run(): void {
  const l1 = new MemoryTickCache({ maxTicksPerSymbol: 1000, ttlSeconds: 300 });
  const map = new Map<string, CachedTick[]>();
  for (let i = 0; i < 1000; i++) {
    const tick = tickAt(i);
    l1.push(tick);
    const list = map.get(tick.symbol) ?? [];
    list.push(tick);
    if (list.length > 1000) list.shift();
    map.set(tick.symbol, list);
  }
  let sink = 0;
  const latest = timeNs(1_000_000, () => sink += l1.latest("BTCUSD")!.size);
  const latestJs = timeNs(1_000_000, () => sink += map.get("BTCUSD")!.at(-1)!.size);
  const recent = timeNs(200_000, () => sink += l1.recent("BTCUSD", 20).length);
  const recentJs = timeNs(200_000, () => sink += map.get("BTCUSD")!.slice(-20).length);
  log(`L1 hit (best of 5):`);
  log(
    `  latest     ${latest.toFixed(0)} ns (WASM ring)  vs ${
      latestJs.toFixed(0)
    } ns (JS Map of arrays): ${(latest / latestJs).toFixed(2)}x  (seed ~10 us; target <= 1 us)`,
  );
  log(
    `  recent(20) ${recent.toFixed(0)} ns (WASM ring)  vs ${
      recentJs.toFixed(0)
    } ns (JS Map of arrays): ${(recent / recentJs).toFixed(2)}x  [checksum ${sink % 7}]`,
  );
  l1.free();
}

async function l2Run(): Promise<void> {
  if (REDIS_URL === undefined) {
    log("L2 read: skipped (set REDIS_URL)");
    return;
  }
  const prefix = `bench:${crypto.randomUUID().slice(0, 8)}:`;
  const l2 = new RedisTickCache({
    url: REDIS_URL,
    keyPrefix: prefix,
    maxTicksPerSymbol: 1000,
    ttlSeconds: 60,
    logger,
  });
  await l2.ready();
  await l2.writeBatch(Array.from({ length: 1000 }, (_, i) => tickAt(i)));
  const n = 20_000;
  for (let i = 0; i < 1000; i++) await l2.recent("BTCUSD", 20);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await l2.recent("BTCUSD", 20);
  const ours = ((performance.now() - t0) * 1000) / n;
  const url = new URL(REDIS_URL);
  const out = await new Deno.Command("redis-benchmark", {
    args: [
      "-h",
      url.hostname,
      "-p",
      url.port || "6379",
      "-n",
      String(n),
      "-c",
      "1",
      "-q",
      "LRANGE",
      `${prefix}BTCUSD`,
      "0",
      "19",
    ],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  const text = out === undefined ? "" : new TextDecoder().decode(out.stdout);
  const rps = Number(/([\d.]+) requests per second/.exec(text.replaceAll("\r", "\n"))?.[1] ?? NaN);
  const theirs = 1e6 / rps;
  log(`L2 read (recent 20 from Redis, one client, ${n} sequential reads):`);
  log(
    `  RedisTickCache ${ours.toFixed(1)} us/read (decoded ticks)  vs redis-benchmark LRANGE 0 19 ${
      theirs.toFixed(1)
    } us/read: ${(ours / theirs).toFixed(2)}x  (seed ~100 us)`,
  );
  await l2.close();
}

async function sustainedRun(): Promise<void> {
  const records = 300_000;
  const bareNs = uniqueNamespace("bench_trader");
  const fullNs = uniqueNamespace("bench_trader");
  try {
    // Baseline: a bare read of the same records (copy out of the ring, nothing else).
    const writer = startWriter(bareNs, records, 0);
    await writer.ready();
    const reader = ChannelReader.open({ namespace: bareNs, name: "data_manager_BTCUSD_BENCH" });
    const stop = new AbortController();
    let read = 0;
    const t0 = performance.now();
    const loop = consume(reader, (batch) => {
      read += batch.count;
      if (read >= records) stop.abort();
    }, { signal: stop.signal });
    await loop;
    const bareRate = records / ((performance.now() - t0) / 1000);
    await writer.done();
    reader.close();

    const full = startWriter(fullNs, records, 0);
    await full.ready();
    const t = await trader(fullNs, records, { everyTick: false });
    const t1 = performance.now();
    await t.done;
    const rate = records / ((performance.now() - t1) / 1000);
    await full.done();
    await t.exchange.stop();
    t.pipeline.stop();
    const flush0 = performance.now();
    await t.logWriter.close();
    const flushS = (performance.now() - flush0) / 1000;
    const cache = t.cache.stats();
    log(`Sustained (${records} trades, writer at full speed with flow control):`);
    log(
      `  whole trader ${Math.round(rate)} ticks/s  vs bare channel read ${
        Math.round(bareRate)
      } ticks/s: ${(rate / bareRate).toFixed(2)}x`,
    );
    log(
      `  processed ${t.pipeline.counters.processed}, lost ${t.exchange.stats().lost}, decisions ${
        t.paper.slots.map((s) => `${s.strategyId} ${s.decisions}`).join(", ")
      }, L2 ${cache.l2Status} (${cache.l2Writes} written, ${cache.l2Failures} failed), log rows ${t.logWriter.stats().written} (${
        flushS.toFixed(1)
      } s to flush the backlog at stop)`,
    );
    t.paper.free();
    await t.cache.close();
    await t.store.close();
    if (t.pgliteDir !== undefined) await Deno.remove(t.pgliteDir, { recursive: true });
  } finally {
    removeNamespace(bareNs);
    removeNamespace(fullNs);
  }
}

log(
  `bench:trader  deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores${
    REDIS_URL ? ", REDIS_URL set" : ""
  }${Deno.env.get("DATABASE_URL") ? ", DATABASE_URL set" : ""}`,
);
if (Deno.env.get("DATABASE_URL")) await latencyRun(true);
await latencyRun(false);
l1Run();
await l2Run();
await sustainedRun();
