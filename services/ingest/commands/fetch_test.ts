/**
 * `fetch` end to end: fetchCommand() on config/test.toml pointed at a fake Databento and a temp
 * data directory (PGlite), or a fresh Postgres database when DATABASE_URL is set; and one run as
 * a child process stopped with a real SIGINT. The environment is never changed (test files run
 * in parallel in one process).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runMain, UsageError } from "@shared/cli/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import {
  getBackfillJob,
  listBackfillJobs,
  openPgliteStore,
  openPostgresStore,
  type Store,
  TickRepository,
} from "@shared/storage/mod.ts";
import { openFreshPostgres, TEST_DATABASE_URL } from "@shared/storage/testing.ts";
import { DatabentoError, DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { FAKE_API_KEY, FakeDatabento, syntheticTrade } from "../providers/databento/fake_server.ts";
import { rangeParams, resolveFetchPlan } from "../historical/mod.ts";
import {
  esTrades,
  fileRecords,
  SECOND,
  storedTicks,
  T0,
  testConfig,
} from "../historical/testing.ts";
import { EXIT_INTERRUPTED, fetchCommand, type FetchCommandOptions } from "./fetch.ts";
import { backfillCommand } from "./backfill.ts";

const COUNT = 3000;
const NQ_COUNT = 20_000;
const SERIES = esTrades(COUNT);
const RANGE = ["--start", String(T0), "--end", String(T0 + BigInt(COUNT) * SECOND)];
const ES = ["--symbols", "ESH5", "--exchange", "CME", ...RANGE];

interface Env {
  dataDir: string;
  fake: FakeDatabento;
  databaseUrl?: string;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** config/test.toml aimed at the fake and the test's database, then `patch`. */
function configOf(env: Env, patch: (c: AppConfig) => void = () => {}): AppConfig {
  return testConfig((c) => {
    c.database.data_dir = env.dataDir;
    c.database.url = env.databaseUrl;
    c.databento.api_key = FAKE_API_KEY;
    c.databento.hist_url = env.fake.url;
    patch(c);
  });
}

async function fetch(
  env: Env,
  args: string[],
  options: FetchCommandOptions & { patch?: (c: AppConfig) => void } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await fetchCommand(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTerminal: false,
    config: configOf(env, options.patch),
    ...options,
  });
  return { code, stdout, stderr };
}

