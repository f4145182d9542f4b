// TradeMsg (rtype 0x00, 48 bytes) <-> columns. The body at 16..47 is shared with Mbp1Msg.
import { STATUS_INVALID_ARGUMENT, STATUS_OK } from "../status";
import {
  column,
  DBN_BAD_LENGTH,
  DBN_UNKNOWN_RTYPE,
  decodeHeader,
  encodeFits,
  encodeHeader,
  fail,
  finishDecode,
  headerTag,
  recordSize,
  SLOT_INSTRUMENT_ID,
  SLOT_PUBLISHER_ID,
  SLOT_RTYPE,
  SLOT_TS_EVENT,
  wholeRecords,
} from "./layout";

export const TRADE_SIZE: usize = 48;
export const RTYPE_TRADE: u32 = 0x00;

// Column slots after the header (the host's table follows this order).
export const SLOT_PRICE: usize = 4; // i64
export const SLOT_SIZE: usize = 5; // u32
export const SLOT_ACTION: usize = 6; // u8
export const SLOT_SIDE: usize = 7; // u8
export const SLOT_FLAGS: usize = 8; // u8
export const SLOT_DEPTH: usize = 9; // u8
export const SLOT_TS_RECV: usize = 10; // u64
export const SLOT_TS_IN_DELTA: usize = 11; // i32
export const SLOT_SEQUENCE: usize = 12; // u32
const SLOT_TS_OUT: usize = 13; // u64, only with ts_out

/** Why the record at p failed the header check: a foreign rtype, else its length byte. */
export function rejectRecord(p: usize, k: usize, rtype: u32): i32 {
  return fail(k, <u32>load<u8>(p, 1) == rtype ? DBN_BAD_LENGTH : DBN_UNKNOWN_RTYPE);
}

/** Copies bytes 16..47 of a TradeMsg / Mbp1Msg at p into row k of the nine body columns. */
// @ts-ignore: decorator
@inline
export function decodeTradeBody(
  p: usize,
  k: usize,
  price: usize,
  size: usize,
  action: usize,
  side: usize,
  flags: usize,
  depth: usize,
  tsRecv: usize,
  tsInDelta: usize,
  sequence: usize,
): void {
  store<i64>(price + (k << 3), load<i64>(p, 16));
  store<u32>(size + (k << 2), load<u32>(p, 24));
  const asfd = load<u32>(p, 28); // action, side, flags, depth
  store<u8>(action + k, <u8>asfd);
  store<u8>(side + k, <u8>(asfd >> 8));
  store<u8>(flags + k, <u8>(asfd >> 16));
  store<u8>(depth + k, <u8>(asfd >> 24));
  store<u64>(tsRecv + (k << 3), load<u64>(p, 32));
  store<i32>(tsInDelta + (k << 2), load<i32>(p, 40));
  store<u32>(sequence + (k << 2), load<u32>(p, 44));
}

/** Writes row k of the nine body columns as bytes 16..47 of a TradeMsg / Mbp1Msg at p. */
// @ts-ignore: decorator
@inline
export function encodeTradeBody(
  p: usize,
  k: usize,
  price: usize,
  size: usize,
  action: usize,
  side: usize,
  flags: usize,
  depth: usize,
  tsRecv: usize,
  tsInDelta: usize,
  sequence: usize,
): void {
  store<i64>(p, load<i64>(price + (k << 3)), 16);
  store<u32>(p, load<u32>(size + (k << 2)), 24);
  store<u32>(
    p,
    <u32>load<u8>(action + k) | (<u32>load<u8>(side + k) << 8) |
      (<u32>load<u8>(flags + k) << 16) | (<u32>load<u8>(depth + k) << 24),
    28,
  );
  store<u64>(p, load<u64>(tsRecv + (k << 3)), 32);
  store<i32>(p, load<i32>(tsInDelta + (k << 2)), 40);
  store<u32>(p, load<u32>(sequence + (k << 2)), 44);
}

