// `backfill` end to end against the fake Databento server, on PGlite (and Postgres when
// DATABASE_URL is set): estimates equal the fake's, fetch records estimate and actual cost,
// refusals spend nothing, fill-gaps fetches exactly the holes, status and cost-report JSON.
import assert from "node:assert/strict";
import { UsageError } from "@shared/cli/mod.ts";
import { type AppConfig, loadConfig } from "@shared/config/mod.ts";
import { listBackfillJobs, TickRepository, updateBackfillJob } from "@shared/storage/mod.ts";
import { storeSuite, type TestStore } from "@shared/storage/testing.ts";
import { DatabentoError, DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import {
  FAKE_API_KEY,
  FakeDatabento,
  type SyntheticTradesOptions,
} from "../providers/databento/fake_server.ts";
import { backfillCommand } from "./backfill.ts";

const T0 = 1_709_251_200_000_000_000n; // 2024-03-01T00:00Z, a Friday, inside the Globex session
const SEC = 1_000_000_000n;
const MIN = 60n * SEC;
const END = T0 + 120n * MIN;
const PROVIDER_HOLE = { fromNs: T0 + 90n * MIN, toNs: T0 + 95n * MIN };
const ES: SyntheticTradesOptions = {
  dataset: "GLBX.MDP3",
  symbol: "ESH5",
  instrumentId: 42_005,
  startNs: T0,
  stepNs: SEC,
  count: 7200,
  holes: [PROVIDER_HOLE],
};
const ES_RECORDS = 7200 - 300;

function testConfig(dataDir: string, patch: (c: AppConfig) => void = () => {}): AppConfig {
  const config = structuredClone(loadConfig({ runMode: "test", env: {}, envFile: false }).config);
  config.database.data_dir = dataDir;
  patch(config);
  return config;
}

interface Harness {
  fake: FakeDatabento;
  client: DatabentoHistoricalClient;
  config: AppConfig;
  /** Runs `backfill <args>`, returns the exit code and the output. */
  run(args: string[], config?: AppConfig): Promise<{ code: number; out: string }>;
  /** Runs it with --json and parses the output. */
  json(args: string[]): Promise<Record<string, unknown>>;
  rangeRequests(): Record<string, string>[];
}

async function withHarness(store: TestStore, fn: (h: Harness) => Promise<void>): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "backfill_test_" });
  const fake = await FakeDatabento.start();
  fake.addSyntheticTrades(ES);
  const client = new DatabentoHistoricalClient({
    apiKey: FAKE_API_KEY,
    baseUrl: fake.url,
    retries: 1,
    retryBaseMs: 1,
  });
  const config = testConfig(dataDir);
  const run = async (args: string[], c = config) => {
    let out = "";
    const code = await backfillCommand(args, {
      config: c,
      store,
      client,
      write: (text) => out += text,
    });
    return { code, out };
  };
  const h: Harness = {
    fake,
    client,
    config,
    run,
    async json(args) {
      const { code, out } = await run([...args, "--json"]);
      assert.equal(code, 0, out);
      return JSON.parse(out);
    },
    rangeRequests: () => fake.requestsTo("timeseries.get_range").map((r) => r.params),
  };
  try {
    await fn(h);
  } finally {
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}

const REQUEST = ["--symbols", "ESH5", "--exchange", "CME"];
const range = (from: bigint, to: bigint) => ["--start", String(from), "--end", String(to)];

async function storedCount(store: TestStore, h: Harness): Promise<number> {
  const info = await TickRepository.forConfig(store, h.config.database).getDataInfo("ESH5");
  return info[0]?.count ?? 0;
}

