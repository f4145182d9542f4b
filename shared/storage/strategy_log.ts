/**
 * `live_strategy_log`: one row per paper-trading decision, written in batches by the trader.
 * Prices are DBN fixed point (bigint, 1e-9); money and quantities are exact decimal strings.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";
import type { Queryable, SqlParam, Store } from "./store.ts";

/** A strategy's decision. */
export type StrategySignal = "BUY" | "SELL" | "HOLD";

/** One decision to log. */
export interface StrategyLogEntry {
  /** The tick that triggered the decision, ns since the epoch. */
  tsEvent: bigint;
  strategyId: string;
  /** SHA-256 of the strategy's source, so results can be tied to a version. */
  strategyHash: string;
  accountId: string;
  symbol: string;
  signal: StrategySignal;
  /** Fixed point 1e-9. */
  price: bigint;
  /** Decimal strings from here on; default "0" where the column has a default. */
  quantity?: string;
  position?: string;
  cash: string;
  portfolioValue: string;
  realizedPnl?: string;
  totalPnl: string;
  tickCount?: number;
  processingUs?: number;
  reason?: string;
}

/** A logged decision as read back. */
export interface LoggedStrategyEntry
  extends Required<Omit<StrategyLogEntry, "processingUs" | "reason">> {
  id: number;
  loggedAt: Date;
  processingUs: number | undefined;
  reason: string | undefined;
}

const COLUMNS = [
  "ts_event",
  "strategy_id",
  "strategy_hash",
  "account_id",
  "symbol",
  "signal",
  "price",
  "quantity",
  "position",
  "cash",
  "portfolio_value",
  "realized_pnl",
  "total_pnl",
  "tick_count",
  "processing_us",
  "reason",
] as const;
/** Rows per INSERT statement: 16 parameters each, far below Postgres' 65,535. */
const ROWS_PER_STATEMENT = 500;
const DECIMAL = /^-?\d{1,28}(\.\d{1,18})?$/;
const SIGNALS: readonly string[] = ["BUY", "SELL", "HOLD"];

function decimal(name: string, value: string): string {
  if (!DECIMAL.test(value)) {
    throw new RangeError(`Invalid ${name} ${JSON.stringify(value)}: expected a decimal string`);
  }
  return value;
}

function text(name: string, value: string): string {
  if (value.length === 0 || value.length > 200) {
    throw new RangeError(`Invalid ${name} ${JSON.stringify(value)}: expected 1-200 characters`);
  }
  return value;
}

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Invalid ${name} ${value}: expected a non-negative integer`);
  }
  return value;
}

/** The entry as one row of parameters, validated (one-line RangeError/DataError). */
function toParams(entry: StrategyLogEntry): SqlParam[] {
  if (!SIGNALS.includes(entry.signal)) {
    throw new RangeError(
      `Invalid signal ${JSON.stringify(entry.signal)}: expected BUY, SELL or HOLD`,
    );
  }
  return [
    entry.tsEvent,
    text("strategy id", entry.strategyId),
    text("strategy hash", entry.strategyHash),
    text("account id", entry.accountId),
    validateSymbol(entry.symbol),
    entry.signal,
    entry.price,
    decimal("quantity", entry.quantity ?? "0"),
    decimal("position", entry.position ?? "0"),
    decimal("cash", entry.cash),
    decimal("portfolio value", entry.portfolioValue),
    decimal("realized pnl", entry.realizedPnl ?? "0"),
    decimal("total pnl", entry.totalPnl),
    count("tick count", entry.tickCount ?? 0),
    entry.processingUs === undefined ? null : count("processing us", entry.processingUs),
    entry.reason ?? null,
  ];
}

async function insertRows(db: Queryable, rows: SqlParam[][]): Promise<void> {
  const width = COLUMNS.length;
  const values = rows.map((_, r) =>
    `(${COLUMNS.map((_, c) => `$${r * width + c + 1}`).join(", ")})`
  );
  await db.query(
    `INSERT INTO live_strategy_log (${COLUMNS.join(", ")}) VALUES ${values.join(", ")}`,
    rows.flat(),
  );
}

/** Logs decisions in one transaction, as multi-row parameterised INSERTs; returns the count. */
export async function logStrategyEvents(
  store: Store,
  entries: readonly StrategyLogEntry[],
): Promise<number> {
  const rows = entries.map(toParams); // every entry is checked before anything is written
  if (rows.length === 0) return 0;
  await store.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await insertRows(tx, rows.slice(i, i + ROWS_PER_STATEMENT));
    }
  });
  return rows.length;
}

interface LogRow {
  id: bigint;
  logged_at: Date;
  ts_event: bigint;
  strategy_id: string;
  strategy_hash: string;
  account_id: string;
  symbol: string;
  signal: StrategySignal;
  price: bigint;
  quantity: string;
  position: string;
  cash: string;
  portfolio_value: string;
  realized_pnl: string;
  total_pnl: string;
  tick_count: bigint;
  processing_us: bigint | null;
  reason: string | null;
}

/** A strategy's latest decisions, newest first. */
export async function recentStrategyLog(
  db: Queryable,
  query: { strategyId: string; limit?: number },
): Promise<LoggedStrategyEntry[]> {
  const limit = query.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`Invalid limit ${limit}: expected a positive integer`);
  }
  const { rows } = await db.query<LogRow>(
    `SELECT id, logged_at, ${COLUMNS.join(", ")} FROM live_strategy_log
      WHERE strategy_id = $1 ORDER BY ts_event DESC, id DESC LIMIT $2`,
    [query.strategyId, limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    loggedAt: new Date(row.logged_at),
    tsEvent: BigInt(row.ts_event),
    strategyId: row.strategy_id,
    strategyHash: row.strategy_hash,
    accountId: row.account_id,
    symbol: row.symbol,
    signal: row.signal,
    price: BigInt(row.price),
    quantity: row.quantity,
    position: row.position,
    cash: row.cash,
    portfolioValue: row.portfolio_value,
    realizedPnl: row.realized_pnl,
    totalPnl: row.total_pnl,
    tickCount: Number(row.tick_count),
    processingUs: row.processing_us === null ? undefined : Number(row.processing_us),
    reason: row.reason ?? undefined,
  }));
}
