import assert from "node:assert/strict";
import { join } from "node:path";
import { readFixture } from "@shared/dbn/_fixtures.ts";
import { decodeDbn, encodeDbn, type TradeMsg } from "@shared/dbn/mod.ts";
import {
  getBackfillJob,
  listBackfillJobs,
  TickRepository,
  updateBackfillJob,
} from "@shared/storage/mod.ts";
import { storeSuite } from "@shared/storage/testing.ts";
import { type DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { type FakeDatabento, syntheticTrade } from "../providers/databento/fake_server.ts";
import { type FetchPlan, rangeParams, resolveFetchPlan } from "./fetch_plan.ts";
import { FetchInterruptedError, runFetch } from "./fetch_runner.ts";
import {
  esPlan,
  esTrades,
  expectedTick,
  fileRecords,
  SECOND,
  startFake,
  storedTicks,
  T0,
  testConfig,
} from "./testing.ts";

const COUNT = 6000;
const GROUPED = 12_000;
const SERIES = esTrades(COUNT);
const ALL = Array.from({ length: COUNT }, (_, i) => syntheticTrade(SERIES, i));

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Compressed size of the whole get_range body of `plan`. */
async function bodySize(client: DatabentoHistoricalClient, plan: FetchPlan): Promise<number> {
  const response = await client.getRange(rangeParams(plan));
  for await (const _ of response.reader.batches()) { /* drain */ }
  return response.bytesReceived();
}

function rangeStarts(fake: FakeDatabento, from = 0): string[] {
  return fake.requestsTo("timeseries.get_range").slice(from).map((r) => r.params.start!);
}

/** An AbortController that aborts once `records` have been handled. */
function abortAfter(records: number) {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onProgress: (p: { records: number }) => {
      if (p.records >= records) controller.abort();
    },
  };
}

