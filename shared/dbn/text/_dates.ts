// Calendar arithmetic on UTC days, exact for any u64 nanosecond timestamp (no floats beyond 2^53).

const NANOS_PER_DAY = 86_400_000_000_000n;

/** Splits days since 1970-01-01 into [year, month 1-12, day 1-31] (proleptic Gregorian). */
export function civilFromDays(days: number): [number, number, number] {
  // Howard Hinnant's days_from_civil inverse, with eras of 400 years.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Returns the UTC calendar date of a UNIX nanosecond timestamp as the number yyyymmdd. */
export function dateOfNanos(ns: bigint): number {
  const [y, m, d] = civilFromDays(Number(ns / NANOS_PER_DAY));
  return y * 10_000 + m * 100 + d;
}

/** Formats yyyymmdd as "YYYY-MM-DD". */
export function isoDate(yyyymmdd: number): string {
  const y = Math.floor(yyyymmdd / 10_000);
  const m = Math.floor(yyyymmdd / 100) % 100;
  const d = yyyymmdd % 100;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Zero-pads a non-negative integer to `width` digits. */
export function pad(value: number | bigint, width: number): string {
  return value.toString().padStart(width, "0");
}
