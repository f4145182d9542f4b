// The common part of every built-in strategy: parameters, bar type, closed-bar filtering,
// position tracking and the lifetime of the WASM indicators it owns.
import {
  type BarData,
  type BarDataMode,
  type BarType,
  HOLD,
  type OhlcBar,
  type Signal,
  type Strategy,
} from "../types.ts";
import { type BuiltinParamSpec, type ParamValues, parseParams } from "./_params.ts";

/** What the registry shows about a built-in. */
export interface StrategyInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly params: readonly BuiltinParamSpec[];
}

/** Anything the strategy must free or reset (the core-wasm indicators). */
interface Resource {
  reset(): void;
  free(): void;
}

/**
 * A long-only strategy on closed bars. It cannot see the exchange, so it tracks flat/long from its
 * own signals, assuming each was executed; reset() resyncs it to flat.
 */
export abstract class BuiltinStrategy implements Strategy, Disposable {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly params: readonly BuiltinParamSpec[];
  /** Whether the last signal sent was a BUY. */
  protected long = false;
  #quantity = "1";
  #barType: BarType = Object.freeze({ kind: "time", timeframe: "1m" });
  #resources: Resource[] = [];
  #initialized = false;

  protected constructor(info: StrategyInfo) {
    this.id = info.id;
    this.name = info.name;
    this.description = info.description;
    this.params = Object.freeze([...info.params]);
  }

  /** Validates `params` (StrategyParamError) and builds fresh indicators. */
  initialize(params: Readonly<Record<string, string>>): void {
    const values = parseParams(this.id, this.params, params);
    this.validate(values);
    this.free();
    this.#quantity = values.text("quantity");
    this.#barType = values.barType();
    this.setup(values);
    this.long = false;
    this.#initialized = true;
  }

  /** Reacts to closed bars only (real or synthetic); every other event is a HOLD. */
  onBarData(barData: BarData): Signal {
    if (!this.#initialized) {
      throw new TypeError(`Strategy ${this.id} is not initialized: call initialize() first`);
    }
    if (!barData.metadata.isBarClosed) return HOLD;
    return this.onClosedBar(barData.ohlcBar);
  }

  barDataMode(): BarDataMode {
    return "OnCloseBar";
  }

  preferredBarType(): BarType {
    return this.#barType;
  }

  /** The state right after initialize(): indicators emptied, position flat. */
  reset(): void {
    for (const resource of this.#resources) resource.reset();
    this.long = false;
    this.onReset();
  }

  accountId(): string | undefined {
    return undefined;
  }

  /** Frees the indicators' core memory (initialize() builds new ones). */
  free(): void {
    for (const resource of this.#resources) resource.free();
    this.#resources = [];
    this.#initialized = false;
  }

  [Symbol.dispose](): void {
    this.free();
  }

  /** Registers an indicator so reset() empties it and free() releases it. */
  protected own<T extends Resource>(resource: T): T {
    this.#resources.push(resource);
    return resource;
  }

  /** A BUY of the `quantity` parameter; the strategy is long afterwards. */
  protected buy(reason: string): Signal {
    this.long = true;
    return Object.freeze({ action: "BUY", quantity: this.#quantity, reason });
  }

  /** A SELL to a flat position; the strategy is flat afterwards. */
  protected sellAll(reason: string): Signal {
    this.long = false;
    return Object.freeze({ action: "SELL", target: "0", reason });
  }

  /** Cross-parameter checks; throw badValue(...). */
  protected validate(_values: ParamValues): void {}

  /** Builds the indicators (through own()) and reads the parameters. */
  protected abstract setup(values: ParamValues): void;

  /** Clears state kept outside the indicators. */
  protected onReset(): void {}

  /** The strategy's rule on one closed bar. */
  protected abstract onClosedBar(bar: OhlcBar): Signal;
}
