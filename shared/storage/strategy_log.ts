/**
 * `live_strategy_log`: one row per paper-trading decision, written in batches by the trader.
 * Prices are DBN fixed point (bigint, 1e-9); money and quantities are exact decimal strings.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";
import type { Queryable } from "./store.ts";

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
/** Longest `reason` a row holds. */
const MAX_REASON_CHARS = 2000;
const DECIMAL = /^-?\d{1,28}(\.\d{1,18})?$/;
const SIGNALS: readonly string[] = ["BUY", "SELL", "HOLD"];

function decimal(name: string, value: string): string {
  if (!DECIMAL.test(value)) {
    throw new RangeError(`Invalid ${name} ${JSON.stringify(value)}: expected a decimal string`);
  }
  return value;
}

function text(name: string, value: string, max = 200): string {
  if (value.length === 0 || value.length > max || value.includes("\0")) {
    throw new RangeError(
      `Invalid ${name} ${JSON.stringify(value)}: expected 1-${max} characters, no NUL`,
    );
  }
  return copyEscape(value);
}

/** A text field in COPY text format: backslash, tab, newline and carriage return escaped. */
function copyEscape(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

const COPY_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
};

function count(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Invalid ${name} ${value}: expected a non-negative integer`);
  }
  return value;
}

/**
 * A strategy's free-text reason made fit for a row: NUL removed, cut to the longest a row holds
 * (a row that fails validation would cost its whole batch).
 */
export function loggableReason(reason: string): string {
  return reason.replaceAll("\0", "").slice(0, MAX_REASON_CHARS);
}

/** The entry as one line of COPY text, validated (one-line RangeError). */
function toCopyLine(entry: StrategyLogEntry): string {
  if (!SIGNALS.includes(entry.signal)) {
    throw new RangeError(
      `Invalid signal ${JSON.stringify(entry.signal)}: expected BUY, SELL or HOLD`,
    );
  }
  const processingUs = entry.processingUs === undefined
    ? "\\N"
    : count("processing us", entry.processingUs);
  const reason = entry.reason === undefined
    ? "\\N"
    : entry.reason === ""
    ? ""
    : text("reason", entry.reason, MAX_REASON_CHARS);
  return `${entry.tsEvent}\t${text("strategy id", entry.strategyId)}\t${
    text("strategy hash", entry.strategyHash)
  }\t${text("account id", entry.accountId)}\t${
    validateSymbol(entry.symbol)
  }\t${entry.signal}\t${entry.price}\t${decimal("quantity", entry.quantity ?? "0")}\t${
    decimal("position", entry.position ?? "0")
  }\t${decimal("cash", entry.cash)}\t${decimal("portfolio value", entry.portfolioValue)}\t${
    decimal("realized pnl", entry.realizedPnl ?? "0")
  }\t${decimal("total pnl", entry.totalPnl)}\t${
    count("tick count", entry.tickCount ?? 0)
  }\t${processingUs}\t${reason}\n`;
}

/**
 * Logs decisions with one COPY (all or nothing); returns the count. COPY rather than multi-row
 * INSERTs: the driver's per-parameter encoding of a 2,000-row batch held the trader's thread for
 * tens of milliseconds, while a line per row costs about a microsecond.
 */
export async function logStrategyEvents(
  store: Queryable,
  entries: readonly StrategyLogEntry[],
): Promise<number> {
  const lines = entries.map(toCopyLine); // every entry is checked before anything is written
  if (lines.length === 0) return 0;
  // One chunk: a socket write per line costs more than the lines (a batch is ~2,000 rows).
  await store.copyFrom("live_strategy_log", COLUMNS, [lines.join("")]);
  return lines.length;
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
