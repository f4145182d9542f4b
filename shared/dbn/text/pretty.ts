/**
 * Databento's "pretty" renderings: fixed-point prices with nine decimals and nanosecond
 * timestamps in ISO 8601 (`pretty_px` / `pretty_ts`). Exact: BigInt arithmetic only.
 * @module
 */
import { FIXED_PRICE_SCALE, UNDEF_PRICE } from "../constants.ts";
import { civilFromDays, pad } from "./_dates.ts";

const NANOS_PER_SECOND = 1_000_000_000n;
const SECONDS_PER_DAY = 86_400n;

/** Formats a 1e-9 fixed-point price with all nine decimals, e.g. 5500n -> "0.000005500". */
export function formatPx(price: bigint): string {
  if (price === UNDEF_PRICE) return "UNDEF_PRICE";
  const sign = price < 0n ? "-" : "";
  const abs = price < 0n ? -price : price;
  return `${sign}${abs / FIXED_PRICE_SCALE}.${pad(abs % FIXED_PRICE_SCALE, 9)}`;
}

/** Formats UNIX nanoseconds as "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"; 0 gives "" as upstream. */
export function formatTs(ns: bigint): string {
  if (ns === 0n) return "";
  const seconds = ns / NANOS_PER_SECOND;
  const [y, mo, d] = civilFromDays(Number(seconds / SECONDS_PER_DAY));
  const secondOfDay = Number(seconds % SECONDS_PER_DAY);
  const h = Math.floor(secondOfDay / 3600);
  const mi = Math.floor(secondOfDay / 60) % 60;
  const s = secondOfDay % 60;
  const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
  return `${date}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ns % NANOS_PER_SECOND, 9)}Z`;
}
