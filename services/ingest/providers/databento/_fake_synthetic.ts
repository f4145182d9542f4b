/**
 * Synthetic trades for the fake Databento server: record i of a series has ts_event = ts_recv =
 * startNs + i * stepNs, with price, size and side computed from i. Nothing is materialised:
 * counts are arithmetic and records are written straight into the caller's buffer, so a series
 * of billions of records costs nothing until it is streamed.
 * @module
 */
import { Action, RType, type TradeMsg } from "@shared/dbn/mod.ts";
import { ymdOfNs } from "./params.ts";
import {
  type FakeSource,
  type Filled,
  type RecordCursor,
  type RecordFilter,
  type SymbolInterval,
} from "./_fake_data.ts";
import { nextYmd } from "./params.ts";

/** Options of `FakeDatabento.addSyntheticTrades`. */
export interface SyntheticTradesOptions {
  dataset: string;
  /** Raw symbol, e.g. "ESH5". */
  symbol: string;
  instrumentId: number;
  /** ts of record 0 (UNIX ns). */
  startNs: bigint;
  /** ns between consecutive records (> 0). */
  stepNs: bigint;
  /** Record slots i in [0, count) (holes included). */
  count: number;
  /** Slots whose time falls in any [fromNs, toNs) are left out. */
  holes?: readonly { fromNs: bigint; toNs: bigint }[];
  /** Price step of the deterministic walk, 1e-9 units (default 10_000_000n = 0.01). */
  priceScale?: bigint;
  /** Price around which the walk moves, 1e-9 units (default 100_000_000_000n = 100.0). */
  basePrice?: bigint;
  /** Header publisher id (default 1). */
  publisherId?: number;
}

/** Size of a v3 TradeMsg. */
const TRADE_SIZE = 48;
const TWO_32 = 2 ** 32;

/** The synthetic trade at slot `i` of a series, as a decoded record (for expectations in tests). */
export function syntheticTrade(options: SyntheticTradesOptions, i: number): TradeMsg {
  const ts = options.startNs + BigInt(i) * options.stepNs;
  return {
    rtype: RType.Mbp0,
    publisherId: options.publisherId ?? 1,
    instrumentId: options.instrumentId,
    tsEvent: ts,
    price: BigInt(priceAt(i, priceParams(options))),
    size: sizeAt(i),
    action: Action.Trade,
    side: i % 2 === 0 ? "B" : "A",
    flags: 0x80,
    depth: 0,
    tsRecv: ts,
    tsInDelta: 0,
    sequence: i % TWO_32,
  } as TradeMsg;
}

/** A lazily generated series of trades as a fake source. */
export class SyntheticTrades implements FakeSource {
  readonly dataset: string;
  readonly schema = "trades";
  readonly recordSize = TRADE_SIZE;
  readonly symbols: ReadonlyMap<string, readonly SymbolInterval[]>;
  readonly instrumentIds: ReadonlySet<number>;
  readonly firstNs: bigint | undefined;
  readonly lastNs: bigint | undefined;
  readonly options: SyntheticTradesOptions;
  /** Index ranges [from, to) that hold records (holes removed), ascending. */
  #segments: [number, number][];

  constructor(options: SyntheticTradesOptions) {
    const { stepNs, count, instrumentId } = options;
    if (stepNs <= 0n) throw new RangeError(`stepNs must be positive, got ${stepNs}`);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    }
    if (!Number.isInteger(instrumentId) || instrumentId < 0 || instrumentId >= TWO_32) {
      throw new RangeError(`instrumentId must be a u32, got ${instrumentId}`);
    }
    priceParams(options);
    this.options = options;
    this.dataset = options.dataset;
    this.#segments = subtractHoles(count, options.holes ?? [], (ns) => this.#slotAtOrAfter(ns));
    const first = this.#segments[0]?.[0];
    const last = this.#segments.at(-1)?.[1];
    this.firstNs = first === undefined ? undefined : this.#tsAt(first);
    this.lastNs = last === undefined ? undefined : this.#tsAt(last - 1);
    this.instrumentIds = new Set([instrumentId]);
    this.symbols = new Map(
      this.firstNs === undefined || this.lastNs === undefined ? [] : [[options.symbol, [{
        startDate: ymdOfNs(this.firstNs),
        endDate: nextYmd(ymdOfNs(this.lastNs)),
        instrumentId,
      }]]],
    );
  }

  count(filter: RecordFilter): number {
    return this.#selected(filter).reduce((sum, [from, to]) => sum + to - from, 0);
  }

  cursor(filter: RecordFilter): RecordCursor {
    const segments = this.#selected(filter);
    const options = this.options;
    const price = priceParams(options);
    const publisherId = options.publisherId ?? 1;
    let k = 0;
    let i = segments[0]?.[0] ?? 0;
    const peek = () => k < segments.length ? this.#tsAt(i) : undefined;
    const fill = (buffer: Uint8Array, offset: number, maxRecords: number, bound?: bigint) => {
      const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const filled: Filled = { records: 0, bytes: 0 };
      while (k < segments.length && filled.records < maxRecords) {
        const room = Math.floor((buffer.length - offset - filled.bytes) / TRADE_SIZE);
        let n = Math.min(segments[k]![1] - i, maxRecords - filled.records, room);
        if (bound !== undefined) n = Math.min(n, this.#slotAtOrAfter(bound + 1n) - i);
        if (n <= 0) break;
        writeTrades(view, offset + filled.bytes, i, n, this.#tsAt(i), options.stepNs, {
          publisherId,
          instrumentId: options.instrumentId,
          ...price,
        });
        filled.records += n;
        filled.bytes += n * TRADE_SIZE;
        i += n;
        if (i >= segments[k]![1]) i = segments[++k]?.[0] ?? i;
      }
      return filled;
    };
    return { peek, fill };
  }

  /** The segments cut to the filter's time range ([] when the instrument is not selected). */
  #selected(filter: RecordFilter): [number, number][] {
    if (
      filter.instrumentIds !== undefined && !filter.instrumentIds.has(this.options.instrumentId)
    ) {
      return [];
    }
    const lo = this.#slotAtOrAfter(filter.startNs);
    const hi = filter.endNs === undefined ? this.options.count : this.#slotAtOrAfter(filter.endNs);
    const out: [number, number][] = [];
    for (const [from, to] of this.#segments) {
      const a = Math.max(from, lo);
      const b = Math.min(to, hi);
      if (a < b) out.push([a, b]);
    }
    return out;
  }

  /** First slot whose time is >= ns, clamped to [0, count]. */
  #slotAtOrAfter(ns: bigint): number {
    const { startNs, stepNs, count } = this.options;
    if (ns <= startNs) return 0;
    const slot = (ns - startNs + stepNs - 1n) / stepNs;
    return slot >= BigInt(count) ? count : Number(slot);
  }

  #tsAt(i: number): bigint {
    return this.options.startNs + BigInt(i) * this.options.stepNs;
  }
}

