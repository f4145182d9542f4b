import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError, loadConfig, RUN_MODES } from "./mod.ts";
import { makeTempFiles, MINIMAL_TOML } from "./testing.ts";

/** Loads `toml` as test.toml from a temp dir, with only the given env and no .env. */
async function loadToml(toml: string, env: Record<string, string> = {}) {
  const dir = await makeTempFiles({ "test.toml": toml });
  try {
    return loadConfig({ dir, runMode: "test", env, envFile: false });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The ConfigError that loading `toml` throws. */
async function loadError(toml: string, env: Record<string, string> = {}): Promise<ConfigError> {
  try {
    await loadToml(toml, env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    assert.ok(!e.message.includes("\n"), `message is one line: ${e.message}`);
    return e;
  }
  throw new assert.AssertionError({ message: "expected loadConfig() to throw" });
}

for (const runMode of RUN_MODES) {
  Deno.test(`loadConfig() loads and validates the shipped config/${runMode}.toml without warnings`, () => {
    const loaded = loadConfig({ runMode, env: {}, envFile: false });
    assert.equal(loaded.runMode, runMode);
    assert.ok(loaded.file.endsWith(join("config", `${runMode}.toml`)));
    assert.deepEqual(loaded.warnings, []);
    assert.ok(loaded.config.symbols.includes("BTCUSD"));
    assert.equal(loaded.config.database.url, undefined, "no database URL in shipped files");
    assert.equal(loaded.config.log.format, runMode === "production" ? "json" : "pretty");
  });
}

Deno.test("loadConfig() returns typed sections: unions for enums, optional URLs", () => {
  const { config } = loadConfig({ runMode: "development", env: {}, envFile: false });
  const level: "trace" | "debug" | "info" | "warn" | "error" = config.log.level;
  const url: string | undefined = config.database.url;
  const capacity: number = config.ipc.capacity;
  const balance: string = config.accounts.default.initial_balance;
  assert.deepEqual([level, url, capacity, balance], ["info", undefined, 65536, "100000"]);
  assert.ok(!("url" in config.database), "absent optional keys stay absent");
});

Deno.test("loadConfig() gives test mode ephemeral ports and a namespace of its own", () => {
  const { config } = loadConfig({ runMode: "test", env: {}, envFile: false });
  assert.deepEqual(
    [config.http.ingest_port, config.http.trader_port, config.http.backtest_port],
    [0, 0, 0],
  );
  assert.notEqual(config.ipc.namespace, "trading");
});

Deno.test("loadConfig() picks the file from RUN_MODE and defaults to development", () => {
  assert.equal(loadConfig({ env: {}, envFile: false }).runMode, "development");
  assert.equal(loadConfig({ env: { RUN_MODE: "test" }, envFile: false }).runMode, "test");
  assert.equal(loadConfig({ env: { RUN_MODE: "" }, envFile: false }).runMode, "development");
});

Deno.test("loadConfig() rejects an unknown RUN_MODE naming RUN_MODE and the allowed values", () => {
  assert.throws(() => loadConfig({ env: { RUN_MODE: "staging" }, envFile: false }), (e) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.code, "CONFIG_INVALID");
    assert.match(e.message, /RUN_MODE/);
    assert.match(e.message, /"development", "production", "test"/);
    assert.match(e.message, /"staging"/);
    return true;
  });
});

Deno.test("loadConfig() fills schema defaults for keys the file leaves out", async () => {
  const { config } = await loadToml(MINIMAL_TOML);
  assert.equal(config.database.batch_size, 1000);
  assert.equal(config.database.data_dir, "./data");
  assert.equal(config.cache.redis.key_prefix, "ticks:");
  assert.equal(config.ipc.capacity, 65536);
  assert.equal(config.http.host, "127.0.0.1");
  assert.equal(config.log.level, "info");
  assert.equal(config.alerting.cache_failure_threshold, 0.1);
  assert.deepEqual(config.accounts.simulation, []);
  assert.equal(config.accounts.default.currency, "USDT");
});

Deno.test("loadConfig() reads CONFIG_DIR when no dir option is given", async () => {
  const dir = await makeTempFiles({ "test.toml": MINIMAL_TOML });
  try {
    const loaded = loadConfig({ runMode: "test", env: { CONFIG_DIR: dir }, envFile: false });
    assert.equal(loaded.file, join(dir, "test.toml"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig() reports a missing config file as CONFIG_MISSING naming the file", async () => {
  const dir = await makeTempFiles({});
  try {
    assert.throws(
      () => loadConfig({ dir, runMode: "production", env: {}, envFile: false }),
      (e) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.code, "CONFIG_MISSING");
        assert.match(e.message, /production\.toml: file not found/);
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig() reports malformed TOML with file, line and column", async () => {
  const e = await loadError(`${MINIMAL_TOML}\n[database]\nmax_connections = = 5\n`);
  assert.equal(e.code, "CONFIG_PARSE");
  const line = MINIMAL_TOML.split("\n").length + 2;
  assert.equal(e.line, line);
  assert.match(e.message, new RegExp(`test\\.toml:${line}:\\d+: invalid TOML: `));
  assert.ok(e.file?.endsWith("test.toml"));
});

Deno.test("loadConfig() reports a wrong type with file, key path and what was expected", async () => {
  const e = await loadError(`${MINIMAL_TOML}\n[cache.redis]\nttl_seconds = "abc"\n`);
  assert.equal(e.code, "CONFIG_INVALID");
  assert.equal(e.key, "cache.redis.ttl_seconds");
  assert.equal(e.expected, "an integer >= 1");
  assert.match(
    e.message,
    /test\.toml: cache\.redis\.ttl_seconds: expected an integer >= 1, got "abc"$/,
  );
});

Deno.test("loadConfig() reports out-of-range values and bad items with their index", async () => {
  const port = await loadError(`${MINIMAL_TOML}\n[http]\ntrader_port = 70000\n`);
  assert.match(
    port.message,
    /http\.trader_port: expected an integer between 0 and 65535, got 70000/,
  );
  const threshold = await loadError(`${MINIMAL_TOML}\n[alerting]\ncache_failure_threshold = 1.5\n`);
  assert.match(
    threshold.message,
    /alerting\.cache_failure_threshold: expected a number between 0 and 1/,
  );
  const symbol = await loadError(MINIMAL_TOML.replace('"ETHUSD"', '"eth-usd"'));
  assert.match(symbol.message, /symbols\[1\]: expected a canonical symbol .*got "eth-usd"/);
  const level = await loadError(`${MINIMAL_TOML}\n[log]\nlevel = "loud"\n`);
  assert.match(
    level.message,
    /log\.level: expected one of "trace", "debug", "info", "warn", "error"/,
  );
});

Deno.test("loadConfig() reports a missing required key as CONFIG_MISSING", async () => {
  const e = await loadError(MINIMAL_TOML.replace('initial_balance = "100000"', ""));
  assert.equal(e.code, "CONFIG_MISSING");
  assert.match(
    e.message,
    /accounts\.default\.initial_balance: expected a decimal amount .*missing$/,
  );
});

Deno.test("loadConfig() warns about an unknown key, naming file and key, and ignores it", async () => {
  const loaded = await loadToml(`${MINIMAL_TOML}\n[cache.redis]\nttl_secs = 60\n`);
  assert.equal(loaded.warnings.length, 1);
  assert.match(
    loaded.warnings[0]!,
    /test\.toml: unknown key "cache\.redis\.ttl_secs" \(ignored\)$/,
  );
  assert.equal(loaded.config.cache.redis.ttl_seconds, 3600);
  assert.ok(!("ttl_secs" in loaded.config.cache.redis));
});

Deno.test("loadConfig() keeps decimals exact: strings, integers and floats by shortest form", async () => {
  const { config } = await loadToml(
    `${MINIMAL_TOML}\n[paper_trading]\ninitial_capital = 10000.0\n` +
      `[[accounts.simulation]]\nid = "BIG"\ninitial_balance = 123456789012345678901234\n` +
      `[[accounts.simulation]]\nid = "SMALL"\ninitial_balance = "0.10"\n`,
  );
  assert.equal(config.paper_trading.initial_capital, "10000");
  assert.equal(config.accounts.simulation[0]!.initial_balance, "123456789012345678901234");
  assert.equal(config.accounts.simulation[1]!.initial_balance, "0.1");
  const e = await loadError(MINIMAL_TOML.replace('"100000"', '"1,000"'));
  assert.match(e.message, /accounts\.default\.initial_balance: expected a decimal amount/);
});

Deno.test("loadConfig() accepts [[routing.symbols]] and free dataset keys", async () => {
  const { config } = await loadToml(
    `${MINIMAL_TOML}\n[routing.databento.datasets]\n"futures@CME" = "GLBX.MDP3"\n` +
      `[[routing.symbols]]\nsymbol = "ESH5"\nexchange = "CME"\nprovider = "databento"\n` +
      `dataset = "GLBX.MDP3"\n`,
  );
  assert.equal(config.routing.databento.datasets["futures@CME"], "GLBX.MDP3");
  assert.deepEqual(config.routing.symbols, [
    { symbol: "ESH5", exchange: "CME", provider: "databento", dataset: "GLBX.MDP3" },
  ]);
});
