// The seed's RSI strategy.
import { Rsi } from "@core/mod.ts";
import { HOLD, type OhlcBar, type Signal } from "../types.ts";
import { BuiltinStrategy } from "./_base.ts";
import { badValue, type ParamValues, QUANTITY_PARAM, TIMEFRAME_PARAM } from "./_params.ts";

/**
 * RSI (Wilder): BUY when RSI crosses below `oversold` (and flat); SELL to flat while RSI is above
 * `overbought` (and long).
 */
export class RsiStrategy extends BuiltinStrategy {
  #rsi: Rsi | undefined;
  #oversold = 30;
  #overbought = 70;
  /** RSI on the previous closed bar (NaN until ready). */
  #previous = NaN;

  constructor() {
    super({
      id: "rsi",
      name: "RSI overbought/oversold",
      description: "Buys when RSI crosses below the oversold level; sells when it is above the " +
        "overbought level",
      params: [
        {
          name: "period",
          description: "RSI period (bars)",
          default: "14",
          kind: "int",
          min: 2,
          max: 100_000,
        },
        {
          name: "oversold",
          description: "Oversold level",
          default: "30",
          kind: "decimal",
          min: 0,
          max: 100,
        },
        {
          name: "overbought",
          description: "Overbought level",
          default: "70",
          kind: "decimal",
          min: 0,
          max: 100,
        },
        QUANTITY_PARAM,
        TIMEFRAME_PARAM,
      ],
    });
  }

  protected override validate(values: ParamValues): void {
    const oversold = values.number("oversold");
    const overbought = values.number("overbought");
    if (oversold >= overbought) {
      throw badValue(this.id, "oversold", String(oversold), `less than overbought (${overbought})`);
    }
  }

  protected setup(values: ParamValues): void {
    this.#rsi = this.own(new Rsi(values.number("period")));
    this.#oversold = values.number("oversold");
    this.#overbought = values.number("overbought");
    this.#previous = NaN;
  }

  protected override onReset(): void {
    this.#previous = NaN;
  }

  protected onClosedBar(bar: OhlcBar): Signal {
    const rsi = this.#rsi!.update(bar.close);
    const previous = this.#previous;
    this.#previous = rsi;
    if (previous >= this.#oversold && rsi < this.#oversold && !this.long) {
      return this.buy(`RSI ${rsi.toFixed(2)} crossed below ${this.#oversold}`);
    }
    if (rsi > this.#overbought && this.long) {
      return this.sellAll(`RSI ${rsi.toFixed(2)} above ${this.#overbought}`);
    }
    return HOLD;
  }
}
