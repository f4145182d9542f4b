// Mbp1Msg (schemas mbp-1 and tbbo, rtype 0x01, 80 bytes) <-> columns: a TradeMsg body plus the
// top BidAskPair at 48..79.
import { STATUS_INVALID_ARGUMENT, STATUS_OK } from "../status";
import {
  column,
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
import {
  decodeTradeBody,
  encodeTradeBody,
  rejectRecord,
  SLOT_ACTION,
  SLOT_DEPTH,
  SLOT_FLAGS,
  SLOT_PRICE,
  SLOT_SEQUENCE,
  SLOT_SIDE,
  SLOT_SIZE,
  SLOT_TS_IN_DELTA,
  SLOT_TS_RECV,
} from "./trades";

export const MBP1_SIZE: usize = 80;
export const RTYPE_MBP1: u32 = 0x01;

// Slots 0-12 as for trades, then the level.
const SLOT_BID_PX: usize = 13; // i64
const SLOT_ASK_PX: usize = 14; // i64
const SLOT_BID_SZ: usize = 15; // u32
const SLOT_ASK_SZ: usize = 16; // u32
const SLOT_BID_CT: usize = 17; // u32
const SLOT_ASK_CT: usize = 18; // u32
const SLOT_TS_OUT: usize = 19; // u64, only with ts_out

/** Decodes `count` Mbp1Msg records into columns; contract as decodeTrades. */
export function decodeMbp1(src: usize, len: usize, count: i32, tsOut: bool, cols: usize): i32 {
  const size = recordSize(MBP1_SIZE, tsOut);
  const whole = wholeRecords(len, count, size);
  if (whole < 0) return STATUS_INVALID_ARGUMENT;
  const n = <usize>whole;
  const tag = headerTag(size, RTYPE_MBP1);
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
  const bidPx = column(cols, SLOT_BID_PX);
  const askPx = column(cols, SLOT_ASK_PX);
  const bidSz = column(cols, SLOT_BID_SZ);
  const askSz = column(cols, SLOT_ASK_SZ);
  const bidCt = column(cols, SLOT_BID_CT);
  const askCt = column(cols, SLOT_ASK_CT);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  let p = src;
  for (let k: usize = 0; k < n; k++, p += size) {
    if (<u32>load<u16>(p) != tag) return rejectRecord(p, k, RTYPE_MBP1);
    decodeHeader(p, k, tsEvent, instrumentId, publisherId, rtype);
    decodeTradeBody(p, k, price, sizeCol, action, side, flags, depth, tsRecv, tsInDelta, sequence);
    decodeLevel(p, k, bidPx, askPx, bidSz, askSz, bidCt, askCt);
    if (tsOut) store<u64>(tsOutCol + (k << 3), load<u64>(p, 80));
  }
  return finishDecode(n, count);
}

/** Encodes rows 0..count as Mbp1Msg records; contract as encodeTrades. */
export function encodeMbp1(cols: usize, count: i32, tsOut: bool, dst: usize, len: usize): i32 {
  const size = recordSize(MBP1_SIZE, tsOut);
  if (!encodeFits(count, size, len)) return STATUS_INVALID_ARGUMENT;
  const tag = headerTag(size, RTYPE_MBP1);
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
    if (<u32>load<u8>(rtype + k) != RTYPE_MBP1) return fail(k, DBN_UNKNOWN_RTYPE);
    encodeHeader(p, k, tag, tsEvent, instrumentId, publisherId);
    encodeTradeBody(p, k, price, sizeCol, action, side, flags, depth, tsRecv, tsInDelta, sequence);
    encodeLevel(p, k, bidPx, askPx, bidSz, askSz, bidCt, askCt);
    if (tsOut) store<u64>(p, load<u64>(tsOutCol + (k << 3)), 80);
  }
  return STATUS_OK;
}
