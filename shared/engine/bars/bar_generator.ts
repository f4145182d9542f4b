/**
 * The one bar generator of backtest and paper trading. History feeds it chunks of columns (ticks
 * close bars); real time feeds it one tick at a time and a clock calls `closeDue` (a timer closes
 * bars). Both run the same kernel, so the same ticks give the same events.
 * @module
 */
import { BarEvent, BarKernel, type FixedBar, NO_STOP } from "@core/mod.ts";
import {
  type BarData,
  type BarDataMode,
  type BarType,
  type TickChunk,
  type TickData,
  TIMEFRAME_NS,
  WEEK_OFFSET_NS,
} from "../types.ts";
import {
  type BarContext,
  closedBarData,
  priceToNumber,
  sideOf,
  syntheticBarData,
  tickBarData,
} from "./bar_data.ts";
import { readI64, readU32, readU64, readU8 } from "./core_views.ts";
import { type ChunkPointers, corePointers, CoreTickColumns } from "./tick_columns.ts";

/** Where a generator delivers its events. */
export interface BarSink {
  /** A strategy event; `lastPrice` is the fixed price it ends on (bar close or tick price). */
  onBarData(event: BarData, lastPrice: bigint): void;
  /** Row `index` of the chunk being processed crossed the stop band; not yet aggregated. */
  onCross(index: number): void;
}

/** Options of {@linkcode BarGenerator}. */
export interface BarGeneratorOptions {
  symbol: string;
  barType: BarType;
  mode: BarDataMode;
  /** Decimal places of DBN sizes (size = quantity * 10^sizeScale). */
  sizeScale: number;
}

const MODE_CODE: Readonly<Record<BarDataMode, 0 | 1 | 2>> = {
  OnEachTick: 0,
  OnPriceMove: 1,
  OnCloseBar: 2,
};

/** Checks a bar type; throws RangeError with one line. */
export function checkBarType(barType: BarType): BarType {
  if (barType.kind === "time") {
    if (!(barType.timeframe in TIMEFRAME_NS)) {
      throw new RangeError(`Unknown timeframe "${barType.timeframe}"`);
    }
  } else if (!Number.isInteger(barType.ticks) || barType.ticks < 1 || barType.ticks > 1e9) {
    throw new RangeError(`Tick bars need 1 to 1e9 ticks, got ${barType.ticks}`);
  }
  return barType;
}

/** Time or tick bars from trades, as BarData events. */
export class BarGenerator implements Disposable {
  readonly #kernel: BarKernel;
  readonly #context: BarContext;
  readonly #span: bigint;
  #one: CoreTickColumns | undefined;
  #copy: CoreTickColumns | undefined;
  #pointers: ChunkPointers | undefined;

