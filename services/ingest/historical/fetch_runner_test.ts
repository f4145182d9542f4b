import assert from "node:assert/strict";
import { join } from "node:path";
import { readFixture } from "@shared/dbn/_fixtures.ts";
import { decodeDbn, type TradeMsg } from "@shared/dbn/mod.ts";
import {
  getBackfillJob,
  InstrumentRegistry,
  listBackfillJobs,
  TickRepository,
} from "@shared/storage/mod.ts";
import { storeSuite, type TestStore } from "@shared/storage/testing.ts";
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { FIXTURE_DIR as FIXTURE_URL } from "@shared/dbn/_fixtures.ts";
import { DatabentoError, DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { syntheticTrade } from "../providers/databento/fake_server.ts";
import { rangeParams, resolveFetchPlan } from "./fetch_plan.ts";
import { runFetch } from "./fetch_runner.ts";
import {
  esPlan,
  esTrades,
  expectedTick,
  fileRecords,
  startFake,
  storedTicks,
  testConfig,
} from "./testing.ts";

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function repoOf(store: TestStore, dir: string): TickRepository {
  return new TickRepository(store, join(dir, "archive"));
}

storeSuite("runFetch", {
  "stores synthetic trades as ticks, registers the instrument and records a done job": async (
    store,
  ) => {
    const series = esTrades(3000);
    const { fake, client } = await startFake(series);
    try {
      await withTemp(async (dir) => {
        const repo = repoOf(store, dir);
        const progress: number[] = [];
        const plan = esPlan(3000);
        const result = await runFetch(client, plan, { repo }, {
          store,
          batchSize: 500,
          onProgress: (p) => progress.push(p.records),
        });
        assert.deepEqual(
          [result.records, result.inserted, result.duplicates, result.notStored],
          [3000, 3000, 0, 0],
        );
        assert.ok(result.bytes > 0);
        assert.equal(progress.at(-1), 3000);
        const ticks = await storedTicks(repo);
        assert.equal(ticks.length, 3000);
        assert.deepEqual(ticks[0], expectedTick(series, 0, 42_005));
        assert.deepEqual(ticks[2999], expectedTick(series, 2999, 42_005));
        assert.deepEqual(
          ticks.map((t) => t.price),
          Array.from({ length: 3000 }, (_, i) => syntheticTrade(series, i).price),
        );
        const instrument = await new InstrumentRegistry(store).get("ESH5", "CME");
        assert.deepEqual(
          [instrument?.instrumentId, instrument?.source, instrument?.assetType],
          [42_005, "databento", "futures"],
        );
        const job = await getBackfillJob(store, result.jobId!);
        assert.deepEqual(
          [job?.status, job?.kind, job?.exchange, job?.recordCount, job?.insertedCount],
          ["done", "fetch", "CME", 3000, 3000],
        );
        assert.equal(job?.actualCostUsd, await client.getCost(rangeParams(plan)));
        assert.equal(fake.requestsTo("timeseries.get_range").length, 1);
      });
    } finally {
      await fake.close();
    }
  },

  "a second fetch of the same range stores nothing new: every trade is a duplicate": async (
    store,
  ) => {
    const { fake, client } = await startFake(esTrades(800));
    try {
      await withTemp(async (dir) => {
        const repo = repoOf(store, dir);
        const first = await runFetch(client, esPlan(800), { repo }, { store, batchSize: 300 });
        const again = await runFetch(client, esPlan(800), { repo }, {
          store,
          batchSize: 300,
          fresh: true,
        });
        assert.notEqual(again.jobId, first.jobId);
        assert.deepEqual([again.records, again.inserted, again.duplicates], [800, 0, 800]);
        assert.equal((await storedTicks(repo)).length, 800);
        assert.deepEqual((await listBackfillJobs(store)).map((j) => j.status), ["done", "done"]);
      });
    } finally {
      await fake.close();
    }
  },

  "a fixture's trades are stored under the requested raw symbol": async (store) => {
    const { fake, client } = await startFake();
    try {
      await fake.addFile(new URL("test_data.trades.v3.dbn.zst", FIXTURE_URL));
      await withTemp(async (dir) => {
        const repo = repoOf(store, dir);
        const plan = resolveFetchPlan(testConfig(), {
          symbols: ["ESH1"],
          exchange: "CME",
          start: "2020-12-28",
          end: "2020-12-29",
        });
        const result = await runFetch(client, plan, { repo }, { store });
        const records = decodeDbn(readFixture("test_data.trades.v3.dbn.zst").bytes)
          .records as TradeMsg[];
        assert.equal(result.inserted, records.length);
        const ticks = await storedTicks(repo, "ESH1");
        assert.deepEqual(
          ticks.map((
            t,
          ) => [t.tsEvent, t.tsRecv, t.price, t.size, t.side, t.sequence, t.instrumentId]),
          records.map((r) => [r.tsEvent, r.tsRecv, r.price, r.size, r.side, r.sequence, 5482]),
        );
      });
    } finally {
      await fake.close();
    }
  },

  "-o writes the served records and metadata; --no-store writes only the file": async (store) => {
    const series = esTrades(2500);
    const { fake, client } = await startFake(series);
    try {
      await withTemp(async (dir) => {
        const repo = repoOf(store, dir);
        const both = join(dir, "es.dbn.zst");
        const r1 = await runFetch(client, esPlan(2500), { repo, outPath: both }, {
          store,
          batchSize: 700,
        });
        assert.deepEqual([r1.records, r1.inserted, r1.outPath], [2500, 2500, both]);
        const expected = Array.from({ length: 2500 }, (_, i) => syntheticTrade(series, i));
        assert.deepEqual(await fileRecords(both), expected);
        const served = await client.getRange(rangeParams(esPlan(2500)));
        await served.cancel();
        const written = await openDbn(both);
        assert.deepEqual(written.metadata, served.reader.metadata);
        assert.equal(written.version, served.reader.version);
        await written.close();
        const fileOnly = join(dir, "es.dbn");
        const r2 = await runFetch(client, esPlan(2500), { outPath: fileOnly }, {
          store,
          checkpointBytes: 10_000,
        });
        assert.deepEqual([r2.records, r2.inserted], [2500, 0]);
        assert.deepEqual(await fileRecords(fileOnly), expected);
        const job = await getBackfillJob(store, r2.jobId!);
        assert.deepEqual([job?.storeTicks, job?.outputPath, job?.status], [
          false,
          fileOnly,
          "done",
        ]);
        await assert.rejects(Deno.stat(`${fileOnly}.partial.json`), Deno.errors.NotFound);
        // Any schema goes to a file.
        const ohlcv = join(dir, "ohlcv.dbn.zst");
        await fake.addFile(new URL("test_data.ohlcv-1m.v3.dbn.zst", FIXTURE_URL));
        const plan = resolveFetchPlan(testConfig(), {
          symbols: ["ESH1"],
          exchange: "CME",
          start: "2020-12-28",
          end: "2020-12-29",
          schema: "ohlcv-1m",
        });
        const r3 = await runFetch(client, plan, { outPath: ohlcv }, { store });
        const fixture = decodeDbn(readFixture("test_data.ohlcv-1m.v3.dbn.zst").bytes);
        assert.equal(r3.records, fixture.records.length);
        assert.deepEqual(await fileRecords(ohlcv), fixture.records);
      });
    } finally {
      await fake.close();
    }
  },

  "a 401 or 422 fails at once with the API's detail and leaves the job failed": async (store) => {
    const { fake, client } = await startFake(esTrades(100));
    try {
      await withTemp(async (dir) => {
        const repo = repoOf(store, dir);
        const wrongKey = new DatabentoHistoricalClient({
          apiKey: "db-WrongKeyWrongKeyWrongKey00000",
          baseUrl: fake.url,
          retryBaseMs: 1,
        });
        const unauthorized = await runFetch(wrongKey, esPlan(100), { repo }, { store }).then(
          () => assert.fail("expected a 401"),
          (e) => e,
        );
        assert.ok(unauthorized instanceof DatabentoError);
        assert.equal(unauthorized.code, "unauthorized");
        assert.match(unauthorized.message, /^Databento 401 .*Authentication failed/);
        assert.ok(!unauthorized.message.includes("WrongKey"));
        fake.failNext("timeseries.get_range", 422, 1, {
          case: "symbology_invalid_request",
          message: "Invalid symbol ESH5 for dataset GLBX.MDP3.",
          docs: "https://databento.com/docs",
        });
        await assert.rejects(
          runFetch(client, esPlan(100), { repo }, { store }),
          (e: unknown) => {
            assert.ok(e instanceof DatabentoError);
            assert.equal(e.code, "invalid_request");
            assert.match(
              e.message,
              /^Databento 422 .*Invalid symbol ESH5 for dataset GLBX\.MDP3\./,
            );
            assert.ok(!e.message.includes("\n"));
            return true;
          },
        );
        const jobs = await listBackfillJobs(store);
        assert.deepEqual(jobs.map((j) => j.status), ["failed"]);
        assert.match(jobs[0]!.error ?? "", /Databento 422/);
        assert.equal(fake.requestsTo("timeseries.get_range").length, 2);
        assert.equal((await storedTicks(repo)).length, 0);
      });
    } finally {
      await fake.close();
    }
  },
});
