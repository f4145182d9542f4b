/**
 * End to end: `services/ingest/main.ts` run as a child process, as `deno task ingest` runs it,
 * on the embedded database in a temp data directory and (when DATABASE_URL is set) on a fresh
 * Postgres database created for the run and dropped after.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, runScript } from "./_run_script.ts";
import postgres from "postgres";
import { hashInstrumentId } from "@shared/storage/instruments/mod.ts";
import {
  dayStartNs,
  loadMigrations,
  openPgliteStore,
  openPostgresStore,
  renderSchemaSql,
  type Store,
  type Tick,
} from "@shared/storage/mod.ts";
import { batchInsert } from "@shared/storage/ticks/tick_writer.ts";
import { PROVIDERS } from "@shared/storage/symbols_repo.ts";

const SCHEMA_SQL = join(ROOT, "config", "schema.sql");
const TEST_DATABASE_URL = Deno.env.get("DATABASE_URL");

interface Target {
  /** The temp data directory (PGlite lives in <dataDir>/pglite; archives always here). */
  dataDir: string;
  /** Set for Postgres. */
  databaseUrl?: string;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with a clean environment: RUN_MODE=test, data_dir and DATABASE_URL from `target`. */
function ingest(target: Target, ...args: string[]): Promise<Run> {
  const env: Record<string, string> = {
    RUN_MODE: "test",
    TRADING__DATABASE__DATA_DIR: target.dataDir,
  };
  if (target.databaseUrl !== undefined) env.DATABASE_URL = target.databaseUrl;
  return runScript("services/ingest/main.ts", args, { cwd: target.dataDir, env, clearEnv: true });
}

/** Asserts exit `code` with exactly one stderr line matching `pattern`, and no stdout. */
function assertOneLine(run: Run, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, run.stderr);
  assert.equal(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, pattern);
}

function assertOk(run: Run): void {
  assert.equal(run.code, 0, run.stderr);
}