async function inStore<T>(env: Env, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = env.databaseUrl === undefined
    ? await openPgliteStore(join(env.dataDir, "pglite"))
    : await openPostgresStore(env.databaseUrl, { maxConnections: 2 });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function ranges(fake: FakeDatabento): number {
  return fake.requestsTo("timeseries.get_range").length;
}

const BACKENDS = [
  { name: "pglite", ignore: false },
  { name: "postgres", ignore: TEST_DATABASE_URL === undefined },
];

for (const backend of BACKENDS) {
  Deno.test({
    name: `fetch command (${backend.name})`,
    ignore: backend.ignore,
    async fn(t) {
      const fake = await FakeDatabento.start();
      fake.addSyntheticTrades(SERIES);
      fake.addSyntheticTrades({ ...esTrades(NQ_COUNT), symbol: "NQH5", instrumentId: 42_006 });
      const dataDir = await Deno.makeTempDir();
      const postgres = backend.name === "postgres" ? await openFreshPostgres() : undefined;
      const env: Env = { dataDir, fake, databaseUrl: postgres?.url };
      try {
        await t.step("stores the trades, then knows the fetch is done", async () => {
          const run = await fetch(env, ES);
          assert.equal(run.code, 0, run.stderr);
          assert.match(
            run.stdout,
            /^fetched 3,000 records \(\d+(\.\d)? [KM]?i?B received\) in \d+\.\d s; 3,000 inserted, 0 duplicates; job 1\n$/,
          );
          await inStore(env, async (store) => {
            const repo = new TickRepository(store, join(dataDir, "archive"));
            const ticks = await storedTicks(repo);
            assert.equal(ticks.length, COUNT);
            assert.equal(ticks[1234]!.price, syntheticTrade(SERIES, 1234).price);
            assert.equal((await getBackfillJob(store, 1))?.status, "done");
          });
          const before = ranges(fake);
          const again = await fetch(env, ES);
          assert.equal(again.code, 0);
          assert.equal(
            again.stdout,
            "already fetched: job 1 (3,000 records, 3,000 inserted); pass --force to fetch again\n",
          );
          assert.equal(ranges(fake), before);
          const forced = await fetch(env, [...ES, "--force"]);
          assert.equal(forced.code, 0, forced.stderr);
          assert.match(forced.stdout, /; 0 inserted, 3,000 duplicates; job 2\n$/);
        });

        await t.step("writes -o FILE with --no-store; refuses to overwrite a file", async () => {
          const out = join(dataDir, "es.dbn.zst");
          const run = await fetch(env, [...ES, "-o", out, "--no-store"]);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, new RegExp(`; file ${out}; job 3\\n$`));
          assert.doesNotMatch(run.stdout, /inserted/);
          assert.deepEqual(
            await fileRecords(out),
            Array.from({ length: COUNT }, (_, i) => syntheticTrade(SERIES, i)),
          );
          const other = join(dataDir, "other.dbn");
          await Deno.writeTextFile(other, "not mine");
          await assert.rejects(
            fetch(env, [...ES, "--end", String(T0 + 10n * SECOND), "-o", other]),
            /Output file ".*other\.dbn" exists; pass --force to overwrite it/,
          );
        });

        await t.step("--dry-run prints the plan and the estimate and fetches nothing", async () => {
          const before = ranges(fake);
          const run = await fetch(env, [...ES, "--dry-run", "--verbose"]);
          assert.equal(run.code, 0, run.stderr);
          const client = new DatabentoHistoricalClient({ apiKey: FAKE_API_KEY, baseUrl: fake.url });
          const plan = resolveFetchPlan(testConfig(), {
            symbols: ["ESH5"],
            exchange: "CME",
            start: RANGE[1]!,
            end: RANGE[3]!,
          });
          const usd = await client.getCost(rangeParams(plan));
          const lines = run.stdout.trimEnd().split("\n");
          assert.equal(lines[0], "symbols:    ESH5");
          assert.match(run.stdout, /^provider: {3}databento \(routing tier asset_type\)$/m);
          assert.match(
            run.stdout,
            /^plan: ESH5 on CME -> databento GLBX\.MDP3 trades, 2024-03-01T00:00:00Z \.\. 2024-03-01T00:50:00Z$/m,
          );
          assert.equal(lines.at(-2), `estimate: 3,000 records, 140.6 KiB billable, $${usd}`);
          assert.equal(lines.at(-1), "dry run: nothing fetched");
          assert.equal(ranges(fake), before);
          const requests = fake.requests.length;
          const keyless = await fetch(env, [...ES, "--dry-run"], {
            patch: (c) => (c.databento.api_key = undefined),
          });
          assert.equal(keyless.code, 0);
          assert.match(keyless.stdout, /estimate skipped: DATABENTO_API_KEY is not set/);
          assert.equal(fake.requests.length, requests);
        });

        await t.step(
          "a fetch estimated above the spend limit is refused before anything is spent",
          async () => {
            const before = ranges(fake);
            const jobs = await inStore(
              env,
              async (store) => (await listBackfillJobs(store)).length,
            );
            const args = [...ES, "--end", String(T0 + 200n * SECOND)];
            await assert.rejects(
              fetch(env, args, { patch: (c) => (c.backfill.max_job_cost_usd = "0.0000000001") }),
              /nothing was fetched$/,
            );
            await assert.rejects(fetch(env, [...args, "--max-cost", "cheap"]), /--max-cost/);
            assert.equal(ranges(fake), before);
            assert.equal(
              await inStore(env, async (store) => (await listBackfillJobs(store)).length),
              jobs,
            );
            // A backfill job refused for the same request is recorded; fetch must not resume it.
            const tight = (c: AppConfig) => (c.backfill.max_job_cost_usd = "0.0000000001");
            await assert.rejects(
              backfillCommand(["fetch", ...args, "--yes"], {
                config: configOf(env, tight),
                write: () => {},
              }),
              /Refused: .*\(recorded as job \d+\)$/,
            );
            await assert.rejects(fetch(env, args, { patch: tight }), /nothing was fetched$/);
            assert.equal(ranges(fake), before);
            const allowed = await fetch(env, [...args, "--max-cost", "1"], {
              patch: (c) => (c.backfill.max_job_cost_usd = "0.0000000001"),
            });
            assert.equal(allowed.code, 0, allowed.stderr);
            assert.equal(ranges(fake), before + 1);
            assert.equal(allowed.stdout.includes("resuming"), false, allowed.stdout);
          },
        );

        await t.step("a cut download fails resumable; the same command resumes it", async () => {
          const end = String(T0 + BigInt(NQ_COUNT) * SECOND);
          const nq = [
            "--symbols",
            "NQH5",
            "--exchange",
            "CME",
            "--start",
            String(T0),
            "--end",
            end,
          ];
          const client = new DatabentoHistoricalClient({ apiKey: FAKE_API_KEY, baseUrl: fake.url });
          const plan = resolveFetchPlan(testConfig(), {
            symbols: ["NQH5"],
            exchange: "CME",
            start: String(T0),
            end,
          });
          const response = await client.getRange(rangeParams(plan));
          for await (const _ of response.reader.batches()) { /* drain */ }
          fake.cutNextRangeAfter(Math.floor(response.bytesReceived() / 2));
          const before = ranges(fake);
          const cut = await fetch(env, nq, { patch: (c) => (c.databento.retries = 0) })
            .then(() => assert.fail("expected the cut to fail"), (e) => e);
          assert.ok(cut instanceof DatabentoError, String(cut));
          assert.equal(cut.code, "stream_interrupted");
          const job = await inStore(env, async (store) => (await listBackfillJobs(store))[0]!);
          assert.equal(job.status, "failed");
          assert.ok(job.checkpointNs !== undefined && job.recordCount > 0, `${job.recordCount}`);
          const resumed = await fetch(env, nq);
          assert.equal(resumed.code, 0, resumed.stderr);
          const lines = resumed.stdout.trimEnd().split("\n");
          assert.match(
            lines[0]!,
            new RegExp(
              `^resuming job ${job.id} from 2024-03-01T\\S+Z \\(${
                job.recordCount.toLocaleString("en-US")
              } records already stored\\)$`,
            ),
          );
          assert.match(
            lines[1]!,
            new RegExp(`^fetched 20,000 records .*; 20,000 inserted, 0 duplicates; job ${job.id}$`),
          );
          const starts = fake.requestsTo("timeseries.get_range").slice(before).map((r) =>
            r.params.start
          );
          assert.deepEqual(starts, [String(T0), String(job.checkpointNs)]);
          await inStore(env, async (store) => {
            const repo = new TickRepository(store, join(dataDir, "archive"));
            assert.equal((await storedTicks(repo, "NQH5")).length, NQ_COUNT);
          });
        });

        await t.step("an interrupted fetch exits 130 and leaves the job resumable", async () => {
          const stop = new AbortController();
          stop.abort();
          const args = [...ES, "--end", String(T0 + 100n * SECOND)];
          const run = await fetch(env, args, { signal: stop.signal });
          assert.equal(run.code, EXIT_INTERRUPTED, run.stdout + run.stderr);
          assert.match(run.stderr, /^interrupted: 0 records stored; job \d+ is left resumable/m);
          const job = await inStore(env, async (store) => (await listBackfillJobs(store))[0]!);
          assert.equal(job.status, "cancelled");
          const again = await fetch(env, args);
          assert.equal(again.code, 0, again.stderr);
          // The first step stored these ticks already.
          assert.match(again.stdout, new RegExp(`; 0 inserted, 100 duplicates; job ${job.id}\\n$`));
        });

        await t.step("bad input and API errors are one line with the right exit code", async () => {
          const usage = async (args: string[], pattern: RegExp, patch?: (c: AppConfig) => void) => {
            const error = await fetch(env, args, { patch })
              .then(() => assert.fail(`expected a UsageError for ${args.join(" ")}`), (e) => e);
            assert.ok(error instanceof UsageError, String(error));
            assert.match(error.message, pattern);
          };
          await usage(["--exchange", "CME", ...RANGE], /^Option "--symbols" is required$/);
          await usage([...ES, "--start", "2024-13-01"], /^Option "--start" expects YYYY-MM-DD/);
          await usage([...ES, "--schema", "quotes"], /^Unknown schema "quotes"/);
          await usage([...ES, "--schema", "mbo"], /^The database stores trades only/);
          await usage(ES, /^No Databento API key: set DATABENTO_API_KEY/, (c) => {
            c.databento.api_key = undefined;
          });
          const lines: string[] = [];
          let exitCode = -1;
          const config = configOf(
            env,
            (c) => (c.databento.api_key = "db-WrongKeyWrongKeyWrong0000000"),
          );
          await runMain(() => fetchCommand([...ES, "--force"], { stdout: () => {}, config }), {
            args: [],
            exit: (code) => (exitCode = code),
            writeError: (line) => lines.push(line),
          });
          assert.equal(exitCode, 1);
          assert.equal(lines.length, 1);
          assert.match(
            lines[0]!,
            /^error: Databento 401 Unauthorized on metadata\.get_record_count: .*check DATABENTO_API_KEY/,
          );
          assert.doesNotMatch(lines[0]!, /WrongKey/);
        });
      } finally {
        await fake.close();
        await postgres?.close();
        await Deno.remove(dataDir, { recursive: true });
      }
    },
  });
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MAIN = `import { runMain } from "@shared/cli/mod.ts";
import { fetchCommand } from "@services/ingest/commands/fetch.ts";
await runMain((args: string[]) => fetchCommand(args));`;

/** `fetch` in a child process (as `deno task ingest fetch` runs it), on PGlite under `dataDir`. */
function spawnFetch(dataDir: string, histUrl: string, args: string[]): Deno.ChildProcess {
  const env: Record<string, string> = {
    NO_COLOR: "1",
    RUN_MODE: "test",
    TRADING__DATABASE__DATA_DIR: dataDir,
    DATABENTO_API_KEY: FAKE_API_KEY,
    DATABENTO_HIST_URL: histUrl,
  };
  for (const name of ["HOME", "PATH", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", "--config", `${ROOT}deno.json`, MAIN, "--", ...args],
    cwd: dataDir,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** The child's output once it exits (killed after 60 s so that a hang fails the test). */
async function outputOf(child: Deno.ChildProcess): Promise<Run> {
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const output = await child.output().finally(() => clearTimeout(timer));
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * A TCP proxy in front of the fake that passes each connection's first `budget` response bytes
 * and then stalls it: a download that is surely in progress when the test sends SIGINT.
 */
class StallingProxy {
  readonly url: string;
  /** Most response bytes passed on one connection. */
  forwarded = 0;
  readonly #listener: Deno.TcpListener;
  readonly #conns = new Set<Deno.Conn>();
  readonly #tasks: Promise<unknown>[] = [];

  constructor(targetPort: number, budget: number) {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.url = `http://127.0.0.1:${this.#listener.addr.port}`;
    this.#tasks.push(this.#accept(targetPort, budget));
  }

  async #accept(targetPort: number, budget: number): Promise<void> {
    try {
      for await (const client of this.#listener) {
        const upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
        this.#conns.add(client).add(upstream);
        this.#tasks.push(client.readable.pipeTo(upstream.writable).catch(() => {}));
        this.#tasks.push(this.#forward(upstream, client, budget).catch(() => {}));
      }
    } catch {
      // listener closed
    }
  }

  async #forward(from: Deno.Conn, to: Deno.Conn, budget: number): Promise<void> {
    const writer = to.writable.getWriter();
    let sent = 0;
    try {
      for await (const chunk of from.readable) {
        const part = chunk.subarray(0, Math.max(0, budget - sent));
        if (part.length > 0) await writer.write(part);
        sent += part.length;
        this.forwarded = Math.max(this.forwarded, sent);
        if (sent >= budget) return; // stall: read no more, send no more
      }
    } finally {
      writer.releaseLock();
    }
  }

  async close(): Promise<void> {
    this.#listener.close();
    for (const conn of this.#conns) {
      try {
        conn.close();
      } catch {
        // closed already
      }
    }
    await Promise.allSettled(this.#tasks);
  }
}

Deno.test("fetch in a child process: SIGINT exits 130, the same command resumes", async () => {
  const count = 100_000;
  const series = { ...esTrades(count), stepNs: 1_000_000n };
  const fake = await FakeDatabento.start();
  fake.addSyntheticTrades(series);
  const proxy = new StallingProxy(Number(new URL(fake.url).port), 200_000);
  const dataDir = await Deno.makeTempDir();
  const args = [
    "--symbols",
    "ESH5",
    "--exchange",
    "CME",
    "--start",
    String(T0),
    "--end",
    String(T0 + BigInt(count) * 1_000_000n),
  ];
  try {
    const child = spawnFetch(dataDir, proxy.url, args);
    for (let i = 0; i < 600 && proxy.forwarded < 200_000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(proxy.forwarded, 200_000, "the download never reached the stall");
    child.kill("SIGINT");
    const first = await outputOf(child);
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /^interrupted: [\d,]+ records stored; job 1 is left resumable/m);
    const job = await inStore(
      { dataDir, fake },
      async (store) => (await getBackfillJob(store, 1))!,
    );
    assert.equal(job.status, "cancelled");
    const before = ranges(fake);
    const second = await outputOf(spawnFetch(dataDir, fake.url, args));
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      /fetched 100,000 records .*; 100,000 inserted, 0 duplicates; job 1\n$/,
    );
    const start = job.checkpointNs === undefined ? T0 : job.checkpointNs;
    assert.deepEqual(
      fake.requestsTo("timeseries.get_range").slice(before).map((r) => r.params.start),
      [
        String(start),
      ],
    );
  } finally {
    await proxy.close();
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
