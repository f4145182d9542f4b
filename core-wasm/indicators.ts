// Streaming indicators whose state lives in the core's linear memory (assembly/indicators).
// Each class owns one block: free it with free() or `using`; a FinalizationRegistry frees blocks
// that were dropped without it. Values are floats; NaN until the indicator is warm.
import { core } from "./_instance.ts";
import { CoreBuffer } from "./buffer.ts";
import { CoreWasmError } from "./errors.ts";

/** Largest period an indicator accepts. */
export const MAX_INDICATOR_PERIOD = 1_000_000;

const KIND = {
  Sma: 1,
  Ema: 2,
  Rsi: 3,
  Bollinger: 4,
  Atr: 5,
  ZScore: 6,
  Roc: 7,
  RollingMax: 8,
  RollingMin: 9,
} as const;
type KindName = keyof typeof KIND;

/** Values per chunk copied through core memory by the batch updates. */
const CHUNK = 65_536;

const leaked = new FinalizationRegistry<number>((ptr) => core.indicatorFree(ptr));

function checkFinite(name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(`Cannot update ${name}: value at index ${i} is ${v}, not finite`);
    }
  }
}

function checkOut(name: string, length: number, out: Float64Array | undefined): Float64Array {
  if (out === undefined) return new Float64Array(length);
  if (out.length < length) {
    throw new RangeError(
      `Cannot update ${name}: output holds ${out.length} values, ${length} needed`,
    );
  }
  return out;
}

/**
 * Copies `inputs` through core memory chunk by chunk, runs `kernel` on column pointers (outputs
 * reuse the input columns), and copies the outputs back.
 */
function runBatch(
  inputs: readonly Float64Array[],
  outputs: readonly Float64Array[],
  kernel: (columns: readonly number[], length: number) => void,
): void {
  const total = inputs[0]?.length ?? 0;
  if (total === 0) return;
  const width = Math.max(inputs.length, outputs.length);
  const chunk = Math.min(total, CHUNK);
  using block = new CoreBuffer(width * chunk * 8);
  const columns = Array.from({ length: width }, (_, j) => block.ptr + j * chunk * 8);
  for (let at = 0; at < total; at += chunk) {
    const length = Math.min(chunk, total - at);
    let memory = new Float64Array(core.memory.buffer);
    inputs.forEach((v, j) => memory.set(v.subarray(at, at + length), columns[j]! >> 3));
    kernel(columns, length);
    memory = new Float64Array(core.memory.buffer);
    outputs.forEach((o, j) => {
      const start = columns[j]! >> 3;
      o.set(memory.subarray(start, start + length), at);
    });
  }
}

/** Owner of one indicator block in core memory. */
abstract class CoreIndicator implements Disposable {
  /** Inputs averaged / looked back over. */
  readonly period: number;
  #ptr: number;

