// The seed's SMA crossover.
import { Sma } from "@core/mod.ts";
import { HOLD, type OhlcBar, type Signal } from "../types.ts";
import { BuiltinStrategy } from "./_base.ts";
import { badValue, type ParamValues, QUANTITY_PARAM, TIMEFRAME_PARAM } from "./_params.ts";

/**
 * SMA crossover: BUY when the short SMA crosses above the long one (and flat), SELL to flat when
 * it crosses below (and long). A cross needs both SMAs on the bar before it.
 */
export class SmaCrossStrategy extends BuiltinStrategy {
  #short: Sma | undefined;
  #long: Sma | undefined;
  /** short - long on the previous closed bar (NaN until both are ready). */
  #previous = NaN;

  constructor() {
    super({
      id: "sma",
      name: "SMA crossover",
      description: "Buys when the short SMA of closes crosses above the long SMA; sells when it " +
        "crosses below",
      params: [
        {
          name: "short",
          description: "Short SMA period (bars)",
          default: "10",
          kind: "int",
          min: 1,
          max: 100_000,
        },
        {
          name: "long",
          description: "Long SMA period (bars)",
          default: "50",
          kind: "int",
          min: 2,
          max: 1_000_000,
        },
        QUANTITY_PARAM,
        TIMEFRAME_PARAM,
      ],
    });
  }

  protected override validate(values: ParamValues): void {
    const short = values.number("short");
    const long = values.number("long");
    if (short >= long) {
      throw badValue(this.id, "short", String(short), `less than long (${long})`);
    }
  }

  protected setup(values: ParamValues): void {
    this.#short = this.own(new Sma(values.number("short")));
    this.#long = this.own(new Sma(values.number("long")));
    this.#previous = NaN;
  }

  protected override onReset(): void {
    this.#previous = NaN;
  }

  protected onClosedBar(bar: OhlcBar): Signal {
    const diff = this.#short!.update(bar.close) - this.#long!.update(bar.close);
    const previous = this.#previous;
    this.#previous = diff;
    if (previous <= 0 && diff > 0 && !this.long) {
      return this.buy("short SMA crossed above long SMA");
    }
    if (previous >= 0 && diff < 0 && this.long) {
      return this.sellAll("short SMA crossed below long SMA");
    }
    return HOLD;
  }
}
