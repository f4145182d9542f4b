// Momentum: rate of change over a lookback.
import { Roc } from "@core/mod.ts";
import { HOLD, type OhlcBar, type Signal } from "../types.ts";
import { BuiltinStrategy } from "./_base.ts";
import { type ParamValues, QUANTITY_PARAM, TIMEFRAME_PARAM } from "./_params.ts";

/**
 * Momentum: ROC = close / close `lookback` bars ago - 1. BUY when ROC > threshold (and flat);
 * SELL to flat when ROC < -threshold (and long).
 */
export class MomentumStrategy extends BuiltinStrategy {
  #roc: Roc | undefined;
  #threshold = 0.01;

  constructor() {
    super({
      id: "momentum",
      name: "Momentum (rate of change)",
      description: "Buys when the close rose more than the threshold over the lookback; sells " +
        "when it fell more than the threshold",
      params: [
        {
          name: "lookback",
          description: "Bars to look back",
          default: "20",
          kind: "int",
          min: 1,
          max: 100_000,
        },
        {
          name: "threshold",
          description: "Rate of change that triggers (0.01 = 1%)",
          default: "0.01",
          kind: "decimal",
          min: 0,
          max: 100,
        },
        QUANTITY_PARAM,
        TIMEFRAME_PARAM,
      ],
    });
  }

  protected setup(values: ParamValues): void {
    this.#roc = this.own(new Roc(values.number("lookback")));
    this.#threshold = values.number("threshold");
  }

  protected onClosedBar(bar: OhlcBar): Signal {
    const roc = this.#roc!.update(bar.close);
    if (roc > this.#threshold && !this.long) {
      return this.buy(`ROC ${roc.toFixed(4)} > ${this.#threshold}`);
    }
    if (roc < -this.#threshold && this.long) {
      return this.sellAll(`ROC ${roc.toFixed(4)} < -${this.#threshold}`);
    }
    return HOLD;
  }
}