  constructor(options: BarGeneratorOptions) {
    const barType = checkBarType(options.barType);
    if (!Number.isInteger(options.sizeScale) || options.sizeScale < 0 || options.sizeScale > 18) {
      throw new RangeError(`Size scale must be an integer from 0 to 18, got ${options.sizeScale}`);
    }
    const mode = MODE_CODE[options.mode];
    if (mode === undefined) throw new RangeError(`Unknown bar data mode "${options.mode}"`);
    this.#span = barType.kind === "time" ? TIMEFRAME_NS[barType.timeframe] : BigInt(barType.ticks);
    this.#kernel = new BarKernel({
      kind: barType.kind,
      span: this.#span,
      offset: barType.kind === "time" && barType.timeframe === "1w" ? WEEK_OFFSET_NS : 0n,
      mode,
    });
    this.#context = {
      symbol: options.symbol,
      barType: Object.freeze({ ...barType }),
      sizeUnit: 10 ** options.sizeScale,
    };
  }

  /** Ticks aggregated so far. */
  get ticks(): number {
    return this.#kernel.ticks;
  }

  /** Resting orders: stop at the next tick priced <= lo or >= hi (NO_STOP for none). */
  setStopBand(lo: bigint, hi: bigint): void {
    this.#kernel.setStopBand(lo, hi);
  }

  /** Clears the stop band. */
  clearStopBand(): void {
    this.#kernel.setStopBand(NO_STOP.lo, NO_STOP.hi);
  }

  /** ts_event and fixed price of row `index` of the chunk being processed. */
  tickAt(index: number): { tsEvent: bigint; price: bigint } {
    const p = this.#current();
    return { tsEvent: readU64(p.ts, index), price: readI64(p.price, index) };
  }

  /** Feeds a chunk of history (or of live ticks), delivering every event to `sink`. */
  process(chunk: TickChunk, sink: BarSink): void {
    if (chunk.length === 0) return;
    let pointers = corePointers(chunk);
    if (pointers === undefined) {
      if (this.#copy === undefined || this.#copy.capacity < chunk.length) {
        this.#copy?.free();
        this.#copy = new CoreTickColumns(Math.max(chunk.length, 1024));
      }
      this.#copy.copyFrom(chunk);
      pointers = this.#copy.pointers();
    }
    this.#pointers = pointers;
    try {
      this.#run(pointers, chunk.length, sink);
    } finally {
      this.#pointers = undefined;
    }
  }

  /** Real time: one tick. */
  pushTick(tsEvent: bigint, price: bigint, size: number, side: number, sink: BarSink): void {
    this.#one ??= new CoreTickColumns(1);
    this.#one.setOne(tsEvent, price, size, side);
    this.process(this.#one, sink);
  }

  /** Real-time clock (and the end of a history range): closes the bars due at `nowNs`. */
  closeDue(nowNs: bigint, sink: BarSink): void {
    if (this.#kernel.closeDue(nowNs) !== 0) this.#emitClosed(sink);
  }

  free(): void {
    this.#kernel.free();
    this.#one?.free();
    this.#copy?.free();
  }

  [Symbol.dispose](): void {
    this.free();
  }

  #current(): ChunkPointers {
    if (this.#pointers === undefined) throw new Error("No chunk is being processed");
    return this.#pointers;
  }

  #run(p: ChunkPointers, length: number, sink: BarSink): void {
    const kernel = this.#kernel;
    kernel.skipCrossAt(-1);
    let from = 0;
    for (;;) {
      const events = kernel.run(p.ts, p.price, p.size, from, length);
      if (events === 0) return;
      const at = kernel.at;
      if (events & BarEvent.ClosedBefore) this.#emitClosed(sink);
      if (events & BarEvent.Cross) {
        kernel.skipCrossAt(at);
        sink.onCross(at);
      }
      if (events & BarEvent.Tick) {
        const bar = kernel.openBar() ?? kernel.closedBar()!;
        sink.onBarData(tickBarData(this.#tickData(p, at), bar, this.#context), bar.close);
      }
      if (events & BarEvent.ClosedAfter) {
        const bar = kernel.closedBar()!;
        sink.onBarData(closedBarData(bar, this.#context), bar.close);
      }
      from = kernel.resume;
    }
  }

  #tickData(p: ChunkPointers, index: number): TickData {
    const price = readI64(p.price, index);
    return {
      tsEvent: readU64(p.ts, index),
      price: priceToNumber(price),
      priceFixed: price,
      size: readU32(p.size, index) / this.#context.sizeUnit,
      side: sideOf(readU8(p.side, index)),
    };
  }

  #emitClosed(sink: BarSink): void {
    const closed: FixedBar | undefined = this.#kernel.closedBar();
    const synthetic = this.#kernel.synthetic();
    if (closed !== undefined) sink.onBarData(closedBarData(closed, this.#context), closed.close);
    let start = synthetic.start;
    for (let k = 0; k < synthetic.count; k++) {
      const end = start + this.#span;
      sink.onBarData(syntheticBarData(start, end, synthetic.price, this.#context), synthetic.price);
      start = end;
    }
  }
}
