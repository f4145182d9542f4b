import type { AccountsConfig } from "./app_config.ts";

/**
 * The id of the account that `strategyId` trades on: the simulation account that lists it,
 * otherwise the default account.
 */
export function accountForStrategy(accounts: AccountsConfig, strategyId: string): string {
  const match = accounts.simulation.find((account) => account.strategies.includes(strategyId));
  return match?.id ?? accounts.default.id;
}
