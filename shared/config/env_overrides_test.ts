import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, loadConfig, NAMED_ENV_OVERRIDES } from "./mod.ts";
import { makeTempFiles, MINIMAL_TOML } from "./testing.ts";

const FILE_TOML = `${MINIMAL_TOML}\n[cache.memory]\nttl_seconds = 111\n`;
const KEY = "TRADING__CACHE__MEMORY__TTL_SECONDS";

/** Loads FILE_TOML as test.toml with `env` and, when given, a .env file holding `dotenv`. */
async function load(env: Record<string, string>, dotenv?: string) {
  const files: Record<string, string> = { "test.toml": FILE_TOML };
  if (dotenv !== undefined) files[".env"] = dotenv;
  const dir = await makeTempFiles(files);
  try {
    const envFile = dotenv === undefined ? false : join(dir, ".env");
    return loadConfig({ dir, runMode: "test", env, envFile });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function loadError(env: Record<string, string>, dotenv?: string): Promise<ConfigError> {
  try {
    await load(env, dotenv);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    assert.ok(!e.message.includes("\n"));
    return e;
  }
  throw new assert.AssertionError({ message: "expected loadConfig() to throw" });
}

Deno.test("precedence: the file beats the schema default", async () => {
  assert.equal((await load({})).config.cache.memory.ttl_seconds, 111);
});

Deno.test("precedence: a .env value beats the file", async () => {
  const { config } = await load({}, `${KEY}=222\n`);
  assert.equal(config.cache.memory.ttl_seconds, 222);
});

Deno.test("precedence: the real environment beats .env, and .env never overrides it", async () => {
  const { config } = await load({ [KEY]: "333" }, `${KEY}=222\n`);
  assert.equal(config.cache.memory.ttl_seconds, 333);
});

Deno.test("precedence: RUN_MODE and CONFIG_DIR may come from .env", async () => {
  const dir = await makeTempFiles({ "production.toml": MINIMAL_TOML });
  const envDir = await makeTempFiles({ ".env": `RUN_MODE=production\nCONFIG_DIR=${dir}\n` });
  try {
    const loaded = loadConfig({ env: {}, envFile: join(envDir, ".env") });
    assert.equal(loaded.runMode, "production");
    assert.equal(loaded.file, join(dir, "production.toml"));
    assert.equal(loaded.config.log.format, "json");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(envDir, { recursive: true });
  }
});

Deno.test("loadConfig() fails with CONFIG_MISSING when an explicit envFile does not exist", () => {
  assert.throws(
    () => loadConfig({ runMode: "test", env: {}, envFile: "/nonexistent/dir/.env" }),
    (e) => e instanceof ConfigError && e.code === "CONFIG_MISSING" && /\.env/.test(e.message),
  );
});

Deno.test("DATABASE_URL, REDIS_URL and LOG_LEVEL override their keys", async () => {
  const { config } = await load({
    DATABASE_URL: "postgres://trader:pw@127.0.0.1:5432/trading",
    REDIS_URL: "redis://127.0.0.1:6379/1",
    LOG_LEVEL: "DEBUG",
  });
  assert.equal(config.database.url, "postgres://trader:pw@127.0.0.1:5432/trading");
  assert.equal(config.cache.redis.url, "redis://127.0.0.1:6379/1");
  assert.equal(config.log.level, "debug");
});

Deno.test("<VENUE>_WS_URL and <VENUE>_REST_URL override the venue endpoints", async () => {
  const { config } = await load({
    BINANCE_WS_URL: "ws://127.0.0.1:4001",
    KRAKEN_FUTURES_WS_URL: "ws://127.0.0.1:4002/ws/v1",
    KRAKEN_REST_URL: "http://127.0.0.1:4003",
  });
  assert.equal(config.venues.binance.ws_url, "ws://127.0.0.1:4001");
  assert.equal(config.venues.kraken_futures.ws_url, "ws://127.0.0.1:4002/ws/v1");
  assert.equal(config.venues.kraken.rest_url, "http://127.0.0.1:4003");
  assert.equal(config.venues.kraken.ws_url, "wss://ws.kraken.com/v2");
  assert.equal(NAMED_ENV_OVERRIDES.KRAKEN_FUTURES_REST_URL, "venues.kraken_futures.rest_url");
});

Deno.test("a named override beats TRADING__ for the same key; empty values are ignored", async () => {
  const { config } = await load({
    TRADING__LOG__LEVEL: "warn",
    LOG_LEVEL: "error",
    REDIS_URL: "",
  });
  assert.equal(config.log.level, "error");
  assert.equal(config.cache.redis.url, undefined);
});

Deno.test("a bad named override names the variable and the key", async () => {
  const e = await loadError({ DATABASE_URL: "mysql://localhost/db" });
  assert.equal(e.envVar, "DATABASE_URL");
  assert.equal(e.key, "database.url");
  assert.match(e.message, /^environment variable DATABASE_URL: database\.url: expected a URL/);
});

Deno.test("TRADING__ converts by the target's type: int, number, boolean, list, string", async () => {
  const { config, warnings } = await load({
    TRADING__CACHE__REDIS__TTL_SECONDS: "60",
    TRADING__HTTP__INGEST_PORT: "9100",
    TRADING__ALERTING__CACHE_FAILURE_THRESHOLD: "0.25",
    TRADING__ALERTING__ENABLED: "0",
    TRADING__PAPER_TRADING__ENABLED: "TRUE",
    TRADING__SYMBOLS: "BTCUSD, SOLUSD,XRPUSD",
    TRADING__DATABASE__DATA_DIR: "/var/lib/trading",
    TRADING__PAPER_TRADING__INITIAL_CAPITAL: "2500.50",
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.cache.redis.ttl_seconds, 60);
  assert.equal(config.http.ingest_port, 9100);
  assert.equal(config.alerting.cache_failure_threshold, 0.25);
  assert.equal(config.alerting.enabled, false);
  assert.equal(config.paper_trading.enabled, true);
  assert.deepEqual(config.symbols, ["BTCUSD", "SOLUSD", "XRPUSD"]);
  assert.equal(config.database.data_dir, "/var/lib/trading");
  assert.equal(config.paper_trading.initial_capital, "2500.5");
});

Deno.test("TRADING__ names are case-insensitive and reach free-keyed tables", async () => {
  const { config } = await load({
    trading__ipc__namespace: "ns_1",
    TRADING__ROUTING__ASSET_TYPES__CRYPTO__REALTIME: "binance",
    TRADING__ROUTING__ASSET_TYPES__CRYPTO__HISTORICAL: "databento",
  });
  assert.equal(config.ipc.namespace, "ns_1");
  assert.deepEqual(config.routing.asset_types.crypto, {
    realtime: "binance",
    historical: "databento",
  });
});

Deno.test("TRADING__ naming an unknown key is a warning naming the variable, not an error", async () => {
  const { warnings } = await load({ TRADING__CACHE__REDIS__TTL_SECS: "60", TRADING__NOPE: "1" });
  assert.deepEqual(warnings, [
    'environment variable TRADING__CACHE__REDIS__TTL_SECS: unknown key "cache.redis.ttl_secs" (ignored)',
    'environment variable TRADING__NOPE: unknown key "nope" (ignored)',
  ]);
});

Deno.test("TRADING__ with a value of the wrong type is a ConfigError naming the variable", async () => {
  const e = await loadError({ TRADING__CACHE__REDIS__TTL_SECONDS: "abc" });
  assert.equal(e.code, "CONFIG_INVALID");
  assert.equal(e.envVar, "TRADING__CACHE__REDIS__TTL_SECONDS");
  assert.equal(
    e.message,
    "environment variable TRADING__CACHE__REDIS__TTL_SECONDS: " +
      'cache.redis.ttl_seconds: expected an integer >= 1, got "abc"',
  );
  const bool = await loadError({ TRADING__ALERTING__ENABLED: "yes" });
  assert.match(bool.message, /TRADING__ALERTING__ENABLED: alerting\.enabled: expected a boolean/);
});

Deno.test("TRADING__ values that convert but break a rule name the variable too", async () => {
  const range = await loadError({ TRADING__HTTP__TRADER_PORT: "70000" });
  assert.match(
    range.message,
    /^environment variable TRADING__HTTP__TRADER_PORT: http\.trader_port:/,
  );
  const item = await loadError({ TRADING__SYMBOLS: "BTCUSD,btc-usd" });
  assert.match(
    item.message,
    /^environment variable TRADING__SYMBOLS: symbols\[1\]: expected a canonical/,
  );
  const pow = await loadError({ TRADING__IPC__CAPACITY: "1000" });
  assert.match(pow.message, /TRADING__IPC__CAPACITY: ipc\.capacity: expected a power of two/);
});

Deno.test("a bad value from .env names the .env file and the variable", async () => {
  const e = await loadError({}, `# comment\n${KEY}=soon\n`);
  assert.ok(e.file?.endsWith(".env"));
  assert.equal(e.envVar, KEY);
  assert.match(
    e.message,
    /\.env: TRADING__CACHE__MEMORY__TTL_SECONDS: cache\.memory\.ttl_seconds: /,
  );
});

Deno.test("TRADING__ cannot set a whole table or a list of tables", async () => {
  const table = await loadError({ TRADING__CACHE__REDIS: "x" });
  assert.match(
    table.message,
    /TRADING__CACHE__REDIS: cache\.redis: is a table; set one of its keys/,
  );
  const list = await loadError({ TRADING__ACCOUNTS__SIMULATION: "x" });
  assert.match(list.message, /accounts\.simulation: is a list of tables/);
  const item = await loadError({ TRADING__ACCOUNTS__SIMULATION__0__ID: "x" });
  assert.match(item.message, /accounts\.simulation: is a list/);
});
