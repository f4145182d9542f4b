// Tick persistence: batchInsert (COPY) against baselines measured in the same run (psql \copy
// of the same rows, multi-row INSERT VALUES, INSERT ... SELECT FROM unnest), then the seed's
// figures (single insert, batch of 1000, historical query), on Postgres and PGlite.
//   deno task bench:storage                                   (1M ticks; PGlite 200k)
//   deno task bench:storage --count 100000 --pglite-count 20000
// Postgres: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the run creates a
// fresh database there and drops it after. PGlite: a temporary directory, removed after.
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { migrate } from "@shared/storage/migrations.ts";
import { openPgliteStore } from "@shared/storage/pglite_store.ts";
import { openPostgresStore } from "@shared/storage/postgres_store.ts";
import { redactUrl } from "@shared/storage/storage_error.ts";
import type { SqlParam, Store } from "@shared/storage/store.ts";
import { ensureDayPartitions } from "@shared/storage/ticks/partitions.ts";
import {
  dayStartNs,
  type Tick,
  TICK_COLUMNS,
  TICK_SELECT,
  tickCopyLine,
} from "@shared/storage/ticks/tick.ts";
import { getTicks } from "@shared/storage/ticks/tick_reader.ts";
import { batchInsert, insertTick } from "@shared/storage/ticks/tick_writer.ts";
import { mulberry32 } from "@shared/domain/prng.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    count: { type: "string", default: "1000000" },
    "pglite-count": { type: "string", default: "200000" },
    seed: { type: "string", default: "42" },
    repeat: { type: "string", default: "2" },
  },
});
const COUNT = positive("count", flags.count);
const PGLITE_COUNT = positive("pglite-count", flags["pglite-count"]);
const SEED = positive("seed", flags.seed);
const REPEAT = positive("repeat", flags.repeat);
const URL_BASE = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test";
const DAY = "2026-11-20";
const SEED_FIGURES = { single: 390, batch: 116_000, query: 450 }; // us, from the seed
const VALUES_ROWS = 1000;
const UNNEST_ROWS = 50_000;
const CHUNK_CHARS = 1 << 20;

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Invalid --${name} "${value}"`);
  return n;
}

function log(line: string): void {
  // deno-lint-ignore no-console
  console.error(line);
}

/** A seeded PRNG so every run writes the same ticks. */
const prng = mulberry32;

/** `n` trades of BTCUSD, ETHUSD and SOLUSD on BINANCE within DAY, time-ordered, ids `<prefix>k`. */
function makeTicks(n: number, seed: number, prefix: string): Tick[] {
  const random = prng(seed);
  const start = dayStartNs(DAY);
  const meanStep = 86_400e9 / n / 1.25; // the n ticks span about 80% of the day
  const symbols = [["BTCUSD", 9_000_000], ["ETHUSD", 300_000], ["SOLUSD", 15_000]] as const;
  const cents = symbols.map(([, c]) => c as number);
  const ticks: Tick[] = [];
  let offset = 0;
  for (let k = 0; k < n; k++) {
    const s = Math.floor(random() * 3);
    cents[s] = Math.max(1, cents[s]! + Math.round((random() - 0.5) * 8));
    offset += Math.floor(random() * 2 * meanStep);
    const units = 1 + Math.floor(random() ** 3 * 5_000_000); // quantity in 1e-5
    const tsEvent = start + BigInt(offset);
    ticks.push({
      tsEvent,
      tsRecv: tsEvent + BigInt(1_000 + Math.floor(random() * 49_000)),
      instrumentId: 1001 + s,
      symbol: symbols[s]![0],
      exchange: "BINANCE",
      price: BigInt(cents[s]!) * 10_000_000n,
      size: units,
      quantity: `${Math.floor(units / 1e5)}.${String(units % 1e5).padStart(5, "0")}`,
      side: random() < 0.5 ? "A" : "B",
      tradeId: `${prefix}${k}`,
      flags: 0,
      sequence: k,
    });
  }
  return ticks;
}

/** A new identity for the same store: fresh per-store writer state (the adaptive path). */
function alias(store: Store): Store {
  return {
    kind: store.kind,
    location: store.location,
    query: (text, params) => store.query(text, params),
    exec: (script) => store.exec(script),
    copyFrom: (table, columns, chunks) => store.copyFrom(table, columns, chunks),
    transaction: (fn) => store.transaction(fn),
    close: () => store.close(),
  };
}

function* copyChunks(ticks: readonly Tick[]): Generator<string> {
  let chunk = "";
  for (const tick of ticks) {
    chunk += tickCopyLine(tick);
    if (chunk.length >= CHUNK_CHARS) (yield chunk), chunk = "";
  }
  if (chunk.length > 0) yield chunk;
}

async function rowCount(store: Store): Promise<number> {
  const { rows } = await store.query<{ n: bigint }>("SELECT count(*)::int8 AS n FROM tick_data");
  return Number(rows[0]!.n);
}

async function emptyTable(store: Store): Promise<void> {
  await store.exec("TRUNCATE tick_data");
  await ensureDayPartitions(store, [DAY]);
  if (store.kind === "postgres") await store.exec("CHECKPOINT").catch(() => {});
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function check(what: string, ok: boolean): void {
  if (!ok) throw new Error(`bench check failed: ${what}`);
}

/** Multi-row INSERT VALUES, `VALUES_ROWS` rows per parameterised statement, one transaction. */
async function insertValues(store: Store, ticks: readonly Tick[]): Promise<void> {
  const statement = (rows: number) => {
    const tuples = Array.from({ length: rows }, (_, r) => {
      const p = Array.from({ length: 12 }, (_, c) => `$${r * 12 + c + 1}`);
      return `(${p.join(",")})`;
    });
    return `INSERT INTO tick_data (${TICK_SELECT}) VALUES ${
      tuples.join(",")
    } ON CONFLICT DO NOTHING`;
  };
  const full = statement(VALUES_ROWS);
  await store.transaction(async (tx) => {
    for (let at = 0; at < ticks.length; at += VALUES_ROWS) {
      const part = ticks.slice(at, at + VALUES_ROWS);
      const params: SqlParam[] = [];
      for (const t of part) {
        params.push(t.tsEvent, t.tsRecv, t.instrumentId, t.symbol, t.exchange, t.price, t.size);
        params.push(t.quantity, t.side, t.tradeId, t.flags, t.sequence);
      }
      await tx.query(part.length === VALUES_ROWS ? full : statement(part.length), params);
    }
  });
}

const UNNEST = `INSERT INTO tick_data (${TICK_SELECT})
  SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::int8[],
                       $7::int8[], $8::numeric[], $9::text[], $10::text[], $11::int2[], $12::int8[])
  ON CONFLICT DO NOTHING`;

/** INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING, `UNNEST_ROWS` per statement. */
async function insertUnnest(store: Store, ticks: readonly Tick[]): Promise<number> {
  let inserted = 0;
  await store.transaction(async (tx) => {
    for (let at = 0; at < ticks.length; at += UNNEST_ROWS) {
      const part = ticks.slice(at, at + UNNEST_ROWS);
      const column = <T extends SqlParam>(get: (t: Tick) => T) => part.map(get);
      const params = [
        column((t) => String(t.tsEvent)),
        column((t) => String(t.tsRecv)),
        column((t) => t.instrumentId),
        column((t) => t.symbol),
        column((t) => t.exchange),
        column((t) => String(t.price)),
        column((t) => t.size),
        column((t) => t.quantity),
        column((t) => t.side),
        column((t) => t.tradeId),
        column((t) => t.flags),
        column((t) => t.sequence),
      ] as SqlParam[];
      inserted += (await tx.query(UNNEST, params)).count;
    }
  });
  return inserted;
}

async function psqlCopy(url: string, file: string): Promise<void> {
  const out = await new Deno.Command("psql", {
    args: [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-d",
      url,
      "-c",
      `\\copy tick_data (${TICK_SELECT}) from '${file}'`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`psql \\copy failed: ${new TextDecoder().decode(out.stderr)}`);
}

interface Figures {
  count: number;
  bulk: Map<string, number>; // path -> best ms
  single: { median: number; p99: number }; // us
  singleAsync?: { median: number; p99: number };
  batch: number; // us, median
  query: number; // us, median
}

function quantile(samples: number[], q: number): number {
  const sorted = samples.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function latencies(n: number, fn: (k: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push((await timed(() => fn(k))) * 1000);
  return out;
}

/** The baseline bulk load of a backend (psql \copy, or PGlite's own COPY of the prebuilt text). */
interface Baseline {
  label: string;
  run(): Promise<void>;
}

/** Every figure on one backend; `asyncWriter` opens a store whose commits skip the WAL flush. */
async function measure(
  store: Store,
  ticks: readonly Tick[],
  baseline: Baseline,
  asyncWriter?: () => Promise<Store>,
): Promise<Figures> {
  const count = ticks.length;
  const bulk = new Map<string, number>();
  const keep = (label: string, ms: number) => {
    log(`${store.kind} ${label}: ${ms.toFixed(0)} ms`);
    bulk.set(label, Math.min(bulk.get(label) ?? Infinity, ms));
  };
  for (let r = 0; r < REPEAT; r++) {
    const runs: [string, () => Promise<unknown>][] = [
      [baseline.label, () => baseline.run()],
      [BATCH, async () => {
        const result = await batchInsert(alias(store), ticks);
        check("batchInsert took the COPY path", result.path === "copy");
      }],
      [UNNEST_LABEL, () => insertUnnest(store, ticks)],
      [VALUES_LABEL, () => insertValues(store, ticks)],
    ];
    for (const [label, run] of runs) {
      await emptyTable(store);
      const ms = await timed(run);
      check(`${label} wrote ${count} rows`, (await rowCount(store)) === count);
      keep(label, ms);
    }
  }

  // The table holds `count` rows now: the seed's figures, with ticks not stored yet.
  const fresh = makeTicks(2_050 + 51_000, SEED + 1, "S");
  const writer = alias(store);
  for (const t of fresh.slice(0, 50)) await insertTick(writer, t); // warm-up
  const single = await latencies(2_000, (k) => insertTick(writer, fresh[50 + k]!));
  const batches = fresh.slice(2_050);
  await batchInsert(writer, batches.slice(50_000)); // warm-up
  const batch = await latencies(50, async (k) => {
    const result = await batchInsert(writer, batches.slice(k * 1_000, (k + 1) * 1_000));
    check("a batch of 1000 wrote 1000 rows", result.inserted === 1_000);
  });
  const random = prng(SEED + 3);
  const dayStart = dayStartNs(DAY);
  const query = async () => {
    const start = dayStart + BigInt(Math.floor(random() * 60_000)) * 1_000_000_000n;
    const got = await getTicks(store, {
      symbol: ["BTCUSD", "ETHUSD", "SOLUSD"][Math.floor(random() * 3)]!,
      start,
      end: start + 3_600_000_000_000n,
      limit: 100,
    });
    check("a historical query returned 100 ticks", got.length === 100);
  };
  for (let k = 0; k < 50; k++) await query(); // warm-up
  const queries = await latencies(2_000, query);
  let singleAsync: Figures["singleAsync"];
  if (asyncWriter !== undefined) {
    const lazy = await asyncWriter();
    try {
      const more = makeTicks(2_050, SEED + 2, "U");
      for (const t of more.slice(0, 50)) await insertTick(lazy, t);
      const samples = await latencies(2_000, (k) => insertTick(lazy, more[50 + k]!));
      singleAsync = { median: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
    } finally {
      await lazy.close();
    }
  }

  // The staged path with 10% of the rows stored already: straight to staging (the store saw
  // duplicates in its previous batch), and after a failed COPY (the first batch that has any).
  const stored = ticks.filter((_, i) => i % 10 === 0);
  for (const [label, armed] of [[STAGED, true], [COPY_THEN_STAGED, false]] as const) {
    await emptyTable(store);
    await store.copyFrom("tick_data", TICK_COLUMNS, copyChunks(stored));
    const staged = alias(store);
    if (armed) await batchInsert(staged, [ticks[0]!]);
    let result: Awaited<ReturnType<typeof batchInsert>> | undefined;
    keep(label, await timed(async () => result = await batchInsert(staged, ticks)));
    check(`${label}: staged`, result?.path === "staged");
    check(`${label}: duplicates counted`, result?.duplicates === stored.length);
    check(`${label}: rows`, (await rowCount(store)) === count);
  }
  return {
    count,
    bulk,
    single: { median: quantile(single, 0.5), p99: quantile(single, 0.99) },
    singleAsync,
    batch: quantile(batch, 0.5),
    query: quantile(queries, 0.5),
  };
}

const BATCH = "batchInsert (COPY)";
const UNNEST_LABEL = "INSERT ... SELECT FROM unnest(arrays), 50k rows per statement";
const VALUES_LABEL = "multi-row INSERT VALUES, 1000 rows per statement";
const STAGED = "batchInsert, 10% duplicates: staged";
const COPY_THEN_STAGED = "batchInsert, 10% duplicates: failed COPY, then staged";
const PSQL = "psql \\copy of the same rows (baseline)";
const RAW_COPY = "COPY of the prebuilt text, no JS per row (baseline)";

async function writeTsv(file: string, ticks: readonly Tick[]): Promise<void> {
  using out = await Deno.open(file, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  for (const chunk of copyChunks(ticks)) {
    const bytes = encoder.encode(chunk);
    for (let done = 0; done < bytes.length;) done += await out.write(bytes.subarray(done));
  }
}

async function benchPostgres(ticks: readonly Tick[]): Promise<[Figures, string]> {
  const name = `bench_storage_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(URL_BASE, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(URL_BASE);
  url.pathname = `/${name}`;
  const dir = await Deno.makeTempDir({ prefix: "bench_storage_" });
  let store: Store | undefined;
  try {
    store = await openPostgresStore(url.href, { maxConnections: 4, applicationName: "bench" });
    await migrate(store);
    const version =
      (await store.query<{ v: string }>("SELECT current_setting($1) AS v", ["server_version"]))
        .rows[0]!.v;
    const file = join(dir, "ticks.tsv");
    await writeTsv(file, ticks);
    const figures = await measure(
      store,
      ticks,
      { label: PSQL, run: () => psqlCopy(url.href, file) },
      async () => {
        const lazy = await openPostgresStore(url.href, { maxConnections: 1 });
        await lazy.exec("SET synchronous_commit = off");
        return lazy;
      },
    );
    return [figures, `PostgreSQL ${version}`];
  } finally {
    await store?.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await Deno.remove(dir, { recursive: true });
  }
}

