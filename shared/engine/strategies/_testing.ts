// Test support: frozen BarData values (as the bar generator makes them) and a signal recorder.
import type { BarData, BarType, Signal, Strategy } from "../types.ts";

const MINUTE_NS = 60_000_000_000n;
const ONE_MINUTE: BarType = Object.freeze({ kind: "time", timeframe: "1m" });

/** A bar as plain numbers; open defaults to close, high/low to max/min of open and close. */
export interface BarSpec {
  close: number;
  open?: number;
  high?: number;
  low?: number;
  volume?: number;
  synthetic?: boolean;
}

/** The close event of the `index`-th one-minute bar. */
export function closedBar(spec: BarSpec | number, index = 0): BarData {
  const s = typeof spec === "number" ? { close: spec } : spec;
  const open = s.open ?? s.close;
  return Object.freeze({
    ohlcBar: Object.freeze({
      openTime: BigInt(index) * MINUTE_NS,
      closeTime: BigInt(index + 1) * MINUTE_NS,
      open,
      high: s.high ?? Math.max(open, s.close),
      low: s.low ?? Math.min(open, s.close),
      close: s.close,
      volume: s.synthetic ? 0 : s.volume ?? 1,
    }),
    metadata: Object.freeze({
      symbol: "BTCUSD",
      barType: ONE_MINUTE,
      isFirstTick: false,
      isBarClosed: true,
      isSynthetic: s.synthetic ?? false,
      tickCount: s.synthetic ? 0 : 1,
    }),
  });
}

/** Close events of consecutive one-minute bars. */
export function closedBars(specs: readonly (BarSpec | number)[]): BarData[] {
  return specs.map((spec, i) => closedBar(spec, i));
}

/** An OnEachTick event inside the `index`-th bar (not closed) at `price`. */
export function tickEvent(price: number, index = 0, isFirstTick = false): BarData {
  const tsEvent = BigInt(index) * MINUTE_NS + 1_000_000_000n;
  return Object.freeze({
    currentTick: Object.freeze({
      tsEvent,
      price,
      priceFixed: BigInt(Math.round(price * 1e9)),
      size: 1,
      side: "B" as const,
    }),
    ohlcBar: Object.freeze({
      openTime: BigInt(index) * MINUTE_NS,
      closeTime: tsEvent,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 1,
    }),
    metadata: Object.freeze({
      symbol: "BTCUSD",
      barType: ONE_MINUTE,
      isFirstTick,
      isBarClosed: false,
      isSynthetic: false,
      tickCount: 1,
    }),
  });
}

/** A non-HOLD signal and the index of the event that produced it. */
export interface Signalled {
  index: number;
  signal: Signal;
}

/** Feeds every event and returns the signals other than HOLD. */
export function signalsOf(strategy: Strategy, events: readonly BarData[]): Signalled[] {
  const out: Signalled[] = [];
  events.forEach((event, index) => {
    const signal = strategy.onBarData(event);
    if (signal.action !== "HOLD") out.push({ index, signal });
  });
  return out;
}

/** The signals as "BUY@6" / "SELL@9" strings, for compact assertions. */
export function actionsOf(strategy: Strategy, events: readonly BarData[]): string[] {
  return signalsOf(strategy, events).map(({ index, signal }) => `${signal.action}@${index}`);
}
