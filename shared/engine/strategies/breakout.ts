// Channel breakout (Donchian) with an optional ATR trailing stop.
import { Atr, RollingMax, RollingMin } from "@core/mod.ts";
import { HOLD, type OhlcBar, type Signal } from "../types.ts";
import { BuiltinStrategy } from "./_base.ts";
import { type ParamValues, QUANTITY_PARAM, TIMEFRAME_PARAM } from "./_params.ts";

/**
 * Breakout: BUY when the close is above the highest high of the previous `lookback` bars (and
 * flat); SELL to flat when it is below their lowest low (and long). With atr_stop = k > 0, also
 * SELL when the close falls below (highest close since entry - k * ATR(lookback)), the ATR being
 * that of the bars before the current one.
 */
export class BreakoutStrategy extends BuiltinStrategy {
  #highs: RollingMax | undefined;
  #lows: RollingMin | undefined;
  #atr: Atr | undefined;
  #atrStop = 0;
  /** Highest close since the last BUY. */
  #peak = -Infinity;

  constructor() {
    super({
      id: "breakout",
      name: "Channel breakout",
      description: "Buys when the close breaks above the previous bars' highest high; sells " +
        "below their lowest low or on an optional ATR trailing stop",
      params: [
        {
          name: "lookback",
          description: "Bars in the channel",
          default: "20",
          kind: "int",
          min: 1,
          max: 100_000,
        },
        {
          name: "atr_stop",
          description: "Trailing stop in ATRs below the highest close since entry (0 = off)",
          default: "0",
          kind: "decimal",
          min: 0,
          max: 1000,
        },
        QUANTITY_PARAM,
        TIMEFRAME_PARAM,
      ],
    });
  }

  protected setup(values: ParamValues): void {
    const lookback = values.number("lookback");
    this.#highs = this.own(new RollingMax(lookback));
    this.#lows = this.own(new RollingMin(lookback));
    this.#atr = this.own(new Atr(lookback));
    this.#atrStop = values.number("atr_stop");
    this.#peak = -Infinity;
  }

  protected override onReset(): void {
    this.#peak = -Infinity;
  }

  protected onClosedBar(bar: OhlcBar): Signal {
    // The channel and the ATR of the previous bars, then the current bar joins them.
    const highest = this.#highs!.value;
    const lowest = this.#lows!.value;
    const atr = this.#atr!.value;
    this.#highs!.update(bar.high);
    this.#lows!.update(bar.low);
    this.#atr!.update(bar.high, bar.low, bar.close);
    const close = bar.close;
    if (!this.long) {
      if (close > highest) {
        this.#peak = close;
        return this.buy(`close ${close} above the ${this.#highs!.period}-bar high ${highest}`);
      }
      return HOLD;
    }
    if (close < lowest) {
      return this.sellAll(`close ${close} below the ${this.#lows!.period}-bar low ${lowest}`);
    }
    if (this.#atrStop > 0 && close < this.#peak - this.#atrStop * atr) {
      return this.sellAll(
        `close ${close} hit the ATR trailing stop ${this.#peak - this.#atrStop * atr}`,
      );
    }
    this.#peak = Math.max(this.#peak, close);
    return HOLD;
  }
}
