/** The backtest command's input parsers: dates, `k=v` parameters, timeframes; one-line UsageErrors. */
import { UsageError } from "@shared/cli/mod.ts";
import { type BarType, type Timeframe, TIMEFRAMES } from "@shared/engine/mod.ts";
import { rfc3339ToNs } from "@shared/venue/clock.ts";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NS = /^\d{1,19}$/;
const MAX_TICK_BAR = 1_000_000_000;

/** A date as ns: YYYY-MM-DD (00:00 UTC), RFC 3339, or an integer of ns since the epoch. */
export function parseDate(text: string, what: string): bigint {
  const day = DAY.exec(text);
  if (day !== null) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const ms = Date.UTC(year, month - 1, date);
    const back = new Date(ms);
    if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) throw bad(text, what);
    return BigInt(ms) * 1_000_000n;
  }
  if (NS.test(text)) {
    const ns = BigInt(text);
    if (ns < 1n << 63n) return ns;
    throw bad(text, what);
  }
  try {
    return rfc3339ToNs(text);
  } catch {
    throw bad(text, what);
  }
}

function bad(text: string, what: string): UsageError {
  return new UsageError(
    `${what} expects a date (YYYY-MM-DD, RFC 3339 or ns since the epoch), got ${
      JSON.stringify(text)
    }`,
  );
}

/** Checks from < to when both are given. */
export function checkRange(from: bigint | undefined, to: bigint | undefined): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw new UsageError(
      `Empty date range: from ${formatNs(from)} is not before to ${formatNs(to)}`,
    );
  }
}

/** `k=v,k2=v2` (several texts merge) into a record; a repeated or malformed pair throws. */
export function parseParams(texts: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const text of texts) {
    for (const pair of text.split(",")) {
      if (pair.trim() === "") continue;
      const eq = pair.indexOf("=");
      const key = eq < 0 ? "" : pair.slice(0, eq).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        throw new UsageError(
          `Option "--params" expects name=value pairs separated by commas, got ${
            JSON.stringify(pair)
          }`,
        );
      }
      if (Object.hasOwn(params, key)) {
        throw new UsageError(`Parameter "${key}" is given twice`);
      }
      params[key] = pair.slice(eq + 1).trim();
    }
  }
  return params;
}

/** `1m` ... `1w` (time bars) or `<N>t` (bars of N ticks). */
export function parseTimeframe(text: string): BarType {
  if ((TIMEFRAMES as readonly string[]).includes(text)) {
    return { kind: "time", timeframe: text as Timeframe };
  }
  const ticks = /^(\d{1,10})t$/.exec(text);
  const n = ticks === null ? NaN : Number(ticks[1]);
  if (Number.isInteger(n) && n >= 1 && n <= MAX_TICK_BAR) return { kind: "tick", ticks: n };
  throw new UsageError(
    `Option "--timeframe" expects one of ${TIMEFRAMES.join(", ")} or <N>t (bars of N ticks), got ${
      JSON.stringify(text)
    }`,
  );
}

/** ns (>= 0) as RFC 3339 UTC with the shortest fraction ("2024-01-01T00:00:00Z"). */
export function formatNs(ns: bigint): string {
  const base = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${base}${fraction === "" ? "" : `.${fraction}`}Z`;
}
