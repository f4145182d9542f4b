/**
 * Deterministic u32 instrument ids for instruments that do not come with one (every source but
 * Databento, whose instruments keep Databento's own ids).
 *
 * The rule, which every process and every fresh database applies identically:
 *
 * 1. Candidate `n` (n = 0, 1, 2, ...) is the first 4 bytes, read big-endian, of
 *    SHA-256(`${symbol}\x00${exchange}`) for n = 0, and of
 *    SHA-256(`${symbol}\x00${exchange}\x00${n}`) for n >= 1 (n in decimal, UTF-8 throughout).
 * 2. The reserved values 0 and 4294967295 (DBN's "undefined") are never used: a candidate equal
 *    to one of them is skipped.
 * 3. The instrument gets the first candidate that the `instruments` table does not already give
 *    to a different (symbol, exchange). A collision is thus detected at insert time (the primary
 *    key) and resolved by trying the next candidate.
 *
 * Ids are persisted, so an instrument's id never changes once assigned. Two databases agree on
 * every id when they registered the colliding instruments in the same order (a collision between
 * two real symbols has a probability of about n^2 / 2^33 for n instruments: 1 in 86 for 10,000).
 * @module
 */
import { createHash } from "node:crypto";

/** The largest u32, DBN's UNDEF value for ids: never assigned. */
export const MAX_INSTRUMENT_ID = 0xFFFF_FFFF;

/** Ids the registry never generates. */
export const RESERVED_INSTRUMENT_IDS: readonly number[] = [0, MAX_INSTRUMENT_ID];

/** How many candidates the registry tries before it gives up (reaching 2 already is rare). */
export const MAX_ID_ATTEMPTS = 64;

/** The candidate function; injectable so tests can force a collision. */
export type InstrumentIdHash = (symbol: string, exchange: string, attempt: number) => number;

/** Candidate `attempt` of the rule above, before reserved values are skipped. */
export function hashInstrumentId(symbol: string, exchange: string, attempt = 0): number {
  if (!Number.isSafeInteger(attempt) || attempt < 0) {
    throw new RangeError(`Attempt must be a non-negative integer, got ${attempt}`);
  }
  const input = attempt === 0
    ? `${symbol}\x00${exchange}`
    : `${symbol}\x00${exchange}\x00${attempt}`;
  return createHash("sha256").update(input, "utf8").digest().readUInt32BE(0);
}

/** True for a u32 the registry may assign (not 0, not 4294967295). */
export function isAssignableInstrumentId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id < MAX_INSTRUMENT_ID;
}

/** True for any u32 (Databento ids may be any of them). */
export function isInstrumentId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= MAX_INSTRUMENT_ID;
}

/**
 * The candidate ids of (symbol, exchange) in order, reserved values skipped: the registry takes
 * the first one not owned by another instrument.
 */
export function* instrumentIdCandidates(
  symbol: string,
  exchange: string,
  options: { hash?: InstrumentIdHash; maxAttempts?: number } = {},
): Generator<number> {
  const hash = options.hash ?? hashInstrumentId;
  const maxAttempts = options.maxAttempts ?? MAX_ID_ATTEMPTS;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const id = hash(symbol, exchange, attempt);
    if (isAssignableInstrumentId(id)) yield id;
  }
}
