// The ingest pipeline at full rate: the synthetic provider -> normalise (instrument lookup, DBN
// record, tick row) -> IPC publish + batched persistence, against the two ceilings measured in the
// same run on the same machine: batchInsert of prebuilt ticks (the persistence ceiling of issue 4)
// and ChannelWriter.publish of prebuilt 48-byte records (the IPC ceiling of issue 5). Then CPU per
// 10k ticks/s: the synthetic provider paced at a fixed rate, process CPU time over wall time.
//   deno task bench:ingest                       (200k ticks; Postgres when DATABASE_URL is set)
//   deno task bench:ingest --count 50000 --rate 10000 --seconds 10
import { parseArgs } from "node:util";
import { cpuUsage } from "node:process";
import { ChannelWriter, IpcPublisher } from "@shared/ipc/mod.ts";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import {
  batchInsert,
  InstrumentRegistry,
  migrate,
  openPgliteStore,
  openPostgresStore,
  type Store,
  type Tick,
} from "@shared/storage/mod.ts";
import { createNullLogger } from "@shared/obs/mod.ts";
import { SyntheticProvider } from "@services/ingest/providers/synthetic/mod.ts";
import type { StreamSink } from "@services/ingest/providers/events.ts";
import { PersistQueue } from "@services/ingest/serve/persist_queue.ts";
import { Pipeline } from "@services/ingest/serve/pipeline.ts";
import { tradeTick, writeTradeRecord } from "@services/ingest/serve/records.ts";
import postgres from "postgres";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    count: { type: "string", default: "200000" },
    rate: { type: "string", default: "10000" },
    seconds: { type: "string", default: "10" },
    batch: { type: "string", default: "1000" },
  },
});
const COUNT = Number(flags.count);
const RATE = Number(flags.rate);
const SECONDS = Number(flags.seconds);
const BATCH = Number(flags.batch);
const SYMBOLS = ["BTCUSD", "ETHUSD", "SOLUSD", "XRPUSD"];
const URL_BASE = Deno.env.get("DATABASE_URL");

function log(line: string): void {
  // deno-lint-ignore no-console
  console.log(line);
}

