/**
 * `deno task bench:fetch`: a historical fetch (ingest fetch's runner) against the local fake
 * Databento, beside a bare download of the same stream in the same run.
 *
 * - baseline: get_range through the client, zstd-decompressed and cut into record batches,
 *   nothing else (the ceiling of any fetch over this HTTP server);
 * - fetch into the database: trades -> ticks, instruments, batched inserts and checkpoints of the
 *   job row (Postgres when DATABASE_URL is set, and embedded PGlite in a temporary directory);
 * - fetch into a .dbn.zst file only (records as received, zstd frames, fsync'd checkpoints).
 *
 * Both sides run in this process with the fake server, on the same 2 cores.
 * @module
 */
import { join } from "node:path";
import { TickRepository } from "@shared/storage/mod.ts";
import { openFreshPglite, openFreshPostgres, type TestStore } from "@shared/storage/testing.ts";
import { runFetch } from "@services/ingest/historical/mod.ts";
import { esPlan, esTrades, startFake } from "@services/ingest/historical/testing.ts";

// deno-lint-ignore no-console
const log = (line: string) => console.log(line);
const RECORDS = Number(Deno.env.get("BENCH_FETCH_RECORDS") ?? 1_000_000);
const MIB = 1024 * 1024;

const { fake, client } = await startFake(esTrades(RECORDS, 1_000_000n));
const plan = esPlan(Math.ceil(RECORDS / 1000) + 1);

async function bare(): Promise<{ seconds: number; records: number; bytes: number }> {
  const t0 = performance.now();
  const response = await client.getRange({
    dataset: plan.dataset,
    schema: plan.schema,
    symbols: plan.symbols,
    start: plan.startNs,
    end: plan.endNs,
  });
  let records = 0;
  for await (const batch of response.reader.batches()) records += batch.count;
  return { seconds: (performance.now() - t0) / 1000, records, bytes: response.bytesReceived() };
}

async function intoStore(
  open: (dir: string) => Promise<TestStore>,
): Promise<{ seconds: number; n: number }> {
  const dir = await Deno.makeTempDir({ prefix: "bench_fetch_" });
  const store = await open(join(dir, "pglite"));
  try {
    const repo = new TickRepository(store, join(dir, "archive"));
    const t0 = performance.now();
    const result = await runFetch(client, plan, { repo }, { store, batchSize: 5000 });
    return { seconds: (performance.now() - t0) / 1000, n: result.inserted };
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function intoFile(): Promise<{ seconds: number; n: number; size: number }> {
  const dir = await Deno.makeTempDir({ prefix: "bench_fetch_" });
  try {
    const out = join(dir, "es.dbn.zst");
    const t0 = performance.now();
    const result = await runFetch(client, plan, { outPath: out }, {});
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, n: result.records, size: (await Deno.stat(out)).size };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const rate = (n: number, s: number) => Math.round(n / s).toLocaleString("en-US");
try {
  log(
    `bench:fetch  deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, ` +
      `${RECORDS.toLocaleString("en-US")} trades (${(RECORDS * 48 / MIB).toFixed(0)} MiB of DBN)`,
  );
  await bare(); // warm-up: JIT and the server's first response
  const base = await bare();
  if (base.records !== RECORDS) throw new Error(`bare download got ${base.records} records`);
  log(
    `  bare download + decode   ${rate(base.records, base.seconds)} records/s  ` +
      `(${(base.bytes / MIB).toFixed(1)} MiB zstd in ${base.seconds.toFixed(2)} s)`,
  );
  // PGlite in a directory, as `ingest fetch` runs it ([database] data_dir); Postgres when set.
  const stores: [string, (dir: string) => Promise<TestStore>][] = [
    ["embedded PGlite", (dir) => openFreshPglite(dir)],
  ];
  if (Deno.env.get("DATABASE_URL")) stores.unshift(["Postgres", () => openFreshPostgres()]);
  for (const [name, open] of stores) {
    const r = await intoStore(open);
    if (r.n !== RECORDS) throw new Error(`${name}: ${r.n} ticks stored`);
    log(
      `  fetch into ${name.padEnd(15)} ${rate(r.n, r.seconds)} ticks/s: ` +
        `${(r.n / r.seconds / (base.records / base.seconds)).toFixed(3)}x the bare download`,
    );
  }
  const f = await intoFile();
  log(
    `  fetch into a .dbn.zst     ${rate(f.n, f.seconds)} records/s: ` +
      `${(f.n / f.seconds / (base.records / base.seconds)).toFixed(2)}x the bare download ` +
      `(${(f.size / MIB).toFixed(1)} MiB file)`,
  );
} finally {
  await fake.close();
}
