/**
 * `backfill_jobs`: historical data requests with their estimated and actual cost (USD as exact
 * decimal strings), status and record counts.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";
import type { Queryable, SqlParam } from "./store.ts";

/** Where a job is in its life. */
export const BACKFILL_STATUSES = ["pending", "running", "done", "failed", "cancelled"] as const;
/** A job's status. */
export type BackfillStatus = typeof BACKFILL_STATUSES[number];

/** A backfill job as stored. */
export interface BackfillJob {
  id: number;
  provider: string;
  dataset: string;
  schema: string;
  symbols: string[];
  startNs: bigint;
  /** Exclusive. */
  endNs: bigint;
  status: BackfillStatus;
  estimatedCostUsd: string | undefined;
  actualCostUsd: string | undefined;
  estimatedBytes: bigint | undefined;
  recordCount: number;
  insertedCount: number;
  duplicateCount: number;
  error: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

/** A new job. */
export interface NewBackfillJob {
  provider: string;
  dataset: string;
  schema: string;
  symbols: readonly string[];
  startNs: bigint;
  endNs: bigint;
  estimatedCostUsd?: string;
  estimatedBytes?: bigint;
}

/** What {@linkcode updateBackfillJob} may change. */
export interface BackfillJobUpdate {
  status?: BackfillStatus;
  recordCount?: number;
  insertedCount?: number;
  duplicateCount?: number;
  actualCostUsd?: string;
  /** Null clears it. */
  error?: string | null;
}

interface JobRow {
  id: bigint;
  provider: string;
  dataset: string;
  schema: string;
  symbols: string[];
  start_ns: bigint;
  end_ns: bigint;
  status: BackfillStatus;
  estimated_cost_usd: string | null;
  actual_cost_usd: string | null;
  estimated_bytes: bigint | null;
  record_count: bigint;
  inserted_count: bigint;
  duplicate_count: bigint;
  error: string | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT id, provider, dataset, schema, symbols, start_ns, end_ns, status,
  estimated_cost_usd, actual_cost_usd, estimated_bytes, record_count, inserted_count,
  duplicate_count, error, created_at, updated_at FROM backfill_jobs`;
const RETURNING = SELECT.replace(/^SELECT/, "RETURNING").replace(/ FROM backfill_jobs$/, "");
const USD = /^\d{1,12}(\.\d{1,10})?$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function usd(name: string, value: string): string {
  if (!USD.test(value)) {
    throw new RangeError(
      `Invalid ${name} ${JSON.stringify(value)}: expected a USD amount like "12.34"`,
    );
  }
  return value;
}

function name(what: string, value: string): string {
  if (!NAME.test(value)) {
    throw new RangeError(
      `Invalid ${what} ${JSON.stringify(value)}: expected 1-64 of A-Z, a-z, 0-9, '.', '_', '-'`,
    );
  }
  return value;
}

function count(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Invalid ${what} ${value}: expected a non-negative integer`);
  }
  return value;
}

function fromRow(row: JobRow): BackfillJob {
  return {
    id: Number(row.id),
    provider: row.provider,
    dataset: row.dataset,
    schema: row.schema,
    symbols: [...row.symbols],
    startNs: BigInt(row.start_ns),
    endNs: BigInt(row.end_ns),
    status: row.status,
    estimatedCostUsd: row.estimated_cost_usd ?? undefined,
    actualCostUsd: row.actual_cost_usd ?? undefined,
    estimatedBytes: row.estimated_bytes === null ? undefined : BigInt(row.estimated_bytes),
    recordCount: Number(row.record_count),
    insertedCount: Number(row.inserted_count),
    duplicateCount: Number(row.duplicate_count),
    error: row.error ?? undefined,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Records a new `pending` job. */
export async function createBackfillJob(db: Queryable, job: NewBackfillJob): Promise<BackfillJob> {
  if (job.symbols.length === 0) throw new RangeError("A backfill job needs at least one symbol");
  job.symbols.forEach(validateSymbol);
  if (job.endNs <= job.startNs) {
    throw new RangeError(`Invalid range: end ${job.endNs} is not after start ${job.startNs}`);
  }
  const { rows } = await db.query<JobRow>(
    `INSERT INTO backfill_jobs
       (provider, dataset, schema, symbols, start_ns, end_ns, estimated_cost_usd, estimated_bytes)
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8) ${RETURNING}`,
    [
      name("provider", job.provider),
      name("dataset", job.dataset),
      name("schema", job.schema),
      [...job.symbols],
      job.startNs,
      job.endNs,
      job.estimatedCostUsd === undefined ? null : usd("estimated cost", job.estimatedCostUsd),
      job.estimatedBytes ?? null,
    ],
  );
  return fromRow(rows[0]!);
}

/** Changes a job's status, counts, cost or error (and its updated_at); throws when it is unknown. */
export async function updateBackfillJob(
  db: Queryable,
  id: number,
  update: BackfillJobUpdate,
): Promise<BackfillJob> {
  const sets: string[] = [];
  const params: SqlParam[] = [id];
  const set = (column: string, value: SqlParam) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (update.status !== undefined) {
    if (!(BACKFILL_STATUSES as readonly string[]).includes(update.status)) {
      throw new RangeError(
        `Invalid status ${JSON.stringify(update.status)}: expected one of ${
          BACKFILL_STATUSES.join(", ")
        }`,
      );
    }
    set("status", update.status);
  }
  if (update.recordCount !== undefined) {
    set("record_count", count("record count", update.recordCount));
  }
  if (update.insertedCount !== undefined) {
    set("inserted_count", count("inserted count", update.insertedCount));
  }
  if (update.duplicateCount !== undefined) {
    set("duplicate_count", count("duplicate count", update.duplicateCount));
  }
  if (update.actualCostUsd !== undefined) {
    set("actual_cost_usd", usd("actual cost", update.actualCostUsd));
  }
  if (update.error !== undefined) set("error", update.error);
  sets.push("updated_at = now()");
  const { rows } = await db.query<JobRow>(
    `UPDATE backfill_jobs SET ${sets.join(", ")} WHERE id = $1 ${RETURNING}`,
    params,
  );
  if (rows[0] === undefined) throw new RangeError(`No backfill job with id ${id}`);
  return fromRow(rows[0]);
}

/** Jobs, newest first (of one status when given). */
export async function listBackfillJobs(
  db: Queryable,
  filter: { status?: BackfillStatus; limit?: number } = {},
): Promise<BackfillJob[]> {
  const limit = filter.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`Invalid limit ${limit}: expected a positive integer`);
  }
  const { rows } = filter.status === undefined
    ? await db.query<JobRow>(`${SELECT} ORDER BY created_at DESC, id DESC LIMIT $1`, [limit])
    : await db.query<JobRow>(
      `${SELECT} WHERE status = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [filter.status, limit],
    );
  return rows.map(fromRow);
}