storeSuite("runFetch resume", {
  "a cut stream is downloaded again from the checkpoint and every trade is stored once": async (
    store,
  ) => {
    const { fake, client } = await startFake(SERIES);
    try {
      await withTemp(async (dir) => {
        const repo = new TickRepository(store, join(dir, "archive"));
        const out = join(dir, "es.dbn.zst");
        const size = await bodySize(client, esPlan(COUNT));
        const before = fake.requestsTo("timeseries.get_range").length;
        fake.cutNextRangeAfter(Math.floor(size / 2));
        const result = await runFetch(client, esPlan(COUNT), { repo, outPath: out }, {
          store,
          batchSize: 500,
          retryDelayMs: 1,
        });
        const starts = rangeStarts(fake, before);
        assert.equal(starts.length, 2);
        assert.equal(starts[0], String(T0));
        const resumedAt = BigInt(starts[1]!);
        assert.ok(resumedAt > T0 && (resumedAt - T0) % SECOND === 0n, `resumed at ${resumedAt}`);
        assert.deepEqual(
          [result.records, result.inserted, result.duplicates],
          [COUNT, COUNT, 0],
        );
        const ticks = await storedTicks(repo);
        assert.equal(ticks.length, COUNT);
        assert.deepEqual(ticks.at(-1), expectedTick(SERIES, COUNT - 1, 42_005));
        assert.deepEqual(await fileRecords(out), ALL);
        assert.equal((await getBackfillJob(store, result.jobId!))?.status, "done");
      });
    } finally {
      await fake.close();
    }
  },

  "an aborted fetch is cancelled at its checkpoint and the same fetch again resumes it": async (
    store,
  ) => {
    const { fake, client } = await startFake(SERIES);
    try {
      await withTemp(async (dir) => {
        const repo = new TickRepository(store, join(dir, "archive"));
        const stop = abortAfter(1);
        const error = await runFetch(client, esPlan(COUNT), { repo }, {
          store,
          batchSize: 500,
          ...stop,
        }).then(() => assert.fail("expected an interruption"), (e) => e);
        assert.ok(error instanceof FetchInterruptedError, String(error));
        const job = await getBackfillJob(store, error.result.jobId!);
        assert.equal(job?.status, "cancelled");
        assert.ok(job?.checkpointNs !== undefined);
        assert.ok(job.recordCount > 0 && job.recordCount < COUNT, `${job.recordCount}`);
        assert.equal(error.result.records, job.recordCount);
        assert.equal((await storedTicks(repo)).length, job.recordCount);

        // A crash leaves the job running: it is resumed all the same.
        await updateBackfillJob(store, job.id, { status: "running" });
        const resumes: { jobId?: number; fromNs: bigint; records: number }[] = [];
        const result = await runFetch(client, esPlan(COUNT), { repo }, {
          store,
          batchSize: 500,
          onResume: (info) => resumes.push(info),
        });
        assert.deepEqual(resumes, [{
          jobId: job.id,
          fromNs: job.checkpointNs,
          records: job.recordCount,
        }]);
        assert.deepEqual(rangeStarts(fake), [String(T0), String(job.checkpointNs)]);
        assert.equal(result.jobId, job.id);
        assert.deepEqual(
          [result.records, result.inserted, result.duplicates, result.resumedFromNs],
          [COUNT, COUNT, 0, job.checkpointNs],
        );
        const ticks = await storedTicks(repo);
        assert.equal(ticks.length, COUNT);
        assert.deepEqual(ticks.map((t) => t.price), ALL.map((r) => r.price));
        assert.deepEqual((await listBackfillJobs(store)).map((j) => j.status), ["done"]);
      });
    } finally {
      await fake.close();
    }
  },

  "an aborted file download resumes from its checkpoint, with and without a job row": async (
    store,
  ) => {
    const { fake, client } = await startFake(SERIES);
    try {
      await withTemp(async (dir) => {
        for (const [name, withStore] of [["job.dbn.zst", true], ["alone.dbn", false]] as const) {
          const out = join(dir, name);
          const before = fake.requestsTo("timeseries.get_range").length;
          const options = withStore
            ? { store, checkpointBytes: 20_000 }
            : { checkpointBytes: 20_000 };
          const error = await runFetch(client, esPlan(COUNT), { outPath: out }, {
            ...options,
            ...abortAfter(2000),
          }).then(() => assert.fail("expected an interruption"), (e) => e);
          assert.ok(error instanceof FetchInterruptedError, String(error));
          const sidecar = JSON.parse(await Deno.readTextFile(`${out}.partial.json`));
          assert.ok(sidecar.records >= 2000 && sidecar.records < COUNT, `${sidecar.records}`);
          const result = await runFetch(client, esPlan(COUNT), { outPath: out }, options);
          assert.deepEqual(rangeStarts(fake, before), [String(T0), sidecar.checkpointNs]);
          assert.equal(result.records, COUNT);
          assert.equal(result.resumedRecords, sidecar.records);
          assert.deepEqual(await fileRecords(out), ALL);
        }
      });
    } finally {
      await fake.close();
    }
  },

  "a file ahead of its job row (crash between sidecar and job update) gets no record twice": async (
    store,
  ) => {
    const { fake, client } = await startFake(esTrades(COUNT));
    try {
      await withTemp(async (dir) => {
        const repo = new TickRepository(store, join(dir, "archive"));
        const out = join(dir, "es.dbn.zst");
        const stop = new AbortController();
        const error = await runFetch(client, esPlan(COUNT), { repo, outPath: out }, {
          store,
          batchSize: 500,
          signal: stop.signal,
          onProgress: (p) => p.records >= 3000 && stop.abort(),
        }).then(() => undefined, (e) => e);
        assert.ok(error instanceof FetchInterruptedError, String(error));
        // The job row lost its last updates; the file's sidecar did not.
        await updateBackfillJob(store, error.result.jobId!, {
          checkpointNs: T0 + 999n * SECOND,
          checkpointSkip: 1,
          recordCount: 1000,
        });
        await runFetch(client, esPlan(COUNT), { repo, outPath: out }, { store, batchSize: 500 });
        assert.deepEqual(await fileRecords(out), ALL);
        assert.equal((await storedTicks(repo)).length, COUNT);
      });
    } finally {
      await fake.close();
    }
  },

  "a job another live process is fetching is not touched": async (store) => {
    const { fake, client } = await startFake(esTrades(COUNT));
    try {
      await withTemp(async (dir) => {
        const out = join(dir, "es.dbn.zst");
        const locks = join(dir, "locks");
        const stop = new AbortController();
        const options = { store, batchSize: 500, lockDir: locks };
        const error = await runFetch(client, esPlan(COUNT), { outPath: out }, {
          ...options,
          signal: stop.signal,
          onProgress: (p) => p.records >= 2000 && stop.abort(),
        }).then(() => undefined, (e) => e);
        assert.ok(error instanceof FetchInterruptedError, String(error));
        const jobId = error.result.jobId!;
        assert.deepEqual([...Deno.readDirSync(locks)], [], "released after the run");
        const size = (await Deno.stat(out)).size;
        await Deno.writeTextFile(join(locks, `job-${jobId}.lock`), "1\n"); // pid 1 is alive
        await assert.rejects(
          runFetch(client, esPlan(COUNT), { outPath: out }, options),
          new RegExp(`^JobBusyError: Job ${jobId} is being fetched by process 1`),
        );
        assert.equal((await Deno.stat(out)).size, size);
        assert.equal((await getBackfillJob(store, jobId))?.status, "cancelled");
      });
    } finally {
      await fake.close();
    }
  },

  "trades sharing ts_recv and sequence survive a cut mid-group exactly once": async (store) => {
    const { fake, client } = await startFake();
    try {
      await withTemp(async (dir) => {
        const template = decodeDbn(readFixture("test_data.trades.v3.dbn.zst").bytes);
        const base = template.records[0] as TradeMsg;
        const start = 1_609_160_400_000_000_000n;
        // Groups of 6 trades with one ts_recv and one sequence each (one venue message filling
        // six orders); 64 KiB reader batches (1365 records) end inside a group. Prices from an
        // LCG keep the body from compressing into a single zstd block.
        let seed = 12345;
        const records: TradeMsg[] = Array.from({ length: GROUPED }, (_, i) => {
          seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
          return {
            ...base,
            tsEvent: start + BigInt(Math.floor(i / 6)) * 1000n,
            tsRecv: start + BigInt(Math.floor(i / 6)) * 1000n + 5n,
            sequence: 1000 + Math.floor(i / 6),
            price: 3_720_000_000_000n + BigInt(seed % 100_000) * 250_000_000n,
            size: 1 + (seed % 50),
          };
        });
        const served = join(dir, "served.dbn");
        await Deno.writeFile(served, encodeDbn({ metadata: template.metadata, records }));
        await fake.addFile(served);
        const plan = resolveFetchPlan(testConfig(), {
          symbols: ["ESH1"],
          exchange: "CME",
          start: "2020-12-28",
          end: "2020-12-29",
        });
        const size = await bodySize(client, plan);
        const repo = new TickRepository(store, join(dir, "archive"));
        const out = join(dir, "es.dbn");
        for (const cut of [0.3, 0.6]) {
          fake.cutNextRangeAfter(Math.floor(size * cut));
          const error = await runFetch(client, plan, { repo, outPath: out }, {
            store,
            batchSize: 100,
            retries: 0,
          }).then(() => assert.fail("expected the cut to fail the run"), (e) => e);
          assert.match(String(error), /interrupted|truncated/);
        }
        const [job, ...others] = await listBackfillJobs(store);
        assert.deepEqual([job?.status, others.length], ["failed", 0]);
        // The cuts left a checkpoint inside a group: some trades at its ts_recv are stored.
        assert.ok(job!.recordCount > 0 && job!.recordCount < GROUPED, `${job!.recordCount}`);
        assert.ok(job!.checkpointSkip > 0 && job!.checkpointSkip < 6, `${job!.checkpointSkip}`);
        const before = fake.requestsTo("timeseries.get_range").length;
        const result = await runFetch(client, plan, { repo, outPath: out }, {
          store,
          batchSize: 100,
        });
        assert.deepEqual(rangeStarts(fake, before), [String(job!.checkpointNs)]);
        assert.deepEqual(
          [result.records, result.inserted, result.duplicates],
          [GROUPED, GROUPED, 0],
        );
        const ticks = await storedTicks(repo, "ESH1");
        assert.equal(ticks.length, GROUPED);
        assert.equal(new Set(ticks.map((t) => t.tradeId)).size, GROUPED);
        assert.deepEqual(
          ticks.slice(0, 7).map((t) => t.tradeId),
          [0, 1, 2, 3, 4, 5].map((k) => `${start + 5n}-1000-${k}`).concat(
            `${start + 1005n}-1001-0`,
          ),
        );
        assert.deepEqual(await fileRecords(out), records);
      });
    } finally {
      await fake.close();
    }
  },
});