interface PriceParams {
  base: number;
  step: number;
}

function priceParams(options: SyntheticTradesOptions): PriceParams {
  const base = options.basePrice ?? 100_000_000_000n;
  const step = options.priceScale ?? 10_000_000n;
  const high = base + 500n * step;
  const low = base - 500n * step;
  if (step < 0n || low < 0n || high > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError("Synthetic prices must stay within 0 .. 2^53 (basePrice +/- 500 steps)");
  }
  return { base: Number(base), step: Number(step) };
}

function priceAt(i: number, { base, step }: PriceParams): number {
  return base + ((i * 37) % 1001 - 500) * step;
}

function sizeAt(i: number): number {
  return 1 + (i % 10);
}

/** Writes `n` trades from slot `i` (time `ts`) at `offset`; 64-bit fields as two u32 halves. */
function writeTrades(
  view: DataView,
  offset: number,
  i: number,
  n: number,
  ts: bigint,
  stepNs: bigint,
  fixed: PriceParams & { publisherId: number; instrumentId: number },
): void {
  let tsLo = Number(ts & 0xFFFF_FFFFn);
  let tsHi = Number(ts >> 32n);
  const stepLo = Number(stepNs & 0xFFFF_FFFFn);
  const stepHi = Number(stepNs >> 32n);
  const { publisherId, instrumentId } = fixed;
  for (let j = 0; j < n; j++) {
    const slot = i + j;
    const p = offset + j * TRADE_SIZE;
    const price = priceAt(slot, fixed);
    const priceHi = Math.floor(price / TWO_32);
    view.setUint8(p, TRADE_SIZE / 4);
    view.setUint8(p + 1, RType.Mbp0);
    view.setUint16(p + 2, publisherId, true);
    view.setUint32(p + 4, instrumentId, true);
    view.setUint32(p + 8, tsLo, true);
    view.setUint32(p + 12, tsHi, true);
    view.setUint32(p + 16, price - priceHi * TWO_32, true);
    view.setUint32(p + 20, priceHi, true);
    view.setUint32(p + 24, sizeAt(slot), true);
    view.setUint8(p + 28, 0x54); // 'T'
    view.setUint8(p + 29, slot % 2 === 0 ? 0x42 : 0x41); // 'B' / 'A'
    view.setUint8(p + 30, 0x80);
    view.setUint8(p + 31, 0);
    view.setUint32(p + 32, tsLo, true);
    view.setUint32(p + 36, tsHi, true);
    view.setInt32(p + 40, 0, true);
    view.setUint32(p + 44, slot % TWO_32, true);
    tsLo += stepLo;
    tsHi += stepHi;
    if (tsLo >= TWO_32) {
      tsLo -= TWO_32;
      tsHi += 1;
    }
  }
}

/** The index ranges of [0, count) left after removing the slots inside the holes. */
function subtractHoles(
  count: number,
  holes: readonly { fromNs: bigint; toNs: bigint }[],
  slotAtOrAfter: (ns: bigint) => number,
): [number, number][] {
  const cuts = holes
    .map(({ fromNs, toNs }) => [slotAtOrAfter(fromNs), slotAtOrAfter(toNs)] as [number, number])
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  let at = 0;
  for (const [a, b] of cuts) {
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < count) out.push([at, count]);
  return out;
}
