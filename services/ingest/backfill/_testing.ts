/**
 * Test helpers of the backfill folder: job rows built in memory.
 * @module
 */
import type { BackfillJob } from "@shared/storage/mod.ts";

/** A job of `status` created at `created` (fields the checks ignore are filler). */
export function job(fields: Partial<BackfillJob> & { status: BackfillJob["status"] }): BackfillJob {
  return {
    id: 1,
    provider: "databento",
    dataset: "GLBX.MDP3",
    schema: "trades",
    symbols: ["ESH5"],
    startNs: 0n,
    endNs: 1n,
    estimatedCostUsd: undefined,
    actualCostUsd: undefined,
    estimatedBytes: undefined,
    recordCount: 0,
    insertedCount: 0,
    duplicateCount: 0,
    error: undefined,
    exchange: undefined,
    kind: "backfill",
    checkpointNs: undefined,
    checkpointSkip: 0,
    outputPath: undefined,
    storeTicks: true,
    createdAt: new Date("2025-03-02T00:00:00Z"),
    updatedAt: new Date("2025-03-02T00:00:00Z"),
    ...fields,
  };
}
