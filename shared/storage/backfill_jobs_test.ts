import assert from "node:assert/strict";
import {
  createBackfillJob,
  findBackfillJob,
  getBackfillJob,
  isRefused,
  listBackfillJobs,
  REFUSED_PREFIX,
  UNFINISHED_STATUSES,
  updateBackfillJob,
} from "./backfill_jobs.ts";
import { storeSuite } from "./testing.ts";

const JOB = {
  provider: "databento",
  dataset: "GLBX.MDP3",
  schema: "trades",
  symbols: ["ESH5", "NQH5"],
  startNs: 1_704_067_200_000_000_000n,
  endNs: 1_706_745_600_000_000_000n,
  estimatedCostUsd: "12.3456789012",
  estimatedBytes: 5_000_000_000n,
};

storeSuite("backfill jobs", {
  "createBackfillJob() stores a pending job with exact cost and ranges": async (store) => {
    const job = await createBackfillJob(store, JOB);
    assert.equal(job.status, "pending");
    assert.deepEqual(job.symbols, ["ESH5", "NQH5"]);
    assert.equal(job.startNs, JOB.startNs);
    assert.equal(job.endNs, JOB.endNs);
    assert.equal(job.estimatedCostUsd, "12.3456789012");
    assert.equal(job.estimatedBytes, 5_000_000_000n);
    assert.equal(job.actualCostUsd, undefined);
    assert.equal(job.recordCount, 0);
    assert.deepEqual(
      [
        job.kind,
        job.exchange,
        job.checkpointNs,
        job.checkpointSkip,
        job.outputPath,
        job.storeTicks,
      ],
      ["backfill", undefined, undefined, 0, undefined, true],
    );
    assert.deepEqual(await listBackfillJobs(store), [job]);
    assert.deepEqual(await getBackfillJob(store, job.id), job);
    assert.equal(await getBackfillJob(store, job.id + 1), undefined);
  },

  "a fetch job keeps its exchange, kind, output path and checkpoint": async (store) => {
    const job = await createBackfillJob(store, {
      ...JOB,
      exchange: "CME",
      kind: "fetch",
      outputPath: "/tmp/es.dbn.zst",
      storeTicks: false,
    });
    assert.deepEqual(
      [job.kind, job.exchange, job.outputPath, job.storeTicks],
      ["fetch", "CME", "/tmp/es.dbn.zst", false],
    );
    const checkpointed = await updateBackfillJob(store, job.id, {
      status: "running",
      checkpointNs: 1_704_067_200_123_456_789n,
      checkpointSkip: 3,
      recordCount: 42,
    });
    assert.equal(checkpointed.checkpointNs, 1_704_067_200_123_456_789n);
    assert.equal(checkpointed.checkpointSkip, 3);
    const cleared = await updateBackfillJob(store, job.id, { checkpointNs: null });
    assert.deepEqual([cleared.checkpointNs, cleared.checkpointSkip], [undefined, 0]);
    await assert.rejects(
      createBackfillJob(store, { ...JOB, kind: "other" as "fetch" }),
      /Invalid kind "other"/,
    );
    await assert.rejects(
      createBackfillJob(store, { ...JOB, exchange: "cme" }),
      /invalid exchange/,
    );
    await assert.rejects(
      updateBackfillJob(store, job.id, { checkpointSkip: -1 }),
      /Invalid checkpoint skip/,
    );
  },

  "findBackfillJob() matches the whole request and returns the newest in the statuses": async (
    store,
  ) => {
    const key = {
      provider: JOB.provider,
      dataset: JOB.dataset,
      schema: JOB.schema,
      symbols: JOB.symbols,
      startNs: JOB.startNs,
      endNs: JOB.endNs,
      exchange: "CME",
      outputPath: undefined,
      storeTicks: true,
    };
    assert.equal(await findBackfillJob(store, key), undefined);
    const older = await createBackfillJob(store, { ...JOB, exchange: "CME", kind: "fetch" });
    const newer = await createBackfillJob(store, { ...JOB, exchange: "CME", kind: "fetch" });
    await createBackfillJob(store, { ...JOB, exchange: "CME", outputPath: "/tmp/x.dbn" });
    await createBackfillJob(store, { ...JOB, exchange: "CME", storeTicks: false });
    await createBackfillJob(store, { ...JOB, exchange: "ICE" });
    await createBackfillJob(store, { ...JOB, exchange: "CME", symbols: ["NQH5", "ESH5"] });
    await createBackfillJob(store, { ...JOB, exchange: "CME", endNs: JOB.endNs + 1n });
    assert.equal((await findBackfillJob(store, key))?.id, newer.id);
    await updateBackfillJob(store, newer.id, { status: "done" });
    assert.equal((await findBackfillJob(store, key, UNFINISHED_STATUSES))?.id, older.id);
    assert.equal((await findBackfillJob(store, key, ["done"]))?.id, newer.id);
    const withFile = await findBackfillJob(store, { ...key, outputPath: "/tmp/x.dbn" });
    assert.equal(withFile?.outputPath, "/tmp/x.dbn");
    assert.equal(await findBackfillJob(store, { ...key, exchange: undefined }), undefined);
  },

  "findBackfillJob() skips a refusal recorded after an interrupted job": async (store) => {
    const key = {
      provider: JOB.provider,
      dataset: JOB.dataset,
      schema: JOB.schema,
      symbols: JOB.symbols,
      startNs: JOB.startNs,
      endNs: JOB.endNs,
      exchange: undefined,
      outputPath: undefined,
      storeTicks: true,
    };
    const interrupted = await createBackfillJob(store, JOB);
    await updateBackfillJob(store, interrupted.id, { status: "failed", error: "cut" });
    const refused = await createBackfillJob(store, JOB);
    await updateBackfillJob(store, refused.id, {
      status: "cancelled",
      error: `${REFUSED_PREFIX}: estimated cost $9.00 is above the per-job limit of $5.00`,
    });
    assert.equal(isRefused((await getBackfillJob(store, refused.id))!), true);
    assert.equal((await findBackfillJob(store, key, UNFINISHED_STATUSES))?.id, interrupted.id);
    const cancelled = await createBackfillJob(store, JOB);
    await updateBackfillJob(store, cancelled.id, { status: "cancelled", error: "interrupted" });
    assert.equal((await findBackfillJob(store, key, UNFINISHED_STATUSES))?.id, cancelled.id);
  },

  "updateBackfillJob() changes status, counts, cost and error; listBackfillJobs() filters": async (
    store,
  ) => {
    const first = await createBackfillJob(store, JOB);
    const second = await createBackfillJob(store, { ...JOB, symbols: ["CLH5"] });
    const running = await updateBackfillJob(store, first.id, { status: "running" });
    assert.equal(running.status, "running");
    const done = await updateBackfillJob(store, first.id, {
      status: "done",
      recordCount: 1000,
      insertedCount: 990,
      duplicateCount: 10,
      actualCostUsd: "11.5",
    });
    assert.deepEqual(
      [done.status, done.recordCount, done.insertedCount, done.duplicateCount, done.actualCostUsd],
      ["done", 1000, 990, 10, "11.5"],
    );
    assert.ok(done.updatedAt >= first.updatedAt);
    const failed = await updateBackfillJob(store, second.id, {
      status: "failed",
      error: "HTTP 422",
    });
    assert.equal(failed.error, "HTTP 422");
    assert.deepEqual((await listBackfillJobs(store, { status: "done" })).map((j) => j.id), [
      first.id,
    ]);
    assert.deepEqual((await listBackfillJobs(store)).map((j) => j.id), [second.id, first.id]);
    assert.deepEqual((await listBackfillJobs(store, { limit: 1 })).map((j) => j.id), [second.id]);
    await assert.rejects(
      updateBackfillJob(store, 999_999, { status: "done" }),
      /No backfill job with id 999999/,
    );
  },

  "bad jobs are refused before SQL": async (store) => {
    await assert.rejects(createBackfillJob(store, { ...JOB, endNs: JOB.startNs }), /Invalid range/);
    await assert.rejects(createBackfillJob(store, { ...JOB, symbols: [] }), /at least one symbol/);
    const continuous = await createBackfillJob(store, { ...JOB, symbols: ["ES.c.0", "ES.FUT"] });
    assert.deepEqual(continuous.symbols, ["ES.c.0", "ES.FUT"]);
    await assert.rejects(
      createBackfillJob(store, { ...JOB, symbols: ["es h5"] }),
      /Invalid symbol "es h5"/,
    );
    await assert.rejects(
      createBackfillJob(store, { ...JOB, estimatedCostUsd: "-1" }),
      /Invalid estimated cost/,
    );
    const job = await createBackfillJob(store, JOB);
    await assert.rejects(
      updateBackfillJob(store, job.id, { recordCount: -1 }),
      /Invalid record count/,
    );
    await assert.rejects(
      updateBackfillJob(store, job.id, { status: "lost" as "done" }),
      /Invalid status/,
    );
  },
});