async function freshStore(): Promise<{ store: Store; drop: () => Promise<void>; kind: string }> {
  if (URL_BASE === undefined) {
    const store = await openPgliteStore(undefined);
    await migrate(store);
    return { store, drop: () => store.close(), kind: "PGlite (in memory)" };
  }
  const name = `bench_ingest_${Date.now()}`;
  const admin = postgres(URL_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(URL_BASE);
  url.pathname = `/${name}`;
  const store = await openPostgresStore(url.toString());
  await migrate(store);
  return {
    store,
    kind: "Postgres",
    drop: async () => {
      await store.close();
      await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Collects `count` synthetic events as ticks (for the ceilings: same ticks, prebuilt). */
async function syntheticTicks(
  count: number,
  instruments: Map<string, { instrumentId: number; exchange: string; sizeScale: number }>,
): Promise<Tick[]> {
  const ticks: Tick[] = [];
  const sink: StreamSink = {
    onEvent: (event) => {
      if (event.kind === "trade") ticks.push(tradeTick(event, instruments.get(event.symbol)!));
    },
    onDrop: () => {},
  };
  const provider = new SyntheticProvider({ sink, rate: 0, seed: 7, maxEvents: count });
  await provider.subscribe(SYMBOLS, ["trades"]);
  await provider.connect();
  await provider.done;
  await provider.disconnect();
  return ticks;
}

async function main(): Promise<void> {
  const db = await freshStore();
  const namespace = uniqueNamespace("bench_ingest");
  try {
    const registry = new InstrumentRegistry(db.store);
    const instruments = new Map<
      string,
      { instrumentId: number; exchange: string; sizeScale: number }
    >();
    for (const symbol of SYMBOLS) {
      const i = await registry.getOrCreate(symbol, "SYNTHETIC", { sizeScale: 8 });
      instruments.set(symbol, i);
    }
    log(
      `ingest bench: ${COUNT} synthetic trades, ${SYMBOLS.length} symbols, batches of ${BATCH}, ${db.kind}`,
    );

    // Ceiling 1: persistence (batchInsert of prebuilt ticks, one batch at a time).
    const ceilingTicks = await syntheticTicks(COUNT, instruments);
    let start = performance.now();
    for (let i = 0; i < ceilingTicks.length; i += BATCH) {
      await batchInsert(db.store, ceilingTicks.slice(i, i + BATCH));
    }
    const persistCeiling = ceilingTicks.length / ((performance.now() - start) / 1000);
    await db.store.exec("TRUNCATE tick_data");

    // Ceiling 2: IPC (publish prebuilt 48-byte records).
    const writer = ChannelWriter.create({
      namespace,
      key: { symbol: "CEILING", exchange: "SYNTHETIC" },
      schema: "trades",
      capacity: 65536,
    });
    const records = new Uint8Array(48 * 1024);
    const view = new DataView(records.buffer);
    for (let k = 0; k < 1024; k++) {
      writeTradeRecord(ceilingTicks[k % ceilingTicks.length]!, view, k * 48);
    }
    start = performance.now();
    for (let i = 0; i < COUNT; i++) {
      writer.publish(records.subarray((i & 1023) * 48, (i & 1023) * 48 + 48));
    }
    const ipcCeiling = COUNT / ((performance.now() - start) / 1000);
    writer.close();

    // The pipeline at full rate: synthetic -> normalise -> publish + persist, until all stored.
    const publisher = await IpcPublisher.start({
      namespace,
      provider: "synthetic",
      exchange: "SYNTHETIC",
      symbols: SYMBOLS,
      schema: "trades",
      capacity: 65536,
    });
    const spillDir = await Deno.makeTempDir({ prefix: "bench_ingest_spill_" });
    const persist = new PersistQueue({
      store: db.store,
      batchSize: BATCH,
      spillDir,
      capacity: 1_000_000,
    });
    const pipeline = new Pipeline({ instruments, persist, publisher, logger: createNullLogger() });
    const provider = new SyntheticProvider({ sink: pipeline, rate: 0, seed: 7, maxEvents: COUNT });
    await provider.subscribe(SYMBOLS, ["trades"]);
    const cpu0 = cpuUsage();
    start = performance.now();
    await provider.connect();
    await provider.done;
    const emitted = (performance.now() - start) / 1000;
    while (persist.stats.persisted + persist.stats.duplicates < COUNT) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const elapsed = (performance.now() - start) / 1000;
    const cpu = cpuUsage(cpu0);
    await provider.disconnect();
    await persist.close();
    const sustained = COUNT / elapsed;
    log(`  persistence ceiling (batchInsert, prebuilt ticks):  ${fmt(persistCeiling)} ticks/s`);
    log(`  IPC ceiling (publish, prebuilt records):            ${fmt(ipcCeiling)} records/s`);
    log(`  pipeline, generated -> published (no wait on DB):   ${fmt(COUNT / emitted)} ticks/s`);
    log(`  pipeline, generated -> published + persisted:       ${fmt(sustained)} ticks/s`);
    log(
      `    = ${(sustained / persistCeiling).toFixed(2)}x the persistence ceiling, ${
        (sustained / ipcCeiling).toFixed(4)
      }x the IPC ceiling`,
    );
    log(
      `    published ${pipeline.counters.published}, persisted ${persist.stats.persisted}, CPU ${
        ((cpu.user + cpu.system) / 1e6 / elapsed * 100).toFixed(0)
      }% of one core`,
    );

    // CPU per 10k ticks/s: paced synthetic -> pipeline (publish + persist) for SECONDS.
    await db.store.exec("TRUNCATE tick_data");
    const persist2 = new PersistQueue({
      store: db.store,
      batchSize: BATCH,
      spillDir,
      flushIntervalMs: 250,
    });
    const pipeline2 = new Pipeline({
      instruments,
      persist: persist2,
      publisher,
      logger: createNullLogger(),
    });
    const paced = new SyntheticProvider({ sink: pipeline2, rate: RATE, seed: 9 });
    await paced.subscribe(SYMBOLS, ["trades"]);
    const c0 = cpuUsage();
    const t0 = performance.now();
    await paced.connect();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    await paced.disconnect();
    const wall = (performance.now() - t0) / 1000;
    const used = cpuUsage(c0);
    await persist2.close();
    const events = paced.stats().messages;
    const cpuShare = (used.user + used.system) / 1e6 / wall;
    log(
      `  paced at ${fmt(RATE)}/s for ${SECONDS}s: ${fmt(events / wall)} ticks/s achieved, CPU ${
        (cpuShare * 100).toFixed(1)
      }% of one core`,
    );
    log(
      `    = ${
        (cpuShare * 100 * 10_000 / (events / wall)).toFixed(1)
      }% of a core per 10k ticks/s (persisted ${persist2.stats.persisted})`,
    );
    await publisher.close();
    await Deno.remove(spillDir, { recursive: true });
  } finally {
    removeNamespace(namespace);
    await db.drop();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

await main();
