/**
 * Market events -> DBN records and tick rows (ARCHITECTURE.md section 4): exact fixed-point
 * prices, sizes scaled by the instrument's size scale into DBN's u32 (a quantity that does not fit
 * keeps the nearest size below and sets flag 0x02, SIZE_INEXACT; the row keeps the exact
 * quantity). Trades are written straight into a reused 48-byte buffer (the hot path); quotes and
 * books go through the DBN codec.
 * @module
 */
import {
  encodeRecord,
  FLAG_LAST,
  FLAG_PUBLISHER_SPECIFIC,
  FLAG_SNAPSHOT,
  FLAG_TOB,
  RType,
  UNDEF_PRICE,
} from "@shared/dbn/mod.ts";
import type { Tick } from "@shared/storage/mod.ts";
import type { BookEvent, BookLevel, QuoteEvent, TradeEvent } from "../providers/events.ts";

/** Flag 0x02 on our own venues' records: the size was clamped or rounded (SIZE_INEXACT). */
export const FLAG_SIZE_INEXACT = FLAG_PUBLISHER_SPECIFIC;
/** Bytes of a DBN v3 trade record. */
export const TRADE_RECORD_BYTES = 48;
const MAX_U32 = 4_294_967_295;
const V3 = { version: 3, tsOut: false } as const;
const SIDE_CODE = { A: 0x41, B: 0x42, N: 0x4e } as const;

/** What a record needs of its instrument. */
export interface RecordInstrument {
  instrumentId: number;
  exchange: string;
  sizeScale: number;
}

/** A quantity as DBN's u32 size at `scale` decimals: exact, or the nearest fit below. */
export function scaledSize(quantity: string, scale: number): { size: number; exact: boolean } {
  const dot = quantity.indexOf(".");
  const whole = dot === -1 ? quantity : quantity.slice(0, dot);
  const fraction = dot === -1 ? "" : quantity.slice(dot + 1);
  const kept = fraction.length > scale ? fraction.slice(0, scale) : fraction.padEnd(scale, "0");
  const dropped = fraction.length > scale && /[1-9]/.test(fraction.slice(scale));
  const size = Number(`${whole}${kept}`);
  if (!Number.isFinite(size) || size > MAX_U32) return { size: MAX_U32, exact: false };
  return { size, exact: !dropped };
}

/** A trade as a tick row (flags: LAST, plus SIZE_INEXACT when its size does not fit). */
export function tradeTick(event: TradeEvent, instrument: RecordInstrument): Tick {
  const { size, exact } = scaledSize(event.quantity, instrument.sizeScale);
  return {
    tsEvent: event.tsEvent,
    tsRecv: event.tsRecv,
    instrumentId: instrument.instrumentId,
    symbol: event.symbol,
    exchange: instrument.exchange,
    price: event.price,
    size,
    quantity: event.quantity,
    side: event.side,
    tradeId: event.tradeId,
    flags: FLAG_LAST | (exact ? 0 : FLAG_SIZE_INEXACT),
    sequence: event.sequence >>> 0,
  };
}

/** Writes a tick as a DBN v3 trade record into `out` (48 bytes) at `offset`. */
export function writeTradeRecord(tick: Tick, out: DataView, offset = 0): void {
  out.setUint8(offset, TRADE_RECORD_BYTES / 4);
  out.setUint8(offset + 1, RType.Mbp0);
  out.setUint16(offset + 2, 0, true);
  out.setUint32(offset + 4, tick.instrumentId, true);
  out.setBigUint64(offset + 8, tick.tsEvent, true);
  out.setBigInt64(offset + 16, tick.price, true);
  out.setUint32(offset + 24, tick.size, true);
  out.setUint8(offset + 28, 0x54); // action 'T'
  out.setUint8(offset + 29, SIDE_CODE[tick.side]);
  out.setUint8(offset + 30, tick.flags);
  out.setUint8(offset + 31, 0);
  out.setBigUint64(offset + 32, tick.tsRecv, true);
  out.setInt32(offset + 40, 0, true);
  out.setUint32(offset + 44, tick.sequence, true);
}

/** A quote as a DBN BBO record (bbo-1s rtype; price/size undefined: no trade attached). */
export function quoteRecord(event: QuoteEvent, instrument: RecordInstrument): Uint8Array {
  const bid = scaledSize(event.bidQuantity, instrument.sizeScale);
  const ask = scaledSize(event.askQuantity, instrument.sizeScale);
  const flags = FLAG_LAST | FLAG_TOB | (bid.exact && ask.exact ? 0 : FLAG_SIZE_INEXACT);
  return encodeRecord({
    rtype: RType.Bbo1S,
    publisherId: 0,
    instrumentId: instrument.instrumentId,
    tsEvent: event.tsEvent,
    price: UNDEF_PRICE,
    size: 0,
    side: "N",
    flags,
    tsRecv: event.tsRecv,
    sequence: event.sequence >>> 0,
    levels: [{
      bidPx: event.bidPrice,
      askPx: event.askPrice,
      bidSz: bid.size,
      askSz: ask.size,
      bidCt: 0,
      askCt: 0,
    }],
  }, V3);
}

/** A verified book top as a DBN MBP-10 record (action 'R' snapshot-style refresh of 10 levels). */
export function bookRecord(event: BookEvent, instrument: RecordInstrument): Uint8Array {
  let inexact = false;
  const size = (level: BookLevel | undefined): number => {
    if (level === undefined) return 0;
    const scaled = scaledSize(level.quantity, instrument.sizeScale);
    inexact ||= !scaled.exact;
    return scaled.size;
  };
  const levels = Array.from({ length: 10 }, (_, i) => ({
    bidPx: event.bids[i]?.price ?? UNDEF_PRICE,
    askPx: event.asks[i]?.price ?? UNDEF_PRICE,
    bidSz: size(event.bids[i]),
    askSz: size(event.asks[i]),
    bidCt: 0,
    askCt: 0,
  }));
  const flags = FLAG_LAST | FLAG_TOB | (event.snapshot ? FLAG_SNAPSHOT : 0) |
    (inexact ? FLAG_SIZE_INEXACT : 0);
  return encodeRecord({
    rtype: RType.Mbp10,
    publisherId: 0,
    instrumentId: instrument.instrumentId,
    tsEvent: event.tsEvent,
    price: UNDEF_PRICE,
    size: 0,
    action: "R",
    side: "N",
    flags,
    depth: 0,
    tsRecv: event.tsRecv,
    tsInDelta: 0,
    sequence: event.sequence >>> 0,
    levels,
  }, V3);
}
