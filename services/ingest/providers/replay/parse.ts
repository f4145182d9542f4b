/**
 * DBN records -> market events: trades (MBP-0) -> TradeEvent, MBP-1 / BBO / CMBP-1 / CBBO ->
 * QuoteEvent from level 0, MBP-10 -> BookEvent. Prices stay the records' 1e-9 integers; sizes
 * are whole units, written as decimal strings.
 * @module
 */
import {
  type BboMsg,
  type CbboMsg,
  type Cmbp1Msg,
  type DbnRecord,
  FLAG_SNAPSHOT,
  type Mbp10Msg,
  type Mbp1Msg,
  RType,
  type TradeMsg,
  UNDEF_PRICE,
} from "@shared/dbn/mod.ts";
import type { BookEvent, BookLevel, Feed, QuoteEvent, Side, TradeEvent } from "../events.ts";

/** A record that carries a best bid and offer in level 0. */
export type QuoteRecord = Mbp1Msg | BboMsg | Cmbp1Msg | CbboMsg;

/** The feed a record belongs to; undefined for records the replay does not emit. */
export function feedOf(record: DbnRecord): Feed | undefined {
  switch (record.rtype) {
    case RType.Mbp0:
      return "trades";
    case RType.Mbp1:
    case RType.Bbo1S:
    case RType.Bbo1M:
    case RType.Cmbp1:
    case RType.Tcbbo:
    case RType.Cbbo1S:
    case RType.Cbbo1M:
      return "bbo";
    case RType.Mbp10:
      return "book";
    default:
      return undefined;
  }
}

/** A TradeEvent; undefined when the record has no price (UNDEF_PRICE). */
export function tradeEvent(
  record: TradeMsg,
  symbol: string,
  tsRecv: bigint,
  tradeId: string,
): TradeEvent | undefined {
  if (record.price === UNDEF_PRICE) return undefined;
  return {
    kind: "trade",
    symbol,
    tsEvent: record.tsEvent,
    tsRecv,
    price: record.price,
    quantity: String(record.size),
    side: sideOf(record.side),
    tradeId,
    sequence: record.sequence >>> 0,
  };
}

/** A QuoteEvent from level 0 (an empty side keeps UNDEF_PRICE and size "0", as DBN writes it). */
export function quoteEvent(record: QuoteRecord, symbol: string, tsRecv: bigint): QuoteEvent {
  const level = record.levels[0]!;
  return {
    kind: "bbo",
    symbol,
    tsEvent: record.tsEvent,
    tsRecv,
    bidPrice: level.bidPx,
    bidQuantity: String(level.bidSz),
    askPrice: level.askPx,
    askQuantity: String(level.askSz),
    sequence: "sequence" in record ? record.sequence >>> 0 : 0,
  };
}

/** A BookEvent from the ten levels; empty levels (UNDEF_PRICE) end each side. */
export function bookEvent(record: Mbp10Msg, symbol: string, tsRecv: bigint): BookEvent {
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  let bidsDone = false;
  let asksDone = false;
  for (const level of record.levels) {
    bidsDone ||= level.bidPx === UNDEF_PRICE;
    asksDone ||= level.askPx === UNDEF_PRICE;
    if (!bidsDone) bids.push({ price: level.bidPx, quantity: String(level.bidSz) });
    if (!asksDone) asks.push({ price: level.askPx, quantity: String(level.askSz) });
  }
  return {
    kind: "book",
    symbol,
    tsEvent: record.tsEvent,
    tsRecv,
    bids,
    asks,
    snapshot: (record.flags & FLAG_SNAPSHOT) !== 0,
    sequence: record.sequence >>> 0,
  };
}

/** The aggressor side as the event type spells it ("N" for anything else). */
export function sideOf(side: string): Side {
  return side === "A" || side === "B" ? side : "N";
}

/**
 * Trade ids unique within one file: the record's sequence, with `-1`, `-2`, ... appended when
 * consecutive trades of a symbol share it (one venue message filling several orders), and
 * `${ts_event}-${index}` (index of the record in the file) when the sequence is 0.
 */
export class TradeIds {
  readonly #last = new Map<string, { sequence: number; repeats: number }>();

  /** The id of `record`, the `index`-th record of its file. */
  next(symbol: string, record: TradeMsg, index: number): string {
    if (record.sequence === 0) return `${record.tsEvent}-${index}`;
    const last = this.#last.get(symbol);
    if (last !== undefined && last.sequence === record.sequence) {
      last.repeats++;
      return `${record.sequence}-${last.repeats}`;
    }
    this.#last.set(symbol, { sequence: record.sequence, repeats: 0 });
    return String(record.sequence);
  }
}
