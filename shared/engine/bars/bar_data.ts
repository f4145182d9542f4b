/**
 * Frozen BarData values from the kernel's fixed-point bars: a strategy that keeps one sees the
 * same numbers forever, and cannot reach anything later than the event.
 * @module
 */
import type { FixedBar } from "@core/mod.ts";
import type { BarData, BarMetadata, BarType, OhlcBar, TickData, TickSide } from "../types.ts";

const PRICE_UNIT = 1e9;

/** A fixed 1e-9 price as a float in price units. */
export function priceToNumber(price: bigint): number {
  return Number(price) / PRICE_UNIT;
}

/** What every event of one generator shares. */
export interface BarContext {
  symbol: string;
  barType: BarType;
  /** 10^sizeScale, to turn DBN sizes into quantities. */
  sizeUnit: number;
}

/** The side byte as a letter. */
export function sideOf(byte: number): TickSide {
  return byte === 66 ? "B" : byte === 65 ? "A" : "N";
}

function ohlcOf(bar: FixedBar, context: BarContext): OhlcBar {
  return Object.freeze({
    openTime: bar.start,
    closeTime: bar.end,
    open: priceToNumber(bar.open),
    high: priceToNumber(bar.high),
    low: priceToNumber(bar.low),
    close: priceToNumber(bar.close),
    volume: Number(bar.volume) / context.sizeUnit,
  });
}

function metadataOf(
  context: BarContext,
  fields: Pick<BarMetadata, "isFirstTick" | "isBarClosed" | "isSynthetic" | "tickCount">,
): BarMetadata {
  return Object.freeze({ symbol: context.symbol, barType: context.barType, ...fields });
}

/** The close event of a real bar. */
export function closedBarData(bar: FixedBar, context: BarContext): BarData {
  return Object.freeze({
    ohlcBar: ohlcOf(bar, context),
    metadata: metadataOf(context, {
      isFirstTick: false,
      isBarClosed: true,
      isSynthetic: false,
      tickCount: bar.count,
    }),
  });
}

/** The close event of an empty interval: O=H=L=C=`price`, volume 0. */
export function syntheticBarData(
  start: bigint,
  end: bigint,
  price: bigint,
  context: BarContext,
): BarData {
  const bar = { start, end, open: price, high: price, low: price, close: price, volume: 0n };
  return Object.freeze({
    ohlcBar: ohlcOf({ ...bar, count: 0 }, context),
    metadata: metadataOf(context, {
      isFirstTick: false,
      isBarClosed: true,
      isSynthetic: true,
      tickCount: 0,
    }),
  });
}

/** A tick event: the tick and the bar so far. */
export function tickBarData(tick: TickData, bar: FixedBar, context: BarContext): BarData {
  return Object.freeze({
    currentTick: Object.freeze(tick),
    ohlcBar: ohlcOf(bar, context),
    metadata: metadataOf(context, {
      isFirstTick: bar.count === 1,
      isBarClosed: false,
      isSynthetic: false,
      tickCount: bar.count,
    }),
  });
}
