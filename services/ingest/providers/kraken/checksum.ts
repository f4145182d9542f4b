/**
 * Kraken's book checksum (VENUES.md 2.7): CRC32 (IEEE, as zlib) of the top 10 asks (ascending)
 * then the top 10 bids (descending), each level written as price then quantity with the `.`
 * deleted and leading zeros stripped, from the exact text the venue sent (`0.10000000` ->
 * `10000000`; `0.1` would give another checksum).
 * @module
 */
import { crc32 } from "node:zlib";

/** Levels the checksum covers on each side, whatever the subscribed depth. */
export const CHECKSUM_LEVELS = 10;

/** A level as the checksum sees it: the venue's exact price and quantity text. */
export interface ChecksumLevel {
  priceText: string;
  qty: string;
}

/** One number's checksum form: `.` deleted, leading zeros stripped (`0.00100000` -> `100000`). */
export function checksumDigits(text: string): string {
  return text.replace(".", "").replace(/^0+/, "");
}

/** The CRC input string: best 10 asks then best 10 bids (both lists best first). */
export function checksumInput(
  asks: readonly ChecksumLevel[],
  bids: readonly ChecksumLevel[],
): string {
  let out = "";
  for (const side of [asks, bids]) {
    const count = Math.min(CHECKSUM_LEVELS, side.length);
    for (let i = 0; i < count; i++) {
      const level = side[i]!;
      out += checksumDigits(level.priceText) + checksumDigits(level.qty);
    }
  }
  return out;
}

/** CRC32 (IEEE) of an ASCII string as an unsigned 32-bit number. */
export function crc32Text(text: string): number {
  return crc32(text) >>> 0;
}

/** Kraken's checksum of a book given best-first asks and bids. */
export function bookChecksum(
  asks: readonly ChecksumLevel[],
  bids: readonly ChecksumLevel[],
): number {
  return crc32Text(checksumInput(asks, bids));
}
