// OhlcvMsg (rtypes 0x20-0x24 for ohlcv-1s/1m/1h/1d/eod, legacy 0x11; 56 bytes) <-> columns.
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

export const OHLCV_SIZE: usize = 56;
export const RTYPE_OHLCV_1S: u32 = 0x20;
export const RTYPE_OHLCV_EOD: u32 = 0x24;
export const RTYPE_OHLCV_LEGACY: u32 = 0x11;

const SLOT_OPEN: usize = 4; // i64
const SLOT_HIGH: usize = 5; // i64
const SLOT_LOW: usize = 6; // i64
const SLOT_CLOSE: usize = 7; // i64
const SLOT_VOLUME: usize = 8; // u64
const SLOT_TS_OUT: usize = 9; // u64, only with ts_out

// @ts-ignore: decorator
@inline
function isOhlcv(rtype: u32): bool {
  return rtype - RTYPE_OHLCV_1S <= RTYPE_OHLCV_EOD - RTYPE_OHLCV_1S || rtype == RTYPE_OHLCV_LEGACY;
}

function rejectOhlcv(p: usize, k: usize): i32 {
  return fail(k, isOhlcv(<u32>load<u8>(p, 1)) ? DBN_BAD_LENGTH : DBN_UNKNOWN_RTYPE);
}

/** Decodes `count` OhlcvMsg records into columns; contract as decodeTrades. */
export function decodeOhlcv(src: usize, len: usize, count: i32, tsOut: bool, cols: usize): i32 {
  const size = recordSize(OHLCV_SIZE, tsOut);
  const whole = wholeRecords(len, count, size);
  if (whole < 0) return STATUS_INVALID_ARGUMENT;
  const n = <usize>whole;
  const words = <u32>(size >> 2);
  const tsEvent = column(cols, SLOT_TS_EVENT);
  const instrumentId = column(cols, SLOT_INSTRUMENT_ID);
  const publisherId = column(cols, SLOT_PUBLISHER_ID);
  const rtype = column(cols, SLOT_RTYPE);
  const open = column(cols, SLOT_OPEN);
  const high = column(cols, SLOT_HIGH);
  const low = column(cols, SLOT_LOW);
  const close = column(cols, SLOT_CLOSE);
  const volume = column(cols, SLOT_VOLUME);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  let p = src;
  for (let k: usize = 0; k < n; k++, p += size) {
    if (<u32>load<u8>(p) != words || !isOhlcv(<u32>load<u8>(p, 1))) return rejectOhlcv(p, k);
    decodeHeader(p, k, tsEvent, instrumentId, publisherId, rtype);
    store<i64>(open + (k << 3), load<i64>(p, 16));
    store<i64>(high + (k << 3), load<i64>(p, 24));
    store<i64>(low + (k << 3), load<i64>(p, 32));
    store<i64>(close + (k << 3), load<i64>(p, 40));
    store<u64>(volume + (k << 3), load<u64>(p, 48));
    if (tsOut) store<u64>(tsOutCol + (k << 3), load<u64>(p, 56));
  }
  return finishDecode(n, count);
}

/** Encodes rows 0..count as OhlcvMsg records (rtype column checked); contract as encodeTrades. */
export function encodeOhlcv(cols: usize, count: i32, tsOut: bool, dst: usize, len: usize): i32 {
  const size = recordSize(OHLCV_SIZE, tsOut);
  if (!encodeFits(count, size, len)) return STATUS_INVALID_ARGUMENT;
  const words = headerTag(size, 0);
  const tsEvent = column(cols, SLOT_TS_EVENT);
  const instrumentId = column(cols, SLOT_INSTRUMENT_ID);
  const publisherId = column(cols, SLOT_PUBLISHER_ID);
  const rtype = column(cols, SLOT_RTYPE);
  const open = column(cols, SLOT_OPEN);
  const high = column(cols, SLOT_HIGH);
  const low = column(cols, SLOT_LOW);
  const close = column(cols, SLOT_CLOSE);
  const volume = column(cols, SLOT_VOLUME);
  const tsOutCol = column(cols, SLOT_TS_OUT);
  const n = <usize>count;
  let p = dst;
  for (let k: usize = 0; k < n; k++, p += size) {
    const rt = <u32>load<u8>(rtype + k);
    if (!isOhlcv(rt)) return fail(k, DBN_UNKNOWN_RTYPE);
    encodeHeader(p, k, words | (rt << 8), tsEvent, instrumentId, publisherId);
    store<i64>(p, load<i64>(open + (k << 3)), 16);
    store<i64>(p, load<i64>(high + (k << 3)), 24);
    store<i64>(p, load<i64>(low + (k << 3)), 32);
    store<i64>(p, load<i64>(close + (k << 3)), 40);
    store<u64>(p, load<u64>(volume + (k << 3)), 48);
    if (tsOut) store<u64>(p, load<u64>(tsOutCol + (k << 3)), 56);
  }
  return STATUS_OK;
}
