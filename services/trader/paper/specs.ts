/**
 * Which strategies paper-trade which symbols: `[[paper_trading.strategies]]`, else the single
 * `[paper_trading] strategy`; `--strategy` and `--symbols` on the command line win over both.
 * @module
 */
import type { AppConfig } from "@shared/config/mod.ts";

/** One strategy on its symbols. */
export interface StrategySpec {
  /** A built-in id or a strategy file. */
  strategy: string;
  symbols: string[];
  params: Record<string, string>;
  /** Trade on this account instead of the strategy's mapping. */
  account?: string;
}

/** Command-line overrides. */
export interface SpecOverrides {
  strategies?: string[];
  symbols?: string[];
}

/** The strategies to run; throws a one-line Error when a (strategy, symbol) pair repeats. */
export function strategySpecs(config: AppConfig, overrides: SpecOverrides = {}): StrategySpec[] {
  const paper = config.paper_trading;
  const symbols = overrides.symbols ?? paper.symbols ?? config.symbols;
  let specs: StrategySpec[];
  if (overrides.strategies !== undefined) {
    specs = overrides.strategies.map((strategy) => ({ strategy, symbols, params: {} }));
  } else if (paper.strategies.length > 0) {
    specs = paper.strategies.map((s) => ({
      strategy: s.strategy,
      symbols: overrides.symbols ?? s.symbols ?? symbols,
      params: { ...s.params },
      ...(s.account === undefined ? {} : { account: s.account }),
    }));
  } else {
    specs = [{ strategy: paper.strategy, symbols, params: {} }];
  }
  const seen = new Set<string>();
  for (const spec of specs) {
    for (const symbol of spec.symbols) {
      const key = `${spec.strategy} on ${symbol}`;
      if (seen.has(key)) throw new Error(`Strategy ${key} is configured twice`);
      seen.add(key);
    }
  }
  return specs;
}

/** Every symbol some strategy trades, in first-seen order. */
export function specSymbols(specs: readonly StrategySpec[]): string[] {
  return [...new Set(specs.flatMap((s) => s.symbols))];
}
