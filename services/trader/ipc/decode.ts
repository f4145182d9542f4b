/**
 * One IPC slot -> a live trade or quote. The rtype byte tells them apart: 0x00 (TradeMsg, 48
 * bytes) is a trade; 0x01 (Mbp1Msg), 0xC3/0xC4 (BboMsg, what ingest writes for a venue's best bid
 * and offer) and 0x0A (Mbp10Msg, whose level 0 is the top of the book) are quotes. Prices stay DBN
 * fixed point (bigint, 1e-9); nothing passes through a float. Byte layouts: shared/design/DBN.md.
 * @module
 */
import { UNDEF_ORDER_SIZE, UNDEF_PRICE } from "@shared/dbn/constants.ts";
import { RType } from "@shared/dbn/enums.ts";
import type { LiveQuote, LiveTrade } from "./types.ts";

/** What a slot holds: a trade, a quote, or something this reader skips (and counts). */
export type SlotKind = "trade" | "quote" | "unknown";

/** The channel a record came from: its records do not carry symbol or exchange. */
export interface RecordSource {
  symbol: string;
  exchange: string;
}

const TRADE_BYTES = 48;
const QUOTE_BYTES = 80;
const LEVEL0 = 48;
const SIDE_A = 0x41;
const SIDE_B = 0x42;

/** The kind of the record at `offset`, from its rtype and length byte (a record must fit its slot). */
export function slotKind(view: DataView, offset: number, slotBytes: number): SlotKind {
  const length = view.getUint8(offset) * 4;
  if (length > slotBytes) return "unknown";
  switch (view.getUint8(offset + 1)) {
    case RType.Mbp0:
      return length >= TRADE_BYTES ? "trade" : "unknown";
    case RType.Mbp1:
    case RType.Bbo1S:
    case RType.Bbo1M:
    case RType.Mbp10:
      return length >= QUOTE_BYTES ? "quote" : "unknown";
    default:
      return "unknown";
  }
}

/** The record's ts_event (ns), read without decoding the rest. */
export function recordTsEvent(view: DataView, offset: number): bigint {
  return view.getBigUint64(offset + 8, true);
}

/**
 * Decodes a trade slot; undefined when its price or size is DBN's null sentinel (a trade without
 * a price must not reach a strategy).
 */
export function decodeTrade(
  view: DataView,
  offset: number,
  source: RecordSource,
  readNs: number,
): LiveTrade | undefined {
  const price = view.getBigInt64(offset + 16, true);
  const size = view.getUint32(offset + 24, true);
  if (price === UNDEF_PRICE || size === UNDEF_ORDER_SIZE) return undefined;
  const side = view.getUint8(offset + 29);
  return {
    symbol: source.symbol,
    exchange: source.exchange,
    instrumentId: view.getUint32(offset + 4, true),
    tsEvent: view.getBigUint64(offset + 8, true),
    tsRecv: view.getBigUint64(offset + 32, true),
    price,
    size,
    side: side === SIDE_A ? "A" : side === SIDE_B ? "B" : "N",
    flags: view.getUint8(offset + 30),
    sequence: view.getUint32(offset + 44, true),
    readNs,
  };
}

/**
 * Decodes a quote slot from its first level. An empty side keeps DBN's null price
 * (`UNDEF_PRICE`) and size 0, as the venue sent it.
 */
export function decodeQuote(
  view: DataView,
  offset: number,
  source: RecordSource,
  readNs: number,
): LiveQuote {
  return {
    symbol: source.symbol,
    exchange: source.exchange,
    instrumentId: view.getUint32(offset + 4, true),
    tsEvent: view.getBigUint64(offset + 8, true),
    tsRecv: view.getBigUint64(offset + 32, true),
    bidPx: view.getBigInt64(offset + LEVEL0, true),
    askPx: view.getBigInt64(offset + LEVEL0 + 8, true),
    bidSz: view.getUint32(offset + LEVEL0 + 16, true),
    askSz: view.getUint32(offset + LEVEL0 + 20, true),
    readNs,
  };
}
