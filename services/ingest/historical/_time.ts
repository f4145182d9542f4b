/**
 * Times of a fetch request: `YYYY-MM-DD` (UTC midnight), `YYYY-MM-DDTHH:MM[:SS[.fffffffff]][Z]`
 * (UTC) or integer UNIX nanoseconds, to bigint ns and back to ISO text.
 * @module
 */
import { UsageError } from "@shared/cli/mod.ts";
import { formatTs } from "@shared/dbn/text/mod.ts";

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z?)?$/;
const MAX_NS = (1n << 63n) - 1n;

/** Parses the value of `--<name>` into UNIX ns; a one-line UsageError when it is not a time. */
export function parseTimeNs(name: string, text: string): bigint {
  const bad = () =>
    new UsageError(
      `Option "--${name}" expects YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fffffffff]][Z] (UTC) or integer nanoseconds, got ${
        JSON.stringify(text)
      }`,
    );
  if (/^\d{1,19}$/.test(text)) {
    const ns = BigInt(text);
    if (ns > MAX_NS) throw bad();
    return ns;
  }
  const m = DATE_TIME.exec(text);
  if (m === null) throw bad();
  const fields = m.slice(1, 7).map((v) => Number(v ?? 0));
  const ms = Date.UTC(fields[0]!, fields[1]! - 1, fields[2]!, fields[3]!, fields[4]!, fields[5]!);
  const date = new Date(ms);
  const same = date.getUTCFullYear() === fields[0] && date.getUTCMonth() === fields[1]! - 1 &&
    date.getUTCDate() === fields[2] && date.getUTCHours() === fields[3] &&
    date.getUTCMinutes() === fields[4] && date.getUTCSeconds() === fields[5];
  if (!same || ms < 0) throw bad();
  const fraction = BigInt((m[7] ?? "").padEnd(9, "0") || "0");
  return BigInt(ms) * 1_000_000n + fraction;
}

/** ISO 8601 UTC text of a ns time, without a zero fraction: `2024-01-01T00:00:00Z`. */
export function isoOfNs(ns: bigint): string {
  if (ns === 0n) return "1970-01-01T00:00:00Z";
  return formatTs(ns).replace(/\.0{9}Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z");
}