async function benchPglite(ticks: readonly Tick[]): Promise<[Figures, string]> {
  const dir = await Deno.makeTempDir({ prefix: "bench_storage_pglite_" });
  const store = await openPgliteStore(dir);
  try {
    await migrate(store);
    const version =
      (await store.query<{ v: string }>("SELECT current_setting($1) AS v", ["server_version"]))
        .rows[0]!.v;
    const text = [...copyChunks(ticks)];
    const run = () => store.copyFrom("tick_data", TICK_COLUMNS, text);
    return [await measure(store, ticks, { label: RAW_COPY, run }), `PGlite ${version}`];
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ratio = (n: number) => `${n.toFixed(2)}x`;
const us = (n: number) => n >= 10_000 ? `${(n / 1000).toFixed(1)} ms` : `${fmt(n)} us`;

function report(pg: Figures, lite: Figures, versions: string[]): string {
  const out: string[] = [];
  const head = [
    `${
      new Date().toISOString().slice(0, 10)
    }, Deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch},`,
    `${navigator.hardwareConcurrency} cores; ${versions.join("; ")}`,
  ];
  out.push(head.join(" "), "");
  out.push(
    `Command: \`deno task bench:storage --count ${COUNT} --pglite-count ${PGLITE_COUNT} --seed ${SEED} --repeat ${REPEAT}\``,
    "",
  );
  out.push(
    `Bulk loads into an empty tick_data (best of ${REPEAT}; Postgres ${fmt(COUNT)} rows, PGlite ${
      fmt(PGLITE_COUNT)
    } rows: PGlite is single-threaded). "batchInsert vs" is batchInsert's speed over the path's.`,
    "",
  );
  out.push(
    "| path | Postgres ms | rows/s | batchInsert vs | PGlite ms | rows/s | batchInsert vs | target |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  );
  const labels = [BATCH, PSQL, RAW_COPY, VALUES_LABEL, UNNEST_LABEL, STAGED, COPY_THEN_STAGED];
  for (const label of labels) {
    const cells = [pg, lite].flatMap((f) => {
      const ms = f.bulk.get(label);
      if (ms === undefined) return ["", "", ""];
      const ours = f.bulk.get(BATCH)!;
      return [fmt(ms), fmt(f.count / ms * 1000), label === BATCH ? "" : ratio(ms / ours)];
    });
    out.push(`| ${label} | ${cells.join(" | ")} | ${target(label, pg)} |`);
  }
  out.push("", "The seed's figures (medians; the seed's numbers as the issue gives them):", "");
  out.push(
    "| figure | seed | Postgres | seed vs Postgres | PGlite | seed vs PGlite | target 10x |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
  );
  const row = (name: string, seed: number | undefined, get: (f: Figures) => number | undefined) => {
    const cells = [pg, lite].flatMap((f) => {
      const v = get(f);
      return v === undefined ? ["", ""] : [us(v), seed === undefined ? "" : ratio(seed / v)];
    });
    const p = get(pg);
    const verdict = seed === undefined || p === undefined
      ? ""
      : seed / p >= 10
      ? "met"
      : "**missed**";
    out.push(
      `| ${name} | ${seed === undefined ? "" : us(seed)} | ${cells.join(" | ")} | ${verdict} |`,
    );
  };
  row("insertTick, 2000 sequential calls", SEED_FIGURES.single, (f) => f.single.median);
  row("insertTick, p99", undefined, (f) => f.single.p99);
  row("insertTick, synchronous_commit=off (information)", undefined, (f) => f.singleAsync?.median);
  row("batchInsert of 1000, 50 calls", SEED_FIGURES.batch, (f) => f.batch);
  row(
    "getTicks limit 100 over the populated table, 2000 calls",
    SEED_FIGURES.query,
    (f) => f.query,
  );
  return out.join("\n");
}

function target(label: string, pg: Figures): string {
  const ours = pg.bulk.get(BATCH)!;
  const ms = pg.bulk.get(label);
  if (ms === undefined) return "";
  const mark = (ok: boolean) => ok ? "met" : "**missed**";
  if (label === PSQL) {
    const rate = pg.count / ours * 1000;
    return `>= 0.6x and >= 300k rows/s: ${mark(ms / ours >= 0.6 && rate >= 300_000)}`;
  }
  if (label === VALUES_LABEL) return `>= 2x: ${mark(ms / ours >= 2)}`;
  return "";
}

const pgTicks = makeTicks(COUNT, SEED, "T");
log(`${fmt(COUNT)} ticks for Postgres at ${redactUrl(URL_BASE)}`);
const [pg, pgVersion] = await benchPostgres(pgTicks);
log(`${fmt(PGLITE_COUNT)} ticks for PGlite (a temporary directory)`);
const [lite, liteVersion] = await benchPglite(
  PGLITE_COUNT === COUNT ? pgTicks : makeTicks(PGLITE_COUNT, SEED, "T"),
);
// deno-lint-ignore no-console
console.log(report(pg, lite, [pgVersion, liteVersion]));
