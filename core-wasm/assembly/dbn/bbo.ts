// BboMsg (schemas bbo-1s rtype 0xC3 and bbo-1m rtype 0xC4, 80 bytes) <-> columns. The Mbp1Msg
// shape with action, depth and ts_in_delta reserved: encode writes those bytes as zero.
import { STATUS_INVALID_ARGUMENT, STATUS_OK } from "../status";
import {
  column,
  DBN_BAD_LENGTH,
  DBN_UNKNOWN_RTYPE,
  decodeHeader,
  decodeLevel,
  encodeFits,
  encodeHeader,
  encodeLevel,
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

export const BBO_SIZE: usize = 80;
export const RTYPE_BBO_1S: u32 = 0xc3;
export const RTYPE_BBO_1M: u32 = 0xc4;

const SLOT_PRICE: usize = 4; // i64
const SLOT_SIZE: usize = 5; // u32
const SLOT_SIDE: usize = 6; // u8
const SLOT_FLAGS: usize = 7; // u8
const SLOT_TS_RECV: usize = 8; // u64
const SLOT_SEQUENCE: usize = 9; // u32
const SLOT_BID_PX: usize = 10; // i64
const SLOT_ASK_PX: usize = 11; // i64
const SLOT_BID_SZ: usize = 12; // u32
const SLOT_ASK_SZ: usize = 13; // u32
const SLOT_BID_CT: usize = 14; // u32
const SLOT_ASK_CT: usize = 15; // u32
const SLOT_TS_OUT: usize = 16; // u64, only with ts_out

// @ts-ignore: decorator
@inline
function isBbo(rtype: u32): bool {
  return rtype == RTYPE_BBO_1S || rtype == RTYPE_BBO_1M;
}

function rejectBbo(p: usize, k: usize): i32 {
  return fail(k, isBbo(<u32>load<u8>(p, 1)) ? DBN_BAD_LENGTH : DBN_UNKNOWN_RTYPE);
}

/** Decodes `count` BboMsg records into columns; contract as decodeTrades. */
export function decodeBbo(src: usize, len: usize, count: i32, tsOut: bool, cols: usize): i32 {
  const size = recordSize(BBO_SIZE, tsOut);
  const whole = wholeRecords(len, count, size);
  if (whole < 0) return STATUS_INVALID_ARGUMENT;
  const n = <usize>whole;
  const tag1s = headerTag(size, RTYPE_BBO_1S);
  const tag1m = headerTag(size, RTYPE_BBO_1M);
  const tsEvent = column(cols, SLOT_TS_EVENT);
  const instrumentId = column(cols, SLOT_INSTRUMENT_ID);
  const publisherId = column(cols, SLOT_PUBLISHER_ID);
  const rtype = column(cols, SLOT_RTYPE);
  const price = column(cols, SLOT_PRICE);
  const sizeCol = column(cols, SLOT_SIZE);
  const side = column(cols, SLOT_SIDE);
  const flags = column(cols, SLOT_FLAGS);
  const tsRecv = column(cols, SLOT_TS_RECV);
  const sequence = column(cols, SLOT_SEQUENCE);
  const bidPx = column(cols, SLOT_BID_PX);
  const askPx = column(cols, SLOT_ASK_PX);
  const bidSz = column(cols, SLOT_BID_SZ);
  const askSz = column(cols, SLOT_ASK_SZ);
  const bidCt = column(cols, SLOT_BID_CT);
  const askCt = column(cols, SLOT_ASK_CT);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  let p = src;
  for (let k: usize = 0; k < n; k++, p += size) {
    const tag = <u32>load<u16>(p);
    if (tag != tag1s && tag != tag1m) return rejectBbo(p, k);
    decodeHeader(p, k, tsEvent, instrumentId, publisherId, rtype);
    store<i64>(price + (k << 3), load<i64>(p, 16));
    store<u32>(sizeCol + (k << 2), load<u32>(p, 24));
    store<u8>(side + k, load<u8>(p, 29));
    store<u8>(flags + k, load<u8>(p, 30));
    store<u64>(tsRecv + (k << 3), load<u64>(p, 32));
    store<u32>(sequence + (k << 2), load<u32>(p, 44));
    decodeLevel(p, k, bidPx, askPx, bidSz, askSz, bidCt, askCt);
    if (tsOut) store<u64>(tsOutCol + (k << 3), load<u64>(p, 80));
  }
  return finishDecode(n, count);
}

/** Encodes rows 0..count as BboMsg records (rtype column 0xC3 or 0xC4); contract as encodeTrades. */
export function encodeBbo(cols: usize, count: i32, tsOut: bool, dst: usize, len: usize): i32 {
  const size = recordSize(BBO_SIZE, tsOut);
  if (!encodeFits(count, size, len)) return STATUS_INVALID_ARGUMENT;
  const words = headerTag(size, 0);
  const tsEvent = column(cols, SLOT_TS_EVENT);
  const instrumentId = column(cols, SLOT_INSTRUMENT_ID);
  const publisherId = column(cols, SLOT_PUBLISHER_ID);
  const rtype = column(cols, SLOT_RTYPE);
  const price = column(cols, SLOT_PRICE);
  const sizeCol = column(cols, SLOT_SIZE);
  const side = column(cols, SLOT_SIDE);
  const flags = column(cols, SLOT_FLAGS);
  const tsRecv = column(cols, SLOT_TS_RECV);
  const sequence = column(cols, SLOT_SEQUENCE);
  const bidPx = column(cols, SLOT_BID_PX);
  const askPx = column(cols, SLOT_ASK_PX);
  const bidSz = column(cols, SLOT_BID_SZ);
  const askSz = column(cols, SLOT_ASK_SZ);
  const bidCt = column(cols, SLOT_BID_CT);
  const askCt = column(cols, SLOT_ASK_CT);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  const n = <usize>count;
  let p = dst;
  for (let k: usize = 0; k < n; k++, p += size) {
    const rt = <u32>load<u8>(rtype + k);
    if (!isBbo(rt)) return fail(k, DBN_UNKNOWN_RTYPE);
    encodeHeader(p, k, words | (rt << 8), tsEvent, instrumentId, publisherId);
    store<i64>(p, load<i64>(price + (k << 3)), 16);
    store<u32>(p, load<u32>(sizeCol + (k << 2)), 24);
    // _reserved1 (action's place), side, flags, _reserved2 (depth's place)
    store<u32>(p, (<u32>load<u8>(side + k) << 8) | (<u32>load<u8>(flags + k) << 16), 28);
    store<u64>(p, load<u64>(tsRecv + (k << 3)), 32);
    store<u32>(p, 0, 40); // _reserved3 (ts_in_delta's place)
    store<u32>(p, load<u32>(sequence + (k << 2)), 44);
    encodeLevel(p, k, bidPx, askPx, bidSz, askSz, bidCt, askCt);
    if (tsOut) store<u64>(p, load<u64>(tsOutCol + (k << 3)), 80);
  }
  return STATUS_OK;
}
