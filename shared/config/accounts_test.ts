import assert from "node:assert/strict";
import { accountForStrategy, type AccountsConfig, loadConfig } from "./mod.ts";

const accounts: AccountsConfig = {
  default: { id: "MAIN", currency: "USDT", initial_balance: "100000" },
  simulation: [
    { id: "AGGRESSIVE", currency: "USDT", initial_balance: "50000", strategies: ["momentum"] },
    { id: "CONSERVATIVE", currency: "USDT", initial_balance: "200000", strategies: ["rsi"] },
  ],
};

Deno.test("accountForStrategy() returns the simulation account that lists the strategy", () => {
  assert.equal(accountForStrategy(accounts, "momentum"), "AGGRESSIVE");
  assert.equal(accountForStrategy(accounts, "rsi"), "CONSERVATIVE");
});

Deno.test("accountForStrategy() falls back to the default account", () => {
  assert.equal(accountForStrategy(accounts, "sma_cross"), "MAIN");
  assert.equal(accountForStrategy({ ...accounts, simulation: [] }, "rsi"), "MAIN");
});

Deno.test("accountForStrategy() maps the seed's strategies in the shipped development config", () => {
  const { config } = loadConfig({ runMode: "development", env: {}, envFile: false });
  assert.equal(accountForStrategy(config.accounts, "breakout"), "SIM-AGGRESSIVE");
  assert.equal(accountForStrategy(config.accounts, "mean_reversion"), "SIM-CONSERVATIVE");
  assert.equal(accountForStrategy(config.accounts, "unknown"), "SIM-001");
});
