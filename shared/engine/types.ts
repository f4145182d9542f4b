/**
 * The engine's vocabulary: ticks in columns, bar types and modes, the BarData a strategy sees,
 * signals, and the Strategy contract. Backtest and paper trading speak only these.
 * @module
 */

/** Time bar lengths. Bars are aligned to the UNIX epoch in UTC; 1w bars start on Monday 00:00. */
export const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"] as const;
/** A time bar length. */
export type Timeframe = typeof TIMEFRAMES[number];

/** Time based (closed by time) or tick based (closed after `ticks` ticks). */
export type BarType =
  | { readonly kind: "time"; readonly timeframe: Timeframe }
  | { readonly kind: "tick"; readonly ticks: number };

/** When a strategy is called (see shared/engine/README.md for the exact event order). */
export const BAR_DATA_MODES = ["OnEachTick", "OnPriceMove", "OnCloseBar"] as const;
/** One of {@linkcode BAR_DATA_MODES}. */
export type BarDataMode = typeof BAR_DATA_MODES[number];

/** Aggressor side as DBN writes it: A (sell aggressor), B (buy aggressor), N (none). */
export type TickSide = "A" | "B" | "N";

/**
 * Trades of one instrument as columns in the WASM core's memory (views of a ColumnBatch or
 * equivalent): the engine's hot loop reads them without a JS object per tick. `length` rows are
 * valid; ts_event is non-decreasing within and across chunks of a source.
 */
export interface TickChunk {
  readonly length: number;
  /** ts_event, ns since the UNIX epoch. */
  readonly tsEvent: BigUint64Array;
  /** DBN fixed point, 1e-9 units. */
  readonly price: BigInt64Array;
  /** DBN u32 size: quantity * 10^sizeScale. */
  readonly size: Uint32Array;
  /** DBN side byte: 65 'A', 66 'B', 78 'N'. */
  readonly side: Uint8Array;
}

/** Where a backtest's (or a replay's) ticks come from. */
export interface TickSource {
  /** One line for logs and the result ("file data/btc.dbn.zst", "db BTCUSD@KRAKEN", ...). */
  readonly description: string;
  readonly symbol: string;
  /** Decimal places of `size` (size = quantity * 10^sizeScale). */
  readonly sizeScale: number;
  /** Ticks the source will yield, when known up front (progress bars). */
  readonly totalTicks?: number;
  /**
   * The chunks, oldest first. A chunk's views are valid until the next one is requested; the
   * source frees its buffers when the iteration ends (also on break/throw).
   */
  chunks(): AsyncIterable<TickChunk>;
}

/** One trade as a strategy sees it. */
export interface TickData {
  readonly tsEvent: bigint;
  /** Price in price units (float view of the exact fixed price). */
  readonly price: number;
  /** Exact DBN fixed price (1e-9 units). */
  readonly priceFixed: bigint;
  /** Quantity in base units (float view of size / 10^sizeScale). */
  readonly size: number;
  readonly side: TickSide;
}

/** The OHLC state of a bar: closed, or accumulated so far. Prices in price units. */
export interface OhlcBar {
  /** Bar start, ns (time bars: the aligned interval start; tick bars: the first tick's time). */
  readonly openTime: bigint;
  /** Bar end, ns, exclusive (time bars: start + length; tick bars: the last tick's time). */
  readonly closeTime: bigint;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Sum of trade quantities in base units. */
  readonly volume: number;
}

/** What kind of event a BarData is. */
export interface BarMetadata {
  readonly symbol: string;
  readonly barType: BarType;
  /** The event's tick is the first of its bar. */
  readonly isFirstTick: boolean;
  /** The bar is complete (a close event; `currentTick` is undefined for time bars). */
  readonly isBarClosed: boolean;
  /** No tick fell in the interval: O=H=L=C = the last price before it, volume 0. */
  readonly isSynthetic: boolean;
  /** Ticks in the bar so far. */
  readonly tickCount: number;
}

/** One event delivered to `Strategy.onBarData`. Frozen: holding it never reveals later data. */
export interface BarData {
  readonly currentTick?: TickData;
  readonly ohlcBar: OhlcBar;
  readonly metadata: BarMetadata;
}

/**
 * A strategy's answer. BUY/SELL carry a `quantity` (base units to trade) or a `target` (the
 * position to reach: BUY target 1 buys up to +1, SELL target 0 goes flat); with neither, the
 * engine uses the strategy's `quantity` parameter. `limitPrice` makes it a limit order.
 * Decimal strings are exact; numbers are read through their shortest decimal form.
 */
export type Signal =
  | { readonly action: "HOLD" }
  | {
    readonly action: "BUY" | "SELL";
    readonly quantity?: string | number;
    readonly target?: string | number;
    readonly limitPrice?: string | number;
    /** Free text kept with the order in logs and results. */
    readonly reason?: string;
  };

/** The HOLD signal. */
export const HOLD: Signal = Object.freeze({ action: "HOLD" });

/** A strategy parameter as the CLI and the interactive prompt present it. */
export interface ParamSpec {
  readonly name: string;
  readonly description: string;
  /** The default as text ("10", "0.5"). */
  readonly default: string;
  readonly kind: "int" | "decimal" | "timeframe" | "string";
  /** Inclusive bounds for int and decimal kinds. */
  readonly min?: number;
  readonly max?: number;
}

/**
 * A trading strategy: pure with respect to the engine (no I/O, no clock); it sees only closed data
 * through `onBarData`. `initialize` validates parameters and throws StrategyParamError for an
 * unknown name or a bad value; `reset` returns it to the state right after `initialize`.
 */
export interface Strategy {
  /** Registry id ("sma", "rsi", ...; a user file's basename). */
  readonly id: string;
  /** Human-readable name. */
  readonly name: string;
  /** The parameters `initialize` accepts, with defaults. */
  readonly params: readonly ParamSpec[];
  initialize(params: Readonly<Record<string, string>>): void;
  onBarData(barData: BarData): Signal;
  barDataMode(): BarDataMode;
  preferredBarType(): BarType;
  reset(): void;
  /** The account this strategy trades on; undefined: the config's mapping, else the default. */
  accountId(): string | undefined;
}

/** Nanoseconds per bar of each timeframe. */
export const TIMEFRAME_NS: Readonly<Record<Timeframe, bigint>> = {
  "1m": 60_000_000_000n,
  "5m": 300_000_000_000n,
  "15m": 900_000_000_000n,
  "30m": 1_800_000_000_000n,
  "1h": 3_600_000_000_000n,
  "4h": 14_400_000_000_000n,
  "1d": 86_400_000_000_000n,
  "1w": 604_800_000_000_000n,
};

/** 1w bars start on Monday: the UNIX epoch was a Thursday, 4 days after a Monday. */
export const WEEK_OFFSET_NS = 4n * 86_400_000_000_000n;
