// Mean reversion on a z-score or on Bollinger bands.
import { Bollinger, ZScore } from "@core/mod.ts";
import { HOLD, type OhlcBar, type Signal } from "../types.ts";
import { BuiltinStrategy } from "./_base.ts";
import { badValue, type ParamValues, QUANTITY_PARAM, TIMEFRAME_PARAM } from "./_params.ts";

/**
 * Mean reversion. method zscore: z = (close - SMA) / std over `period` closes; BUY when
 * z < -entry_z (and flat), SELL to flat when z > -exit_z (and long). method bollinger: bands at
 * +/- entry_z std; BUY when the close is below the lower band, SELL when it is back at or above
 * the middle (exit_z unused).
 */
export class MeanReversionStrategy extends BuiltinStrategy {
  #z: ZScore | undefined;
  #bands: Bollinger | undefined;
  #entry = 2;
  #exit = 0.5;

  constructor() {
    super({
      id: "mean_reversion",
      name: "Mean reversion",
      description: "Buys a close far below its moving average; sells when it is back near it",
      params: [
        {
          name: "period",
          description: "Bars in the mean and deviation",
          default: "20",
          kind: "int",
          min: 2,
          max: 100_000,
        },
        {
          name: "entry_z",
          description: "Entry: deviations below the mean",
          default: "2",
          kind: "decimal",
          min: 0,
          max: 100,
        },
        {
          name: "exit_z",
          description: "Exit: z above -exit_z (zscore method)",
          default: "0.5",
          kind: "decimal",
          min: -100,
          max: 100,
        },
        {
          name: "method",
          description: "zscore or bollinger",
          default: "zscore",
          kind: "string",
          choices: ["zscore", "bollinger"],
        },
        QUANTITY_PARAM,
        TIMEFRAME_PARAM,
      ],
    });
  }

  protected override validate(values: ParamValues): void {
    const entry = values.number("entry_z");
    const exit = values.number("exit_z");
    if (values.text("method") === "zscore" && exit >= entry) {
      throw badValue(this.id, "exit_z", String(exit), `less than entry_z (${entry})`);
    }
  }

  protected setup(values: ParamValues): void {
    const period = values.number("period");
    this.#entry = values.number("entry_z");
    this.#exit = values.number("exit_z");
    this.#z = undefined;
    this.#bands = undefined;
    if (values.text("method") === "bollinger") {
      this.#bands = this.own(new Bollinger(period, this.#entry));
    } else this.#z = this.own(new ZScore(period));
  }

  protected onClosedBar(bar: OhlcBar): Signal {
    const close = bar.close;
    if (this.#bands !== undefined) {
      const band = this.#bands.update(close);
      if (close < band.lower && !this.long) {
        return this.buy(`close ${close} below the lower band ${band.lower}`);
      }
      if (close >= band.middle && this.long) {
        return this.sellAll(`close ${close} back at the middle ${band.middle}`);
      }
      return HOLD;
    }
    const z = this.#z!.update(close);
    if (z < -this.#entry && !this.long) return this.buy(`z ${z.toFixed(3)} < -${this.#entry}`);
    if (z > -this.#exit && this.long) return this.sellAll(`z ${z.toFixed(3)} > ${-this.#exit}`);
    return HOLD;
  }
}