/** An empty (unmigrated) Postgres database on the DATABASE_URL server, dropped by `drop()`. */
async function createEmptyPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `trading_cli_test_${Date.now()}_${Math.floor(Math.random() * 1e9)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** The store the CLI uses, opened by the test between CLI runs (never at the same time). */
function openTargetStore(target: Target): Promise<Store> {
  return target.databaseUrl === undefined
    ? openPgliteStore(join(target.dataDir, "pglite"))
    : openPostgresStore(target.databaseUrl, { maxConnections: 2 });
}

function ticksOn(day: string, symbol: string, exchange: string, n: number): Tick[] {
  const start = dayStartNs(day) + 3_600_000_000_000n;
  return Array.from({ length: n }, (_, i) => ({
    tsEvent: start + BigInt(i) * 1_000_000_000n,
    tsRecv: start + BigInt(i) * 1_000_000_000n + 500n,
    instrumentId: hashInstrumentId(symbol, exchange),
    symbol,
    exchange,
    price: 42_000_000_000_000n + BigInt(i) * 10_000_000n,
    size: 1 + i,
    quantity: String(1 + i),
    side: i % 2 === 0 ? "B" : "A",
    tradeId: `${day}-${i}`,
    flags: 0,
    sequence: i,
  }));
}

const TODAY = new Date().toISOString().slice(0, 10);
const DAYS = ["2024-01-01", "2024-01-02", TODAY];

interface StatsJson {
  symbols: {
    symbol: string;
    exchange: string;
    count: number;
    firstTs: string;
    first: string;
    archivedCount: number;
    archivedDays: number;
  }[];
  tables: { name: string; bytes: number }[];
  partitions: { name: string; day: string; rows: number }[];
  archives: { day: string; symbol: string; exchange: string; rows: number; bytes: number }[];
}

async function stats(target: Target, ...args: string[]): Promise<StatsJson> {
  const run = await ingest(target, "db", "stats", "--json", ...args);
  assertOk(run);
  return JSON.parse(run.stdout);
}

/** The whole session every backend must pass, in order, on one empty database. */
async function session(t: Deno.TestContext, target: Target): Promise<void> {
  await t.step("db migrate applies 0001, a second run is a no-op", async () => {
    const first = await ingest(target, "db", "migrate");
    assertOk(first);
    assert.equal(
      first.stdout,
      "applied 0001_initial.sql\napplied 0002_backfill_checkpoints.sql\nschema at version 2\n",
    );
    const second = await ingest(target, "db", "migrate");
    assertOk(second);
    assert.equal(second.stdout, "schema up to date at version 2\n");
  });

  await t.step("symbol add, list and remove", async () => {
    const added = await ingest(target, "symbol", "add", "BTCUSD,ETHUSD", "--provider", "binance");
    assertOk(added);
    assert.equal(
      added.stdout,
      `added BTCUSD for binance on BINANCE, instrument id ${
        hashInstrumentId("BTCUSD", "BINANCE")
      }\n` +
        `added ETHUSD for binance on BINANCE, instrument id ${
          hashInstrumentId("ETHUSD", "BINANCE")
        }\n`,
    );
    assertOk(
      await ingest(
        target,
        "symbol",
        "add",
        "ESH5",
        "--provider",
        "databento",
        "--exchange",
        "CME",
        "--asset-type",
        "futures",
      ),
    );
    assertOk(
      await ingest(
        target,
        "symbol",
        "add",
        "--symbols",
        "BTCUSD",
        "--provider",
        "kraken",
        "--venue-symbol",
        "XBT/USD",
      ),
    );
    const listed = await ingest(target, "symbol", "list", "--json");
    assertOk(listed);
    const symbols = JSON.parse(listed.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      symbols.map((
        s,
      ) => [s.provider, s.symbol, s.exchange, s.venueSymbol ?? null, s.instrumentId ?? null]),
      [
        ["binance", "BTCUSD", "BINANCE", null, hashInstrumentId("BTCUSD", "BINANCE")],
        ["binance", "ETHUSD", "BINANCE", null, hashInstrumentId("ETHUSD", "BINANCE")],
        ["databento", "ESH5", "CME", null, null],
        ["kraken", "BTCUSD", "KRAKEN", "XBT/USD", hashInstrumentId("BTCUSD", "KRAKEN")],
      ],
    );
    const table = await ingest(target, "symbol", "list", "--provider", "kraken");
    assertOk(table);
    assert.match(table.stdout, /^PROVIDER +SYMBOL +EXCHANGE +VENUE SYMBOL/);
    assert.match(table.stdout, /\nkraken +BTCUSD +KRAKEN +XBT\/USD +crypto +\d+ +yes +\d{4}-/);

    const removed = await ingest(target, "symbol", "remove", "ETHUSD", "--provider", "binance");
    assertOk(removed);
    assert.equal(removed.stdout, "removed ETHUSD for binance\n");
    const again = await ingest(target, "symbol", "remove", "ETHUSD", "--provider", "binance");
    assert.equal(again.code, 1);
    assert.equal(again.stderr, "error: not registered for binance: ETHUSD\n");
    const binance = JSON.parse(
      (await ingest(target, "symbol", "list", "--provider", "binance", "--json")).stdout,
    );
    assert.deepEqual(binance.map((s: { symbol: string }) => s.symbol), ["BTCUSD"]);
  });

  await t.step(
    "db stats --json reports counts, ranges and partitions after ticks arrive",
    async () => {
      const empty = await ingest(target, "db", "stats");
      assertOk(empty);
      assert.match(empty.stdout, /no ticks stored/);
      const store = await openTargetStore(target);
      try {
        for (const day of DAYS) {
          const result = await batchInsert(store, [
            ...ticksOn(day, "BTCUSD", "BINANCE", 10),
            ...ticksOn(day, "ETHUSD", "KRAKEN", 5),
          ]);
          assert.equal(result.inserted, 15);
        }
      } finally {
        await store.close();
      }
      const json = await stats(target);
      assert.deepEqual(
        json.symbols.map((s) => [s.symbol, s.exchange, s.count, s.archivedCount]),
        [["BTCUSD", "BINANCE", 30, 0], ["ETHUSD", "KRAKEN", 15, 0]],
      );
      assert.equal(json.symbols[0]!.firstTs, String(dayStartNs("2024-01-01") + 3_600_000_000_000n));
      assert.equal(json.symbols[0]!.first, "2024-01-01T01:00:00.000000000Z");
      assert.deepEqual(json.partitions.map((p) => [p.day, p.rows]), DAYS.map((d) => [d, 15]));
      assert.ok(json.tables.some((t) => t.name === "tick_data"));
      assert.deepEqual(json.archives, []);
      const one = await stats(target, "--symbol", "ETHUSD");
      assert.deepEqual(one.symbols.map((s) => s.symbol), ["ETHUSD"]);
      const human = await ingest(target, "db", "stats");
      assertOk(human);
      assert.match(human.stdout, /Ticks \(2 symbols\)\nSYMBOL +EXCHANGE +TICKS +FIRST \(UTC\)/);
      assert.match(human.stdout, /\nBTCUSD +BINANCE +30 +2024-01-01T01:00:00\.000000000Z /);
    },
  );

  await t.step(
    "db compress --dry-run changes nothing; db compress archives the old days",
    async () => {
      const dry = await ingest(target, "db", "compress", "--older-than", "1", "--dry-run");
      assertOk(dry);
      assert.match(dry.stdout, /^would compress 2024-01-01: 2 slices, 15 rows\n/);
      assert.match(dry.stdout, /\ndry run: 2 days, 30 rows would move to /);
      assert.deepEqual((await stats(target)).archives, []);

      const real = await ingest(target, "db", "compress", "--older-than", "1");
      assertOk(real);
      assert.match(real.stdout, /^compressed 2024-01-01: 2 slices, 15 rows, /);
      assert.match(real.stdout, /\ncompressed 2 days: 30 rows into .* under .*archive\/ticks\n$/);
      const after = await stats(target);
      assert.deepEqual(
        after.symbols.map((s) => [s.symbol, s.count, s.archivedCount, s.archivedDays]),
        [["BTCUSD", 30, 20, 2], ["ETHUSD", 15, 10, 2]],
      );
      assert.deepEqual(after.partitions.map((p) => p.day), [TODAY]);
      assert.equal(after.archives.length, 4);
      const file = join(
        target.dataDir,
        "archive",
        "ticks",
        "2024",
        "01",
        "01",
        "BINANCE",
        "BTCUSD.trades.dbn.zst",
      );
      assert.ok((await Deno.stat(file)).size > 0);

      const nothing = await ingest(target, "db", "compress");
      assertOk(nothing);
      assert.equal(
        nothing.stdout,
        "nothing to compress: no day of tick_data is older than 30 days\n",
      );
    },
  );
}

Deno.test({
  name: "deno task ingest: migrate, symbols, stats and compress on the embedded database",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dataDir = await Deno.makeTempDir({ prefix: "ingest_cli_test_" });
    try {
      await session(t, { dataDir });
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "deno task ingest: migrate, symbols, stats and compress on Postgres",
  ignore: TEST_DATABASE_URL === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dataDir = await Deno.makeTempDir({ prefix: "ingest_cli_test_" });
    const database = await createEmptyPostgres();
    try {
      await session(t, { dataDir, databaseUrl: database.url });
    } finally {
      await database.drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test("deno task ingest: bad flags, commands and symbols fail with one line and exit 2", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ingest_cli_test_" });
  const target = { dataDir };
  try {
    const cases: [string[], RegExp][] = [
      [[], /^error: Missing command: serve, fetch, backfill, db or symbol/],
      [
        ["replay"],
        /^error: Unknown command "replay" \(expected serve, fetch, backfill, db or symbol\)$/,
      ],
      [["db", "vacuum"], /^error: Unknown command "db vacuum"/],
      [["db", "stats", "--bogus"], /^error: Unknown option "--bogus"$/],
      [["db", "stats", "--symbol", "btc/usd"], /^error: Invalid symbol "btc\/usd": expected 1-21/],
      [
        ["db", "compress", "--older-than", "soon"],
        /^error: Option "--older-than" expects an integer/,
      ],
      [["db", "migrate", "now"], /^error: Unexpected argument "now"/],
      [["symbol", "add", "btc-usd", "--provider", "binance"], /^error: Invalid symbol "btc-usd"/],
      [["symbol", "add", "BTCUSD"], /^error: Option "--provider" is required/],
      [
        ["symbol", "add", "BTCUSD", "--provider", "ftx"],
        new RegExp(`^error: Unknown provider "ftx": expected one of ${PROVIDERS.join(", ")}$`),
      ],
      [
        ["symbol", "add", "ESH5", "--provider", "databento"],
        /^error: Provider databento needs an exchange/,
      ],
      [
        ["symbol", "add", "BTCUSD", "--provider", "binance", "--exchange", "binance"],
        /^error: Invalid exchange "binance"/,
      ],
      [
        ["symbol", "add", "BTCUSD", "--provider", "binance", "--asset-type", "Crypto!"],
        /^error: Invalid asset type/,
      ],
      [
        ["symbol", "add", "A,B", "--provider", "binance", "--venue-symbol", "X"],
        /applies to one symbol/,
      ],
      [["symbol", "remove", "--provider", "binance"], /^error: Missing symbols/],
      [["symbol", "list", "--provider", "FTX"], /^error: Unknown provider "FTX"/],
      [
        ["symbol", "discover", "--provider", "databento"],
        /^error: Option "--provider" must be one of binance, kraken, kraken_futures/,
      ],
      [["serve", "--feeds", "trades,level3"], /^error: Unknown feed "level3"/],
      [["serve", "--symbols", "btc/usd"], /^error: Invalid symbol "btc\/usd"/],
      [["serve", "--ipc-symbols", "BTCUSD"], /^error: Option "--ipc-symbols" needs --ipc/],
      [["serve", "--provider", "databento"], /^error: Provider "databento" cannot stream live/],
      [["serve", "--provider", "replay"], /^error: Provider replay needs --replay PATH/],
      [["serve", "--duration", "soon"], /^error: Option "--duration" expects a time/],
      [["db", "stats", "--mode", "staging"], /^error: Option "--mode" must be one of/],
      [
        ["db", "stats", "-c", "config/app.toml"],
        /^error: Option "--config" expects a file named <mode>\.toml/,
      ],
    ];
    for (const [args, pattern] of cases) {
      assertOneLine(await ingest(target, ...args), 2, pattern);
    }
    // None of them created the embedded database: input is checked before the store is opened.
    assert.deepEqual([...Deno.readDirSync(dataDir)], []);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("deno task ingest: a database that is down is one line with the password masked, exit 1", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "ingest_cli_test_" });
  const target = { dataDir, databaseUrl: "postgres://u:secret@127.0.0.1:1/x" };
  try {
    for (const args of [["db", "migrate"], ["symbol", "list"], ["db", "stats", "--json"]]) {
      const run = await ingest(target, ...args);
      assertOneLine(run, 1, /^error: cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/);
      assert.ok(!run.stderr.includes("secret"), run.stderr);
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("config/schema.sql is exactly what `db schema` renders from the migrations", async () => {
  const expected = renderSchemaSql(await loadMigrations());
  assert.equal(
    await Deno.readTextFile(SCHEMA_SQL),
    expected,
    "config/schema.sql is stale: run deno task ingest db schema > config/schema.sql",
  );
  const dataDir = await Deno.makeTempDir({ prefix: "ingest_cli_test_" });
  try {
    const run = await ingest({ dataDir }, "db", "schema");
    assertOk(run);
    assert.equal(run.stdout, expected);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

async function hasPsql(): Promise<boolean> {
  try {
    return (await new Deno.Command("psql", { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

Deno.test({
  name: "config/schema.sql applied with psql leaves nothing for db migrate to apply",
  ignore: TEST_DATABASE_URL === undefined || !(await hasPsql()),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const database = await createEmptyPostgres();
    const dataDir = await Deno.makeTempDir({ prefix: "ingest_cli_test_" });
    try {
      const psql = await new Deno.Command("psql", {
        args: ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.url, "-f", SCHEMA_SQL],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(psql.success, new TextDecoder().decode(psql.stderr));
      const run = await ingest({ dataDir, databaseUrl: database.url }, "db", "migrate");
      assertOk(run);
      assert.equal(run.stdout, "schema up to date at version 2\n");
    } finally {
      await Deno.remove(dataDir, { recursive: true });
      await database.drop();
    }
  },
});
