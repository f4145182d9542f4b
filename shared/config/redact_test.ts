import assert from "node:assert/strict";
import { loadConfig, redactConfig, REDACTED } from "./mod.ts";

Deno.test("redactConfig() masks the password inside URLs and keeps the rest", () => {
  assert.deepEqual(redactConfig({ url: "postgres://u:secret@h/db" }), {
    url: "postgres://u:***@h/db",
  });
  assert.deepEqual(redactConfig({ url: "redis://:pw@127.0.0.1:6379/0" }), {
    url: "redis://:***@127.0.0.1:6379/0",
  });
  assert.deepEqual(redactConfig({ url: "redis://127.0.0.1:6379" }), {
    url: "redis://127.0.0.1:6379",
  });
  assert.deepEqual(redactConfig({ url: "wss://stream.binance.com:9443" }), {
    url: "wss://stream.binance.com:9443",
  });
});

Deno.test("redactConfig() masks values of keys named like api_key, secret, password, token", () => {
  const input = {
    venues: { binance: { api_key: "k", api_secret: "s", ws_url: "wss://x" } },
    db: { password: "p", passwordHash: 7, user: "u" },
    databento: { apiKey: "db-123", auth_token: "t" },
    list: [{ secret: "a" }, "plain"],
    nested_secret: { deep: "x" },
  };
  assert.deepEqual(redactConfig(input), {
    venues: { binance: { api_key: REDACTED, api_secret: REDACTED, ws_url: "wss://x" } },
    db: { password: REDACTED, passwordHash: REDACTED, user: "u" },
    databento: { apiKey: REDACTED, auth_token: REDACTED },
    list: [{ secret: REDACTED }, "plain"],
    nested_secret: { deep: REDACTED },
  });
  assert.equal(input.db.password, "p", "the input is not modified");
});

Deno.test("redactConfig() of a loaded config hides DATABASE_URL's password", () => {
  const { config } = loadConfig({
    runMode: "test",
    env: { DATABASE_URL: "postgresql://trader:hunter2@db.internal:5432/trading" },
    envFile: false,
  });
  const printed = JSON.stringify(redactConfig(config));
  assert.ok(!printed.includes("hunter2"));
  assert.ok(printed.includes("postgresql://trader:***@db.internal:5432/trading"));
  assert.equal(config.database.url, "postgresql://trader:hunter2@db.internal:5432/trading");
});
