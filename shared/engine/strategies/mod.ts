/**
 * The built-in strategies (sma, rsi, momentum, breakout, mean_reversion) and their registry.
 * All are long-only, trade on closed bars and use the core-wasm indicators.
 * @module
 */
import { StrategyParamError } from "../errors.ts";
import type { ParamSpec, Strategy } from "../types.ts";
import type { BuiltinStrategy } from "./_base.ts";
import { BreakoutStrategy } from "./breakout.ts";
import { MeanReversionStrategy } from "./mean_reversion.ts";
import { MomentumStrategy } from "./momentum.ts";
import { RsiStrategy } from "./rsi.ts";
import { SmaCrossStrategy } from "./sma.ts";

export { BreakoutStrategy, MeanReversionStrategy, MomentumStrategy, RsiStrategy, SmaCrossStrategy };
export { BuiltinStrategy, type StrategyInfo } from "./_base.ts";
export type { BuiltinParamSpec } from "./_params.ts";

/** Ids of the built-in strategies, in the order they are listed. */
export const BUILTIN_STRATEGY_IDS = Object.freeze(
  ["sma", "rsi", "momentum", "breakout", "mean_reversion"] as const,
);
/** One of {@linkcode BUILTIN_STRATEGY_IDS}. */
export type BuiltinStrategyId = typeof BUILTIN_STRATEGY_IDS[number];

const FACTORIES: Readonly<Record<BuiltinStrategyId, () => BuiltinStrategy>> = {
  sma: () => new SmaCrossStrategy(),
  rsi: () => new RsiStrategy(),
  momentum: () => new MomentumStrategy(),
  breakout: () => new BreakoutStrategy(),
  mean_reversion: () => new MeanReversionStrategy(),
};

/** Whether `id` names a built-in strategy. */
export function isBuiltinStrategy(id: string): id is BuiltinStrategyId {
  return (BUILTIN_STRATEGY_IDS as readonly string[]).includes(id);
}

/** A new, uninitialized built-in strategy; unknown id -> StrategyParamError("unknown_strategy"). */
export function createStrategy(id: string): Strategy {
  if (!isBuiltinStrategy(id)) {
    throw new StrategyParamError(
      "unknown_strategy",
      `Unknown strategy "${id}": expected one of ${BUILTIN_STRATEGY_IDS.join(", ")}`,
    );
  }
  return FACTORIES[id]();
}

/** A built-in strategy as the CLI and the interactive prompt list it. */
export interface StrategyDescription {
  readonly id: BuiltinStrategyId;
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
}

/** Every built-in strategy with its parameters and defaults. */
export function describeStrategies(): StrategyDescription[] {
  return BUILTIN_STRATEGY_IDS.map((id) => {
    const strategy = FACTORIES[id]();
    return {
      id,
      name: strategy.name,
      description: strategy.description,
      params: strategy.params,
    };
  });
}