storeSuite("backfill command", {
  "estimate prints the fake's record count, size and cost and writes no job": (store) =>
    withHarness(store, async (h) => {
      const params = {
        dataset: "GLBX.MDP3",
        schema: "trades",
        symbols: ["ESH5"],
        start: T0,
        end: END,
      };
      const e = await h.json(["estimate", ...REQUEST, ...range(T0, END)]);
      assert.equal(e.records, await h.client.getRecordCount(params));
      assert.equal(e.records, ES_RECORDS);
      assert.equal(e.bytes, await h.client.getBillableSize(params));
      assert.equal(e.costUsd, await h.client.getCost(params));
      const spend = e.spend as Record<string, unknown>;
      assert.equal(spend.allowed, true);
      assert.equal(spend.monthSpentUsd, "0");
      assert.equal((e.plan as Record<string, unknown>).dataset, "GLBX.MDP3");

      const text = await h.run(["estimate", ...REQUEST, ...range(T0, END), "--verbose"]);
      assert.match(text.out, /records: 6,900\n/);
      assert.match(text.out, /dataset: +GLBX\.MDP3/);
      assert.match(text.out, /spend limits: allowed \(\$5\.00 per job;/);
      assert.equal(h.rangeRequests().length, 0);
      assert.deepEqual(await listBackfillJobs(store), []);
    }),

  "fetch records the job with its estimate and actual cost, and does not fetch it twice": (
    store,
  ) =>
    withHarness(store, async (h) => {
      const { code, out } = await h.run(["fetch", ...REQUEST, ...range(T0, END), "--yes"]);
      assert.equal(code, 0, out);
      const cost = await h.client.getCost({
        dataset: "GLBX.MDP3",
        schema: "trades",
        symbols: ["ESH5"],
        start: T0,
        end: END,
      });
      const [job] = await listBackfillJobs(store);
      assert.equal(job?.status, "done");
      assert.equal(job?.kind, "backfill");
      assert.equal(job?.exchange, "CME");
      assert.equal(job?.estimatedCostUsd, cost);
      assert.equal(job?.actualCostUsd, cost);
      assert.equal(job?.recordCount, ES_RECORDS);
      assert.equal(job?.insertedCount, ES_RECORDS);
      assert.match(out, new RegExp(`job ${job!.id} done: 6,900 records, 6,900 inserted`));
      assert.equal(await storedCount(store, h), ES_RECORDS);
      assert.equal(h.rangeRequests().length, 1);

      const again = await h.run(["fetch", ...REQUEST, ...range(T0, END)]);
      assert.match(again.out, new RegExp(`already fetched by job ${job!.id}`));
      assert.equal(h.rangeRequests().length, 1);
    }),

  "a refused fetch downloads nothing and is recorded as a cancelled job": (store) =>
    withHarness(store, async (h) => {
      // 200M synthetic trades: 9.6 GB, $24 at $2.50/GB; test.toml allows $5 a job, $20 a month.
      const count = 200_000_000;
      const ms = 1_000_000n;
      h.fake.addSyntheticTrades({
        ...ES,
        symbol: "NQH5",
        instrumentId: 7,
        count,
        stepNs: ms,
        holes: [],
      });
      const big = ["--symbols", "NQH5", "--exchange", "CME", ...range(T0, T0 + BigInt(count) * ms)];
      await assert.rejects(
        () => h.run(["fetch", ...big, "--yes"]),
        (e: unknown) => {
          assert.ok(e instanceof UsageError);
          assert.match(
            e.message,
            /^Refused: estimated cost \$24\.00 is above the per-job limit of \$5\.00/,
          );
          assert.doesNotMatch(e.message, /\n/);
          return true;
        },
      );
      await assert.rejects(
        () => h.run(["fetch", ...big, "--max-cost", "30"]),
        /Refused: estimated cost \$24\.00 would bring \d{4}-\d{2} spend to \$24\.00 \(\$0\.00 so far\), above the monthly budget of \$20\.00/,
      );
      assert.equal(h.rangeRequests().length, 0);
      const jobs = await listBackfillJobs(store);
      assert.deepEqual(jobs.map((j) => [j.status, j.estimatedCostUsd]), [
        ["cancelled", "24"],
        ["cancelled", "24"],
      ]);
      assert.match(jobs[0]!.error!, /^Refused: .*monthly budget/);
      // The estimate alone reports the refusal and exits 0.
      const e = await h.json(["estimate", ...big]);
      assert.equal((e.spend as Record<string, unknown>).allowed, false);
      assert.equal((e.spend as Record<string, unknown>).code, "job_limit");
    }),

  "fill-gaps fetches exactly the hole ranges and a second run finds only the provider's hole": (
    store,
  ) =>
    withHarness(store, async (h) => {
      // Stored: [T0, T0+30m) and [T0+40m, END): a 10-minute hole, plus the provider's own hole.
      for (const [from, to] of [[T0, T0 + 30n * MIN], [T0 + 40n * MIN, END]] as const) {
        assert.equal((await h.run(["fetch", ...REQUEST, ...range(from, to), "--quiet"])).code, 0);
      }
      const seeded = h.rangeRequests().length;
      const holeA = { start: T0 + 30n * MIN - SEC + 1n, end: T0 + 40n * MIN };
      const holeB = { start: PROVIDER_HOLE.fromNs - SEC + 1n, end: PROVIDER_HOLE.toNs };

      const dry = await h.json([
        "fill-gaps",
        "--symbols",
        "ESH5,CLJ5",
        "--exchange",
        "CME",
        "--dry-run",
      ]);
      assert.deepEqual(dry.notes, [
        "CLJ5@CME: no stored ticks; give --start and --end to scan a range",
      ]);
      const gapsOf = (r: Record<string, unknown>) =>
        (r.symbols as { gaps: { startNs: string; endNs: string }[] }[])[0]!.gaps.map((
          g,
        ) => [g.startNs, g.endNs]);
      const expected = [[String(holeA.start), String(holeA.end)], [
        String(holeB.start),
        String(holeB.end),
      ]];
      assert.deepEqual(gapsOf(dry), expected);
      assert.equal((dry.estimate as Record<string, unknown>).records, 600);
      assert.equal(h.rangeRequests().length, seeded);

      const fill = await h.json(["fill-gaps", ...REQUEST, "--yes"]);
      assert.deepEqual(gapsOf(fill), expected);
      const requests = h.rangeRequests().slice(seeded);
      assert.deepEqual(requests.map((p) => [p.start, p.end]), expected);
      assert.deepEqual(
        (fill.filled as { records: number; inserted: number; status: string }[]).map((
          f,
        ) => [f.records, f.inserted, f.status]),
        [[600, 600, "done"], [0, 0, "done"]],
      );
      assert.equal(await storedCount(store, h), ES_RECORDS);
      const kinds = (await listBackfillJobs(store)).map((j) => j.kind);
      assert.deepEqual(kinds.filter((k) => k === "fill-gaps").length, 2);

      const second = await h.run(["fill-gaps", ...REQUEST, "--yes"]);
      assert.match(second.out, /ESH5@CME: 1 gap, /);
      assert.match(second.out, /0 records \(the provider has no data there; it stays a gap\)/);
      assert.deepEqual(
        h.rangeRequests().slice(seeded + 2).map((p) => [p.start, p.end]),
        [expected[1]],
      );
    }),

  "a refused fill-gaps fetches nothing and records each gap range as refused": (store) =>
    withHarness(store, async (h) => {
      for (const [from, to] of [[T0, T0 + 30n * MIN], [T0 + 40n * MIN, END]] as const) {
        assert.equal((await h.run(["fetch", ...REQUEST, ...range(from, to), "--quiet"])).code, 0);
      }
      const seeded = h.rangeRequests().length;
      await assert.rejects(
        () => h.run(["fill-gaps", ...REQUEST, "--max-cost", "0.00001", "--yes"]),
        /^UsageError: Refused: estimated cost \$0\.000072 is above the per-job limit of \$0\.00001 .*\(recorded as jobs \d+, \d+\)$/,
      );
      assert.equal(h.rangeRequests().length, seeded);
      const refused = (await listBackfillJobs(store)).filter((j) => j.kind === "fill-gaps");
      assert.deepEqual(refused.map((j) => [j.status, j.estimatedCostUsd]), [
        ["cancelled", "0"],
        ["cancelled", "0.000072"],
      ]);
    }),

  "fill-gaps over the futures halt finds nothing, and --all-hours finds the halt": (store) =>
    withHarness(store, async (h) => {
      // 2024-03-01 21:00Z-22:00Z is Friday's close; a Thursday halt: 2024-02-29 22:00Z-23:00Z.
      const thu = T0 - 3n * 3600n * SEC; // 21:00Z Thursday = 15:00 CST
      h.fake.addSyntheticTrades({
        ...ES,
        symbol: "ESM5",
        instrumentId: 8,
        startNs: thu,
        count: 4 * 3600,
        holes: [{ fromNs: thu + 3600n * SEC, toNs: thu + 7200n * SEC }],
      });
      const req = ["--symbols", "ESM5", "--exchange", "CME"];
      assert.equal((await h.run(["fetch", ...req, ...range(thu, thu + 4n * 3600n * SEC)])).code, 0);
      const inSessions = await h.json(["fill-gaps", ...req, "--dry-run"]);
      assert.deepEqual((inSessions.symbols as { gaps: unknown[] }[])[0]!.gaps, []);
      const allHours = await h.json(["fill-gaps", ...req, "--dry-run", "--all-hours"]);
      assert.equal((allHours.symbols as { gaps: unknown[] }[])[0]!.gaps.length, 1);
    }),

  "status and cost-report show jobs, counts, spend and refusals": (store) =>
    withHarness(store, async (h) => {
      await h.run(["fetch", ...REQUEST, ...range(T0, END), "--quiet"]);
      const tight = testConfig(h.config.database.data_dir, (c) => {
        c.backfill.max_job_cost_usd = "0.0000001";
      });
      await assert.rejects(
        () => h.run(["fetch", ...REQUEST, ...range(T0, T0 + MIN)], tight),
        /Refused/,
      );
      const [refused, done] = await listBackfillJobs(store);

      const status = await h.json(["status", "--detailed"]);
      assert.equal(status.total, 2);
      assert.deepEqual(status.counts, { pending: 0, running: 0, done: 1, failed: 0, cancelled: 1 });
      assert.equal(status.monthSpentUsd, done!.actualCostUsd);
      assert.equal((status.routing as { default_provider: string }).default_provider, "databento");
      assert.deepEqual((status.jobs as { id: number }[]).map((j) => j.id), [refused!.id, done!.id]);
      const text = await h.run(["status", "--detailed"]);
      assert.match(text.out, /2 jobs: 0 running, 0 failed, 1 done, 0 pending, 1 cancelled/);
      assert.match(text.out, /"futures@CME" = "GLBX\.MDP3"/);
      assert.match(text.out, new RegExp(`job ${refused!.id} \\(cancelled\\): Refused:`));

      const report = await h.json(["cost-report"]);
      const total = report.total as Record<string, unknown>;
      assert.equal(total.jobs, 2);
      assert.equal(total.refused, 1);
      assert.equal(total.actualUsd, done!.actualCostUsd);
      assert.equal(total.estimatedUsd, done!.estimatedCostUsd);
      assert.equal(total.records, ES_RECORDS);
      const table = await h.run(["cost-report"]);
      assert.match(table.out, /^By provider\nPROVIDER +JOBS/);
      assert.match(table.out, /databento +2 +1 +0 +1 +6,900/);
      const future = await h.run(["cost-report", "--since", "2999-01"]);
      assert.equal(future.out, "no backfill jobs since 2999-01\n");
    }),

  "a provider error fails the job with the API's one-line detail": (store) =>
    withHarness(store, async (h) => {
      h.fake.failNext("timeseries.get_range", 422, 1, "Invalid symbology for ESH5");
      await assert.rejects(
        () => h.run(["fetch", ...REQUEST, ...range(T0, END), "--quiet"]),
        (e: unknown) => e instanceof DatabentoError && /Invalid symbology/.test(e.message),
      );
      const [job] = await listBackfillJobs(store);
      assert.equal(job?.status, "failed");
      assert.match(job!.error!, /Invalid symbology/);
    }),

  "an unfinished fetch is resumed as the same job, its estimate counted once": (store) =>
    withHarness(store, async (h) => {
      h.fake.failNext("timeseries.get_range", 503, 2, "Service unavailable");
      await assert.rejects(() => h.run(["fetch", ...REQUEST, ...range(T0, END), "--quiet"]), /503/);
      const [failed] = await listBackfillJobs(store);
      assert.equal(failed?.status, "failed");
      // As if the process had crashed mid-download: the row stays running, its estimate counted
      // in this month's spend. Resuming it must not count that estimate a second time.
      await updateBackfillJob(store, failed!.id, { status: "running" });
      const oneJob = testConfig(h.config.database.data_dir, (c) => {
        c.backfill.monthly_budget_usd = failed!.estimatedCostUsd!;
      });
      const { code } = await h.run(["fetch", ...REQUEST, ...range(T0, END), "--quiet"], oneJob);
      assert.equal(code, 0);
      const jobs = await listBackfillJobs(store);
      assert.deepEqual(jobs.map((j) => [j.id, j.status]), [[failed!.id, "done"]]);
      assert.equal(await storedCount(store, h), ES_RECORDS);
    }),

  "bad flags and a missing API key are one-line usage errors": (store) =>
    withHarness(store, async (h) => {
      const cases: [string[], RegExp][] = [
        [["estimate", "--exchange", "CME", ...range(T0, END)], /"--symbols" is required/],
        [["fetch", ...REQUEST, ...range(T0, END), "--max-cost", "ten"], /"--max-cost" expects/],
        [["fill-gaps", ...REQUEST, "--start", "2024-03-01"], /both --start and --end/],
        [["fill-gaps", ...REQUEST, "--max-gap", "soon"], /"--max-gap" expects a time/],
        [["cost-report", "--since", "2024-3"], /expects a month YYYY-MM/],
        [["audit"], /Unknown command "backfill audit"/],
        [[], /Missing command/],
      ];
      for (const [args, message] of cases) {
        await assert.rejects(() => h.run(args), (e: unknown) => {
          assert.ok(e instanceof UsageError, `${args.join(" ")}: ${e}`);
          assert.match(e.message, message);
          return true;
        });
      }
      const noKey = testConfig(h.config.database.data_dir);
      let out = "";
      await assert.rejects(
        () =>
          backfillCommand(["estimate", ...REQUEST, ...range(T0, END)], {
            config: noKey,
            store,
            write: (t) => out += t,
          }),
        (e: unknown) => e instanceof UsageError && /DATABENTO_API_KEY/.test(e.message),
      );
      assert.equal(
        (await h.run(["--help"])).out.startsWith("Usage: deno task ingest backfill"),
        true,
      );
      assert.equal(out, "");
    }),
});