/**
 * Decodes `count` TradeMsg records at [src, src + len) into the columns whose pointers the table
 * at `cols` holds (slots above). Stops at the first record whose length byte or rtype is wrong;
 * a count past the buffer decodes the whole records, then reports DBN_TRUNCATED.
 */
export function decodeTrades(src: usize, len: usize, count: i32, tsOut: bool, cols: usize): i32 {
  const size = recordSize(TRADE_SIZE, tsOut);
  const whole = wholeRecords(len, count, size);
  if (whole < 0) return STATUS_INVALID_ARGUMENT;
  const n = <usize>whole;
  const tag = headerTag(size, RTYPE_TRADE);
  const tsEvent = column(cols, SLOT_TS_EVENT);
  const instrumentId = column(cols, SLOT_INSTRUMENT_ID);
  const publisherId = column(cols, SLOT_PUBLISHER_ID);
  const rtype = column(cols, SLOT_RTYPE);
  const price = column(cols, SLOT_PRICE);
  const sizeCol = column(cols, SLOT_SIZE);
  const action = column(cols, SLOT_ACTION);
  const side = column(cols, SLOT_SIDE);
  const flags = column(cols, SLOT_FLAGS);
  const depth = column(cols, SLOT_DEPTH);
  const tsRecv = column(cols, SLOT_TS_RECV);
  const tsInDelta = column(cols, SLOT_TS_IN_DELTA);
  const sequence = column(cols, SLOT_SEQUENCE);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  let p = src;
  for (let k: usize = 0; k < n; k++, p += size) {
    if (<u32>load<u16>(p) != tag) return rejectRecord(p, k, RTYPE_TRADE);
    decodeHeader(p, k, tsEvent, instrumentId, publisherId, rtype);
    decodeTradeBody(p, k, price, sizeCol, action, side, flags, depth, tsRecv, tsInDelta, sequence);
    if (tsOut) store<u64>(tsOutCol + (k << 3), load<u64>(p, 48));
  }
  return finishDecode(n, count);
}

/**
 * Encodes rows 0..count of the columns at `cols` as TradeMsg records at [dst, dst + len): length
 * byte, rtype (checked), every field, ts_out last when asked. Nothing is reserved in a TradeMsg.
 */
export function encodeTrades(cols: usize, count: i32, tsOut: bool, dst: usize, len: usize): i32 {
  const size = recordSize(TRADE_SIZE, tsOut);
  if (!encodeFits(count, size, len)) return STATUS_INVALID_ARGUMENT;
  const tag = headerTag(size, RTYPE_TRADE);
  const tsEvent = column(cols, SLOT_TS_EVENT);
  const instrumentId = column(cols, SLOT_INSTRUMENT_ID);
  const publisherId = column(cols, SLOT_PUBLISHER_ID);
  const rtype = column(cols, SLOT_RTYPE);
  const price = column(cols, SLOT_PRICE);
  const sizeCol = column(cols, SLOT_SIZE);
  const action = column(cols, SLOT_ACTION);
  const side = column(cols, SLOT_SIDE);
  const flags = column(cols, SLOT_FLAGS);
  const depth = column(cols, SLOT_DEPTH);
  const tsRecv = column(cols, SLOT_TS_RECV);
  const tsInDelta = column(cols, SLOT_TS_IN_DELTA);
  const sequence = column(cols, SLOT_SEQUENCE);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  const n = <usize>count;
  let p = dst;
  for (let k: usize = 0; k < n; k++, p += size) {
    if (<u32>load<u8>(rtype + k) != RTYPE_TRADE) return fail(k, DBN_UNKNOWN_RTYPE);
    encodeHeader(p, k, tag, tsEvent, instrumentId, publisherId);
    encodeTradeBody(p, k, price, sizeCol, action, side, flags, depth, tsRecv, tsInDelta, sequence);
    if (tsOut) store<u64>(p, load<u64>(tsOutCol + (k << 3)), 48);
  }
  return STATUS_OK;
}
