/**
 * `backfill_jobs`: historical data requests with their estimated and actual cost (USD as exact
 * decimal strings), status, record counts and resume checkpoint (migration 0002).
 * @module
 */
import { validateExchange } from "@shared/domain/mod.ts";
import type { Queryable, SqlParam } from "./store.ts";

/** Where a job is in its life. */
export const BACKFILL_STATUSES = ["pending", "running", "done", "failed", "cancelled"] as const;
/** A job's status. */
export type BackfillStatus = typeof BACKFILL_STATUSES[number];
/** Statuses of a job that can be resumed (not done). */
export const UNFINISHED_STATUSES: readonly BackfillStatus[] = [
  "pending",
  "running",
  "failed",
  "cancelled",
];

/** Which command made a job. */
export const BACKFILL_KINDS = ["fetch", "backfill", "fill-gaps"] as const;
/** A job's kind. */
export type BackfillKind = typeof BACKFILL_KINDS[number];

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
  /** The exchange the ticks are stored under; undefined for rows older than migration 0002. */
  exchange: string | undefined;
  kind: BackfillKind;
  /** Index time of the last record durably handled (see 0002_backfill_checkpoints.sql). */
  checkpointNs: bigint | undefined;
  /** Records at exactly `checkpointNs` already handled (skipped on resume). */
  checkpointSkip: number;
  /** Absolute path of the DBN file written, when there is one. */
  outputPath: string | undefined;
  /** Trades go into tick_data (false: the file only). */
  storeTicks: boolean;
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
  exchange?: string;
  /** Default `backfill`. */
  kind?: BackfillKind;
  outputPath?: string;
  /** Default true. */
  storeTicks?: boolean;
}

/** What identifies a request when looking for a job to resume or one already done. */
export interface BackfillJobKey {
  provider: string;
  dataset: string;
  schema: string;
  symbols: readonly string[];
  startNs: bigint;
  endNs: bigint;
  exchange: string | undefined;
  outputPath: string | undefined;
  storeTicks: boolean;
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
  /** Null clears it (and the skip count). */
  checkpointNs?: bigint | null;
  checkpointSkip?: number;
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
  exchange: string | null;
  kind: BackfillKind;
  checkpoint_ns: bigint | null;
  checkpoint_skip: bigint;
  output_path: string | null;
  store_ticks: boolean;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT id, provider, dataset, schema, symbols, start_ns, end_ns, status,
  estimated_cost_usd, actual_cost_usd, estimated_bytes, record_count, inserted_count,
  duplicate_count, error, exchange, kind, checkpoint_ns, checkpoint_skip, output_path, store_ticks,
  created_at, updated_at FROM backfill_jobs`;
const RETURNING = SELECT.replace(/^SELECT/, "RETURNING").replace(/ FROM backfill_jobs$/, "");
const USD = /^\d{1,12}(\.\d{1,20})?$/;
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

// Databento request symbols: raw (ESH5), continuous (ES.c.0), parent (ES.FUT), ...
const REQUEST_SYMBOL = /^[\x21-\x2b\x2d-\x7e]{1,71}$/;

function requestSymbol(symbol: string): string {
  if (!REQUEST_SYMBOL.test(symbol)) {
    throw new RangeError(
      `Invalid symbol ${JSON.stringify(symbol)}: expected 1-71 printable characters, no comma`,
    );
  }
  return symbol;
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
    exchange: row.exchange ?? undefined,
    kind: row.kind,
    checkpointNs: row.checkpoint_ns === null ? undefined : BigInt(row.checkpoint_ns),
    checkpointSkip: Number(row.checkpoint_skip),
    outputPath: row.output_path ?? undefined,
    storeTicks: row.store_ticks,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Records a new `pending` job. */
export async function createBackfillJob(db: Queryable, job: NewBackfillJob): Promise<BackfillJob> {
  if (job.symbols.length === 0) throw new RangeError("A backfill job needs at least one symbol");
  job.symbols.forEach(requestSymbol);
  if (job.endNs <= job.startNs) {
    throw new RangeError(`Invalid range: end ${job.endNs} is not after start ${job.startNs}`);
  }
  const kind = job.kind ?? "backfill";
  if (!(BACKFILL_KINDS as readonly string[]).includes(kind)) {
    throw new RangeError(
      `Invalid kind ${JSON.stringify(kind)}: expected one of ${BACKFILL_KINDS.join(", ")}`,
    );
  }
  if (job.exchange !== undefined) validateExchange(job.exchange);
  const { rows } = await db.query<JobRow>(
    `INSERT INTO backfill_jobs
       (provider, dataset, schema, symbols, start_ns, end_ns, estimated_cost_usd, estimated_bytes,
        exchange, kind, output_path, store_ticks)
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10, $11, $12) ${RETURNING}`,
    [
      name("provider", job.provider),
      name("dataset", job.dataset),
      name("schema", job.schema),
      [...job.symbols],
      job.startNs,
      job.endNs,
      job.estimatedCostUsd === undefined ? null : usd("estimated cost", job.estimatedCostUsd),
      job.estimatedBytes ?? null,
      job.exchange ?? null,
      kind,
      job.outputPath ?? null,
      job.storeTicks ?? true,
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
  if (update.checkpointNs === null) {
    set("checkpoint_ns", null);
    set("checkpoint_skip", 0);
  } else if (update.checkpointNs !== undefined) {
    set("checkpoint_ns", update.checkpointNs);
  }
  if (update.checkpointSkip !== undefined) {
    set("checkpoint_skip", count("checkpoint skip", update.checkpointSkip));
  }
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

/** One job by id, or undefined. */
export async function getBackfillJob(db: Queryable, id: number): Promise<BackfillJob | undefined> {
  const { rows } = await db.query<JobRow>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** What starts the error of a job the spend limits refused (recorded cancelled, nothing spent). */
export const REFUSED_PREFIX = "Refused";

/** A job the spend limits refused (cancelled with a "Refused:" reason): never run or resumed. */
export function isRefused(job: BackfillJob): boolean {
  return job.status === "cancelled" && (job.error ?? "").startsWith(REFUSED_PREFIX);
}

/**
 * The newest job for exactly this request (provider, dataset, schema, symbols in order, range,
 * exchange, output path, whether it stores ticks) in one of `statuses` (default: any). Refused
 * jobs never ran, so they are never the one to resume or the one already done: they are skipped
 * (a refusal recorded after an interrupted job must not hide it).
 */
export async function findBackfillJob(
  db: Queryable,
  key: BackfillJobKey,
  statuses: readonly BackfillStatus[] = BACKFILL_STATUSES,
): Promise<BackfillJob | undefined> {
  const { rows } = await db.query<JobRow>(
    `${SELECT}
      WHERE dataset = $1 AND schema = $2 AND start_ns = $3 AND end_ns = $4 AND provider = $5
        AND symbols = $6::text[] AND exchange IS NOT DISTINCT FROM $7::text
        AND output_path IS NOT DISTINCT FROM $8::text AND store_ticks = $9::boolean
        AND status = ANY($10::text[])
        AND NOT (status = 'cancelled' AND starts_with(coalesce(error, ''), $11))
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [
      key.dataset,
      key.schema,
      key.startNs,
      key.endNs,
      key.provider,
      [...key.symbols],
      key.exchange ?? null,
      key.outputPath ?? null,
      key.storeTicks,
      [...statuses],
      REFUSED_PREFIX,
    ],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}