  protected constructor(kind: KindName, period: number, multiplier = 0) {
    if (!Number.isInteger(period) || period < 1 || period > MAX_INDICATOR_PERIOD) {
      throw new RangeError(
        `Cannot create ${kind}: period ${period} is not an integer in [1, ${MAX_INDICATOR_PERIOD}]`,
      );
    }
    this.period = period;
    this.#ptr = core.indicatorNew(KIND[kind], period, multiplier);
    if (this.#ptr === 0) {
      throw new CoreWasmError("CORE_WASM_INVALID", `Cannot create ${kind}(${period})`);
    }
    leaked.register(this, this.#ptr, this);
  }

  /** The block's pointer; throws once freed. */
  protected get ptr(): number {
    if (this.#ptr === 0) throw new TypeError(`Cannot use ${this.constructor.name}: it was freed`);
    return this.#ptr;
  }

  /** Whether the warm-up inputs are in (values are no longer NaN). */
  get isReady(): boolean {
    return core.indicatorReady(this.ptr) === 1;
  }

  /** Forgets every input (the state right after construction). */
  reset(): void {
    core.indicatorReset(this.ptr);
  }

  /** Returns the block to the core; idempotent. Any later use throws. */
  free(): void {
    if (this.#ptr === 0) return;
    core.indicatorFree(this.#ptr);
    leaked.unregister(this);
    this.#ptr = 0;
  }

  [Symbol.dispose](): void {
    this.free();
  }

  protected checkValue(x: number): void {
    if (!Number.isFinite(x)) {
      throw new RangeError(`Cannot update ${this.constructor.name}: value ${x} is not finite`);
    }
  }
}

/** An indicator fed one value per update with one value out. */
abstract class ScalarIndicator extends CoreIndicator {
  /** Adds one input; returns the current value (NaN until warm). */
  update(x: number): number {
    this.checkValue(x);
    return core.indicatorUpdate(this.ptr, x);
  }

  /** The current value (NaN until warm). */
  get value(): number {
    return core.indicatorValue(this.ptr);
  }

  /** Adds every input in order; out[i] is the value after values[i] (NaN until warm). */
  updateMany(values: Float64Array, out?: Float64Array): Float64Array {
    const ptr = this.ptr;
    checkFinite(this.constructor.name, values);
    const result = checkOut(this.constructor.name, values.length, out);
    runBatch([values], [result], ([column], length) => {
      core.indicatorUpdateMany(ptr, column!, column!, length);
    });
    return result;
  }
}

/** Simple moving average of the last `period` inputs. */
export class Sma extends ScalarIndicator {
  constructor(period: number) {
    super("Sma", period);
  }
}

/**
 * Exponential moving average, alpha 2/(period+1), as trading-signals 8.3.0 computes it: seeded
 * with the first input and reported from the period-th input on.
 */
export class Ema extends ScalarIndicator {
  constructor(period: number) {
    super("Ema", period);
  }
}

/** RSI with Wilder smoothing; 100 while the average loss is 0. Ready after period + 1 inputs. */
export class Rsi extends ScalarIndicator {
  constructor(period: number) {
    super("Rsi", period);
  }
}

/**
 * Z-score of the latest input in the last `period` inputs: (x - mean) / population std dev; 0
 * when every input of the window is equal (std 0).
 */
export class ZScore extends ScalarIndicator {
  constructor(period: number) {
    super("ZScore", period);
  }
}

/** Rate of change over `period` inputs: (x - x[t-period]) / x[t-period]. */
export class Roc extends ScalarIndicator {
  constructor(period: number) {
    super("Roc", period);
  }
}

/** Highest of the last `period` inputs. */
export class RollingMax extends ScalarIndicator {
  constructor(period: number) {
    super("RollingMax", period);
  }
}

/** Lowest of the last `period` inputs. */
export class RollingMin extends ScalarIndicator {
  constructor(period: number) {
    super("RollingMin", period);
  }
}

/** Bollinger bands at one point. */
export interface BollingerBand {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
}

/** Bollinger bands as columns. */
export interface BollingerColumns {
  readonly middle: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
}

/** Bollinger bands: middle = SMA, upper/lower = middle +/- k * population std dev. */
export class Bollinger extends CoreIndicator {
  /** The band width in standard deviations. */
  readonly k: number;

  constructor(period: number, k = 2) {
    if (!Number.isFinite(k) || k < 0) {
      throw new RangeError(`Cannot create Bollinger: k ${k} is not a finite number >= 0`);
    }
    super("Bollinger", period, k);
    this.k = k;
  }

  /** Adds one input; returns the bands (NaN until warm). */
  update(x: number): BollingerBand {
    this.checkValue(x);
    core.indicatorUpdate(this.ptr, x);
    return this.value;
  }

  /** The current bands (NaN until warm). */
  get value(): BollingerBand {
    const ptr = this.ptr;
    return {
      middle: core.indicatorValue(ptr),
      upper: core.indicatorUpper(ptr),
      lower: core.indicatorLower(ptr),
    };
  }

  /** Adds every input in order; row i of the columns holds the bands after values[i]. */
  updateMany(values: Float64Array, out?: BollingerColumns): BollingerColumns {
    const ptr = this.ptr;
    checkFinite("Bollinger", values);
    const n = values.length;
    const result = {
      middle: checkOut("Bollinger", n, out?.middle),
      upper: checkOut("Bollinger", n, out?.upper),
      lower: checkOut("Bollinger", n, out?.lower),
    };
    runBatch([values], [result.middle, result.upper, result.lower], ([m, u, l], length) => {
      core.indicatorUpdateBands(ptr, m!, m!, u!, l!, length);
    });
    return result;
  }
}

/** High, low and close columns of equal length. */
export interface HlcColumns {
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

/** Average true range with Wilder smoothing (trading-signals' default WSMA). */
export class Atr extends CoreIndicator {
  constructor(period: number) {
    super("Atr", period);
  }

  /** Adds one bar; returns the ATR (NaN until warm). */
  update(high: number, low: number, close: number): number {
    this.checkValue(high);
    this.checkValue(low);
    this.checkValue(close);
    return core.indicatorUpdateHlc(this.ptr, high, low, close);
  }

  /** The current ATR (NaN until warm). */
  get value(): number {
    return core.indicatorValue(this.ptr);
  }

  /** Adds every bar in order; out[i] is the ATR after bar i (NaN until warm). */
  updateMany(bars: HlcColumns, out?: Float64Array): Float64Array {
    const ptr = this.ptr;
    const { high, low, close } = bars;
    if (high.length !== close.length || low.length !== close.length) {
      throw new RangeError(
        `Cannot update Atr: columns differ in length (${high.length}, ${low.length}, ${close.length})`,
      );
    }
    for (const column of [high, low, close]) checkFinite("Atr", column);
    const result = checkOut("Atr", close.length, out);
    runBatch([high, low, close], [result], ([h, l, c], length) => {
      // The output reuses the high column: each row is read before it is written.
      core.indicatorUpdateManyHlc(ptr, h!, l!, c!, h!, length);
    });
    return result;
  }
}
