/**
 * Databento trade records -> stored ticks. Which records are trades (every TradeMsg of `trades`
 * and `tbbo`, the action-T Mbp1Msg of `mbp-1`), the symbol of an instrument id (from the
 * metadata's mappings), and a trade id that does not depend on where a download started, so that
 * a resumed or repeated fetch stores every trade once.
 * @module
 */
import {
  type DbnVersion,
  type Metadata,
  recordLayout,
  RType,
  SType,
  UNDEF_PRICE,
} from "@shared/dbn/mod.ts";
import type { RecordBatch } from "@shared/dbn/stream/mod.ts";
import type { Tick, TickSide } from "@shared/storage/mod.ts";

/**
 * Schemas whose records can become ticks: `trades` (every record), `tbbo` (every record is a
 * trade, with the book before it) and `mbp-1` (its action-T records; book updates are not stored).
 */
export const TICK_SCHEMAS: readonly string[] = ["trades", "tbbo", "mbp-1"];

const ACTION_TRADE = 0x54; // 'T'
const HEADER_TS_EVENT = 8;
const tsOffsets = new Map<number, number>();

/**
 * Byte offset of a record's index time: `ts_recv` when its layout has one, else the header's
 * `ts_event` (what get_range filters and sorts on).
 */
export function indexTimeOffset(rtype: number, version: DbnVersion): number {
  const key = version * 256 + rtype;
  let offset = tsOffsets.get(key);
  if (offset === undefined) {
    const field = recordLayout(rtype, version)?.fields.find((f) => f.name === "ts_recv");
    offset = field?.offset ?? HEADER_TS_EVENT;
    tsOffsets.set(key, offset);
  }
  return offset;
}

/** The index time of record `index` of a batch. */
export function indexTimeOf(batch: RecordBatch, view: DataView, index: number): bigint {
  const at = batch.offsets[index]!;
  return view.getBigUint64(at + indexTimeOffset(batch.bytes[at + 1]!, batch.version), true);
}

/** True when record `index` of a batch is a trade that tick_data can hold. */
export function isTradeRecord(batch: RecordBatch, index: number): boolean {
  const at = batch.offsets[index]!;
  const rtype = batch.bytes[at + 1]!;
  // TradeMsg and Mbp1Msg share the layout up to `sequence`; action is at 28 in both.
  return rtype === RType.Mbp0 || (rtype === RType.Mbp1 && batch.bytes[at + 28] === ACTION_TRADE);
}

/** Instrument id -> requested symbol, from a get_range response's metadata. */
export class SymbolDirectory {
  readonly #intervals = new Map<number, { startDate: number; endDate: number; symbol: string }[]>();

  /** Adds the mappings of a response (stype_out instrument_id: each interval names an id). */
  addMetadata(metadata: Metadata): void {
    if (metadata.stypeOut !== SType.InstrumentId) return;
    for (const mapping of metadata.mappings) {
      for (const interval of mapping.intervals) {
        const id = Number(interval.symbol);
        if (!Number.isInteger(id) || id < 0 || interval.symbol.trim() === "") continue;
        const list = this.#intervals.get(id) ?? [];
        if (
          !list.some((i) => i.startDate === interval.startDate && i.symbol === mapping.rawSymbol)
        ) {
          list.push({ ...interval, symbol: mapping.rawSymbol });
        }
        this.#intervals.set(id, list);
      }
    }
  }

  /** The symbol of `instrumentId` on the UTC day of `tsNs`; undefined when it is not mapped. */
  symbolOf(instrumentId: number, tsNs: bigint): string | undefined {
    const list = this.#intervals.get(instrumentId);
    if (list === undefined) return undefined;
    if (list.length === 1 || new Set(list.map((i) => i.symbol)).size === 1) return list[0]!.symbol;
    const day = ymdOf(tsNs);
    // An id reused for several symbols with no interval on this day: which one is unknown.
    return list.find((i) => i.startDate <= day && day < i.endDate)?.symbol;
  }

  /** Number of instrument ids known. */
  get size(): number {
    return this.#intervals.size;
  }
}

function ymdOf(ns: bigint): number {
  const date = new Date(Number(ns / 1_000_000n));
  return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/**
 * Trade ids `${ts_recv}-${sequence}-${k}`, k counting earlier trades of the same instrument with
 * the same ts_recv and sequence in stream order (one MDP3 packet can carry trades of several
 * instruments: counting them together would give a trade another id when fetched alone). Records come sorted by ts_recv and a download (or a resumed one)
 * starts at a ts_recv boundary, so every trade gets the same id whatever the request's start:
 * feed it every trade, including the ones a resume skips.
 */
export class TradeIds {
  #tsRecv = -1n;
  readonly #seen = new Map<string, number>();

  /** The id of the next trade of `instrumentId`. */
  next(tsRecv: bigint, sequence: number, instrumentId: number): string {
    if (tsRecv !== this.#tsRecv) {
      this.#tsRecv = tsRecv;
      this.#seen.clear();
    }
    const key = `${instrumentId}:${sequence}`;
    const k = this.#seen.get(key) ?? 0;
    this.#seen.set(key, k + 1);
    return `${tsRecv}-${sequence}-${k}`;
  }
}

/** The fields of a trade record, read straight from its bytes. */
export interface TradeFields {
  instrumentId: number;
  tsEvent: bigint;
  tsRecv: bigint;
  price: bigint;
  size: number;
  side: TickSide;
  flags: number;
  sequence: number;
}

/** Reads the trade at record `index` of a batch (a TradeMsg or an Mbp1Msg). */
export function readTrade(batch: RecordBatch, view: DataView, index: number): TradeFields {
  const at = batch.offsets[index]!;
  const side = batch.bytes[at + 29];
  return {
    instrumentId: view.getUint32(at + 4, true),
    tsEvent: view.getBigUint64(at + 8, true),
    price: view.getBigInt64(at + 16, true),
    size: view.getUint32(at + 24, true),
    side: side === 0x41 ? "A" : side === 0x42 ? "B" : "N",
    flags: batch.bytes[at + 30]!,
    tsRecv: view.getBigUint64(at + 32, true),
    sequence: view.getUint32(at + 44, true),
  };
}

/**
 * The tick of a trade: price as is (1e-9), size as is with quantity = String(size) (futures and
 * equities trade whole contracts and shares); undefined for a trade without a price.
 */
export function tradeTick(
  trade: TradeFields,
  where: { symbol: string; exchange: string; instrumentId: number; tradeId: string },
): Tick | undefined {
  if (trade.price === UNDEF_PRICE) return undefined;
  return {
    tsEvent: trade.tsEvent,
    tsRecv: trade.tsRecv,
    instrumentId: where.instrumentId,
    symbol: where.symbol,
    exchange: where.exchange,
    price: trade.price,
    size: trade.size,
    quantity: String(trade.size),
    side: trade.side,
    tradeId: where.tradeId,
    flags: trade.flags,
    sequence: trade.sequence,
  };
}

/** A DataView over a batch's bytes. */
export function batchView(batch: RecordBatch): DataView {
  return new DataView(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
}
