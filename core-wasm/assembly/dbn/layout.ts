// What every DBN column kernel shares: status codes, the input checks, the column table, and the
// 16-byte RecordHeader and 32-byte BidAskPair moved as straight-line loads and stores (@inline, so
// a kernel's loop body has no calls). Layouts: shared/design/DBN.md sections 3 and 6.
import { setResult, STATUS_OK } from "../status";

// Statuses of the DBN kernels; on failure resultValue() is the index of the offending record.
/** A record's length byte x 4 is not the record size (with ts_out when the stream has it). */
export const DBN_BAD_LENGTH: i32 = 16;
/** A record's rtype is not one the kernel handles (or, when encoding, the rtype column's value). */
export const DBN_UNKNOWN_RTYPE: i32 = 17;
/** The buffer ends inside the record: count x size is past its length. */
export const DBN_TRUNCATED: i32 = 18;

/** Bytes of the optional ts_out suffix (DBN.md section 7). */
export const TS_OUT_BYTES: usize = 8;

// @ts-ignore: decorator
@inline
export function recordSize(base: usize, tsOut: bool): usize {
  return tsOut ? base + TS_OUT_BYTES : base;
}

/** The first two header bytes as one little-endian u16: the length byte (words), then the rtype. */
// @ts-ignore: decorator
@inline
export function headerTag(size: usize, rtype: u32): u32 {
  return <u32>(size >> 2) | (rtype << 8);
}

/** Pointer of column `slot` in the host's table of u32 column pointers. */
// @ts-ignore: decorator
@inline
export function column(table: usize, slot: usize): usize {
  return load<u32>(table + (slot << 2));
}

/** Fails the call at record `index` with `status`. */
export function fail(index: usize, status: i32): i32 {
  setResult(<i64>index);
  return status;
}

/**
 * The records a decode may read: min(count, whole records in len). Negative when the arguments
 * are unusable (a negative count).
 */
// @ts-ignore: decorator
@inline
export function wholeRecords(len: usize, count: i32, size: usize): i64 {
  if (count < 0) return -1;
  const whole = <u64>(len / size);
  return <u64>count < whole ? <i64>count : <i64>whole;
}

/** Status after `decoded` good records out of `count` requested (truncated when fewer). */
// @ts-ignore: decorator
@inline
export function finishDecode(decoded: usize, count: i32): i32 {
  return decoded < <usize>count ? fail(decoded, DBN_TRUNCATED) : STATUS_OK;
}

/** Whether an encode of `count` records of `size` bytes fits `len` bytes. */
// @ts-ignore: decorator
@inline
export function encodeFits(count: i32, size: usize, len: usize): bool {
  return count >= 0 && <u64>count * <u64>size <= <u64>len;
}

// Column slots 0-3 of every kind: the RecordHeader.
export const SLOT_TS_EVENT: usize = 0; // u64
export const SLOT_INSTRUMENT_ID: usize = 1; // u32
export const SLOT_PUBLISHER_ID: usize = 2; // u16
export const SLOT_RTYPE: usize = 3; // u8

/** Copies the header of the record at p into row k of the header columns. */
// @ts-ignore: decorator
@inline
export function decodeHeader(
  p: usize,
  k: usize,
  tsEvent: usize,
  instrumentId: usize,
  publisherId: usize,
  rtype: usize,
): void {
  const head = load<u64>(p);
  store<u64>(tsEvent + (k << 3), load<u64>(p, 8));
  store<u32>(instrumentId + (k << 2), <u32>(head >> 32));
  store<u16>(publisherId + (k << 1), <u16>(head >> 16));
  store<u8>(rtype + k, <u8>(head >> 8));
}

/** Writes the header of row k at p: length byte, rtype, publisher, instrument, ts_event. */
// @ts-ignore: decorator
@inline
export function encodeHeader(
  p: usize,
  k: usize,
  tag: u32,
  tsEvent: usize,
  instrumentId: usize,
  publisherId: usize,
): void {
  store<u64>(
    p,
    <u64>tag | (<u64>load<u16>(publisherId + (k << 1)) << 16) |
      (<u64>load<u32>(instrumentId + (k << 2)) << 32),
  );
  store<u64>(p, load<u64>(tsEvent + (k << 3)), 8);
}

/** Copies the BidAskPair at p + 48 into row k of the six level columns. */
// @ts-ignore: decorator
@inline
export function decodeLevel(
  p: usize,
  k: usize,
  bidPx: usize,
  askPx: usize,
  bidSz: usize,
  askSz: usize,
  bidCt: usize,
  askCt: usize,
): void {
  store<i64>(bidPx + (k << 3), load<i64>(p, 48));
  store<i64>(askPx + (k << 3), load<i64>(p, 56));
  store<u32>(bidSz + (k << 2), load<u32>(p, 64));
  store<u32>(askSz + (k << 2), load<u32>(p, 68));
  store<u32>(bidCt + (k << 2), load<u32>(p, 72));
  store<u32>(askCt + (k << 2), load<u32>(p, 76));
}

/** Writes row k of the six level columns as the BidAskPair at p + 48. */
// @ts-ignore: decorator
@inline
export function encodeLevel(
  p: usize,
  k: usize,
  bidPx: usize,
  askPx: usize,
  bidSz: usize,
  askSz: usize,
  bidCt: usize,
  askCt: usize,
): void {
  store<i64>(p, load<i64>(bidPx + (k << 3)), 48);
  store<i64>(p, load<i64>(askPx + (k << 3)), 56);
  store<u32>(p, load<u32>(bidSz + (k << 2)), 64);
  store<u32>(p, load<u32>(askSz + (k << 2)), 68);
  store<u32>(p, load<u32>(bidCt + (k << 2)), 72);
  store<u32>(p, load<u32>(askCt + (k << 2)), 76);
}
