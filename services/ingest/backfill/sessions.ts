/**
 * Trading sessions for gap detection: when a market is open, as a simple documented rule.
 *
 * - `crypto` and any asset type not listed here: always open (24/7).
 * - `futures` (CME Globex, America/Chicago): Sunday 17:00 to Friday 16:00 CT, with a daily
 *   halt 16:00-17:00 CT Monday to Thursday; i.e. one session from each Sunday..Thursday 17:00 to
 *   the next day's 16:00.
 * - `equity` (US markets, America/New_York): the regular session, Monday to Friday 09:30-16:00
 *   ET (no pre- or post-market).
 *
 * Exchange holidays and early closes are NOT modelled: a holiday looks like a session with no
 * trades, so a gap found on a holiday is a false positive (fill-gaps then fetches an empty range,
 * which costs nothing). Daylight saving time is exact: local wall times are turned into UTC with
 * the zone's offset at that instant (Intl.DateTimeFormat).
 * @module
 */

/** A half-open time interval [startNs, endNs) in ns since the UNIX epoch. */
export interface Interval {
  startNs: bigint;
  endNs: bigint;
}

/** The session rule of one asset type: its zone and the session starting on a local date. */
interface SessionRule {
  timeZone: string;
  /** The session that opens on a local date of this weekday (0 = Sunday), or undefined. */
  session(weekday: number): { open: string; close: string; closeNextDay: boolean } | undefined;
}

const RULES: Record<string, SessionRule> = {
  futures: {
    timeZone: "America/Chicago",
    session: (weekday) =>
      weekday <= 4 ? { open: "17:00", close: "16:00", closeNextDay: true } : undefined,
  },
  equity: {
    timeZone: "America/New_York",
    session: (weekday) =>
      weekday >= 1 && weekday <= 5
        ? { open: "09:30", close: "16:00", closeNextDay: false }
        : undefined,
  },
};

/** The asset types that have sessions (all others are always open). */

const NS_PER_MS = 1_000_000n;
const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The open parts of [fromNs, toNs) for an asset type, sorted and disjoint (empty when the range
 * is empty). Holidays and early closes are not modelled (see the module doc).
 */
export function openIntervals(assetType: string, fromNs: bigint, toNs: bigint): Interval[] {
  if (toNs <= fromNs) return [];
  const rule = RULES[assetType];
  if (rule === undefined) return [{ startNs: fromNs, endNs: toNs }];
  const out: Interval[] = [];
  // A session opening the local day before `fromNs` may still be open at `fromNs`.
  const firstDay = localDayNumber(fromNs, rule.timeZone) - 1;
  const lastDay = localDayNumber(toNs - 1n, rule.timeZone);
  for (let day = firstDay; day <= lastDay; day++) {
    const session = rule.session(new Date(day * MS_PER_DAY).getUTCDay());
    if (session === undefined) continue;
    const startNs = zonedTimeToUtcNs(isoDay(day), session.open, rule.timeZone);
    const closeDay = session.closeNextDay ? day + 1 : day;
    const endNs = zonedTimeToUtcNs(isoDay(closeDay), session.close, rule.timeZone);
    const clippedStart = startNs > fromNs ? startNs : fromNs;
    const clippedEnd = endNs < toNs ? endNs : toNs;
    if (clippedStart < clippedEnd) out.push({ startNs: clippedStart, endNs: clippedEnd });
  }
  return out;
}

/** True when the asset type trades at `ns` by the session rule. */
export function isOpen(assetType: string, ns: bigint): boolean {
  return openIntervals(assetType, ns, ns + 1n).length > 0;
}

/**
 * The UTC instant (ns) of a local wall time `HH:MM` on `date` (`YYYY-MM-DD`) in an IANA zone,
 * DST included. A wall time that occurs twice (autumn) is the earlier instant; one that does not
 * exist (spring) is moved forward by the shift, like Temporal's "compatible" choice.
 */
export function zonedTimeToUtcNs(date: string, time: string, timeZone: string): bigint {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (d === null) throw new RangeError(`Invalid date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  if (t === null) throw new RangeError(`Invalid time ${JSON.stringify(time)}: expected HH:MM`);
  const key = `${timeZone}|${date}|${time}`;
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached;
  const wallMs = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wallMs) || isoDay(Math.floor(wallMs / MS_PER_DAY)) !== date) {
    throw new RangeError(`Invalid date ${JSON.stringify(date)}: no such day`);
  }
  // At most one offset change lies within a day of any wall time in real zones.
  const before = wallMs - offsetMs(timeZone, wallMs - MS_PER_DAY);
  const after = wallMs - offsetMs(timeZone, wallMs + MS_PER_DAY);
  const valid = [before, after].filter((utc) => utc + offsetMs(timeZone, utc) === wallMs);
  const utcMs = valid.length > 0 ? Math.min(...valid) : before;
  const ns = BigInt(utcMs) * NS_PER_MS;
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  CACHE.set(key, ns);
  return ns;
}

/** The zone's offset from UTC at the instant `utcMs` (local wall clock minus UTC), in ms. */
export function offsetMs(timeZone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const p = wallParts(timeZone, whole);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

const CACHE_LIMIT = 4096;
const CACHE = new Map<string, bigint>();
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function wallParts(timeZone: string, utcMs: number) {
  let formatter = FORMATTERS.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    FORMATTERS.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Days since 1970-01-01 of the local calendar date at `ns` in the zone. */
function localDayNumber(ns: bigint, timeZone: string): number {
  const ms = Number(ns / NS_PER_MS);
  const p = wallParts(timeZone, ms);
  return Date.UTC(p.year, p.month - 1, p.day) / MS_PER_DAY;
}

function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
