/**
 * Example user strategy: buy a dip, sell on a rebound or a stop.
 *
 *   deno run -A services/backtest/main.ts --strategy services/backtest/examples/buy_the_dip.ts \
 *     --data synthetic --symbol BTCUSD --params dip=0.005,take_profit=0.01
 *
 * A strategy file's default export is a Strategy object, a class (constructed without arguments)
 * or a factory function returning one. It sees only closed data through `onBarData`, never does
 * I/O, and answers with a Signal. The run records the file's SHA-256 (`deno task trader
 * hash-strategy FILE` prints it).
 *
 * Rules (closed 1-minute bars): remember the highest close of the last `lookback` bars; when flat
 * and the close is `dip` below that high, BUY `quantity`; when long, SELL everything (target 0)
 * once the close is `take_profit` above the entry or `stop_loss` below it.
 * @module
 */
import type {
  BarData,
  BarDataMode,
  BarType,
  ParamSpec,
  Signal,
  Strategy,
} from "@shared/engine/types.ts";
import { StrategyParamError } from "@shared/engine/errors.ts";

const PARAMS: readonly ParamSpec[] = [
  {
    name: "lookback",
    description: "Bars of the recent high",
    default: "30",
    kind: "int",
    min: 1,
    max: 10_000,
  },
  {
    name: "dip",
    description: "Fall from the high that buys (0.01 = 1%)",
    default: "0.01",
    kind: "decimal",
    min: 0,
    max: 1,
  },
  {
    name: "take_profit",
    description: "Rise from the entry that sells",
    default: "0.02",
    kind: "decimal",
    min: 0,
    max: 10,
  },
  {
    name: "stop_loss",
    description: "Fall from the entry that sells",
    default: "0.03",
    kind: "decimal",
    min: 0,
    max: 1,
  },
  { name: "quantity", description: "Base units per buy", default: "0.5", kind: "decimal", min: 0 },
];

/** Buys a dip below the recent high; sells on take-profit or stop-loss. */
class BuyTheDip implements Strategy {
  readonly id = "buy_the_dip";
  readonly name = "Buy the dip";
  readonly params = PARAMS;
  #lookback = 30;
  #dip = 0.01;
  #takeProfit = 0.02;
  #stopLoss = 0.03;
  #quantity = "0.5";
  #closes: number[] = [];
  #entry: number | undefined;

  initialize(params: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(params)) {
      if (!PARAMS.some((spec) => spec.name === name)) {
        throw new StrategyParamError(
          "unknown_param",
          `Unknown parameter "${name}" for strategy ${this.id}: expected one of ${
            PARAMS.map((spec) => spec.name).join(", ")
          }`,
        );
      }
    }
    const value = (spec: ParamSpec): number => {
      const text = params[spec.name] ?? spec.default;
      const n = Number(text);
      const ok = /^\d+(\.\d+)?$/.test(text) && (spec.kind !== "int" || Number.isInteger(n)) &&
        n >= (spec.min ?? -Infinity) && n <= (spec.max ?? Infinity);
      if (!ok) {
        throw new StrategyParamError(
          "bad_value",
          `Bad value "${text}" for parameter ${spec.name} of strategy ${this.id}: expected ${
            spec.kind === "int" ? "an integer" : "a decimal"
          } from ${spec.min}${spec.max === undefined ? "" : ` to ${spec.max}`}`,
        );
      }
      return n;
    };
    const [lookback, dip, takeProfit, stopLoss, quantity] = PARAMS.map(value) as number[];
    this.#lookback = lookback!;
    this.#dip = dip!;
    this.#takeProfit = takeProfit!;
    this.#stopLoss = stopLoss!;
    this.#quantity = params.quantity ?? PARAMS[4]!.default;
    if (quantity! <= 0) {
      throw new StrategyParamError("bad_value", `Parameter quantity of ${this.id} must be above 0`);
    }
    this.reset();
  }

  onBarData(barData: BarData): Signal {
    if (!barData.metadata.isBarClosed) return { action: "HOLD" };
    const close = barData.ohlcBar.close;
    const high = this.#closes.length === 0 ? close : Math.max(...this.#closes);
    this.#closes.push(close);
    if (this.#closes.length > this.#lookback) this.#closes.shift();
    if (this.#entry === undefined) {
      if (close > high * (1 - this.#dip)) return { action: "HOLD" };
      this.#entry = close;
      return { action: "BUY", quantity: this.#quantity, reason: `dip to ${close} from ${high}` };
    }
    const change = close / this.#entry - 1;
    if (change < this.#takeProfit && change > -this.#stopLoss) return { action: "HOLD" };
    this.#entry = undefined;
    return { action: "SELL", target: 0, reason: change > 0 ? "take profit" : "stop loss" };
  }

  barDataMode(): BarDataMode {
    return "OnCloseBar";
  }

  preferredBarType(): BarType {
    return { kind: "time", timeframe: "1m" };
  }

  reset(): void {
    this.#closes = [];
    this.#entry = undefined;
  }

  accountId(): string | undefined {
    return undefined;
  }
}

export default BuyTheDip;
