import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./mod.ts";
import { makeTempFiles, MINIMAL_TOML } from "./testing.ts";

async function loadError(extra: string): Promise<ConfigError> {
  const dir = await makeTempFiles({ "test.toml": `${MINIMAL_TOML}\n${extra}` });
  try {
    loadConfig({ dir, runMode: "test", env: {}, envFile: false });
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    assert.equal(e.code, "CONFIG_INVALID");
    assert.match(e.message, /^.*test\.toml: /);
    return e;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  throw new assert.AssertionError({ message: "expected loadConfig() to throw" });
}

Deno.test("database.min_connections must not exceed database.max_connections", async () => {
  const e = await loadError("[database]\nmax_connections = 5\nmin_connections = 6\n");
  assert.equal(e.key, "database.min_connections");
  assert.match(e.message, /expected a value <= database\.max_connections \(5\), got 6$/);
});

Deno.test("ipc.capacity must be a power of two", async () => {
  const e = await loadError("[ipc]\ncapacity = 3000\n");
  assert.equal(e.key, "ipc.capacity");
  assert.match(e.message, /expected a power of two/);
});

Deno.test("ipc.stale_after_secs must exceed ipc.heartbeat_secs", async () => {
  const e = await loadError("[ipc]\nheartbeat_secs = 10\nstale_after_secs = 10\n");
  assert.equal(e.key, "ipc.stale_after_secs");
});

Deno.test("http ports must differ between services, except 0 (ephemeral)", async () => {
  const e = await loadError(
    "[http]\ningest_port = 9200\ntrader_port = 9201\nbacktest_port = 9200\n",
  );
  assert.equal(e.key, "http.backtest_port");
  assert.match(e.message, /expected a port different from http\.ingest_port, got 9200$/);
  const dir = await makeTempFiles({
    "test.toml": `${MINIMAL_TOML}\n[http]\ningest_port = 0\ntrader_port = 0\nbacktest_port = 0\n`,
  });
  try {
    loadConfig({ dir, runMode: "test", env: {}, envFile: false });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("account ids must be unique across default and simulation accounts", async () => {
  const e = await loadError('[[accounts.simulation]]\nid = "SIM-001"\ninitial_balance = "1"\n');
  assert.equal(e.key, "accounts.simulation[0].id");
  assert.match(e.message, /not already used by accounts\.default\.id, got "SIM-001"$/);
});

Deno.test("a strategy listed in two simulation accounts is an error", async () => {
  const e = await loadError(
    '[[accounts.simulation]]\nid = "A"\ninitial_balance = "1"\nstrategies = ["rsi"]\n' +
      '[[accounts.simulation]]\nid = "B"\ninitial_balance = "1"\nstrategies = ["macd", "rsi"]\n',
  );
  assert.equal(e.key, "accounts.simulation[1].strategies[1]");
  assert.match(e.message, /not already mapped to account "A", got "rsi"$/);
});

Deno.test("paper_trading.symbols must be among the top-level symbols", async () => {
  const e = await loadError('[paper_trading]\nsymbols = ["XRPUSD"]\n');
  assert.equal(e.key, "paper_trading.symbols[0]");
});
