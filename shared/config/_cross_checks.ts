import type { AppConfig } from "./app_config.ts";
import { SchemaIssue } from "./_schema.ts";

/**
 * Rules that span keys, checked after every key is valid on its own.
 *
 * @throws {SchemaIssue} on the first broken rule, pointing at the key to fix
 */
export function checkCrossFieldRules(config: AppConfig): void {
  const { database, http, ipc, accounts, paper_trading: paper } = config;

  if (database.min_connections > database.max_connections) {
    throw new SchemaIssue(
      "database.min_connections",
      `a value <= database.max_connections (${database.max_connections})`,
      database.min_connections,
    );
  }

  if (ipc.stale_after_secs <= ipc.heartbeat_secs) {
    throw new SchemaIssue(
      "ipc.stale_after_secs",
      `a value > ipc.heartbeat_secs (${ipc.heartbeat_secs})`,
      ipc.stale_after_secs,
    );
  }

  // Port 0 asks the OS for a free port, so it may repeat.
  const ports = new Map<number, string>();
  for (const key of ["ingest_port", "trader_port", "backtest_port"] as const) {
    const port = http[key];
    const owner = ports.get(port);
    if (port !== 0 && owner !== undefined) {
      throw new SchemaIssue(`http.${key}`, `a port different from http.${owner}`, port);
    }
    ports.set(port, key);
  }

  const accountIds = new Map<string, string>([[accounts.default.id, "accounts.default.id"]]);
  const strategyOwner = new Map<string, string>();
  accounts.simulation.forEach((account, i) => {
    const path = `accounts.simulation[${i}]`;
    const previous = accountIds.get(account.id);
    if (previous !== undefined) {
      throw new SchemaIssue(`${path}.id`, `an id not already used by ${previous}`, account.id);
    }
    accountIds.set(account.id, `${path}.id`);
    account.strategies.forEach((strategy, j) => {
      const owner = strategyOwner.get(strategy);
      if (owner !== undefined) {
        throw new SchemaIssue(
          `${path}.strategies[${j}]`,
          `a strategy not already mapped to account ${JSON.stringify(owner)}`,
          strategy,
        );
      }
      strategyOwner.set(strategy, account.id);
    });
  });

  const symbols = new Set(config.symbols);
  paper.symbols?.forEach((symbol, i) => {
    if (!symbols.has(symbol)) {
      throw new SchemaIssue(`paper_trading.symbols[${i}]`, "one of the top-level symbols", symbol);
    }
  });
}
