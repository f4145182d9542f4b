import assert from "node:assert/strict";
import { createBackfillJob, listBackfillJobs, updateBackfillJob } from "./backfill_jobs.ts";
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
    assert.deepEqual(await listBackfillJobs(store), [job]);
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
    await assert.rejects(
      createBackfillJob(store, { ...JOB, symbols: ["es h5"] }),
      /invalid symbol/,
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
