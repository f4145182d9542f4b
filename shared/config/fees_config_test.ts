import assert from "node:assert/strict";
import { ConfigError, type FeesConfig, loadConfig, RUN_MODES } from "./mod.ts";
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

Deno.test("[fees] defaults to maker 2, taker 5 and slippage 1 bps when the section is absent", async () => {
  const { config } = await loadToml(MINIMAL_TOML);
  const fees: FeesConfig = config.fees;
  assert.deepEqual(fees, { maker_bps: "2", taker_bps: "5", slippage_bps: "1" });
});

for (const runMode of RUN_MODES) {
  Deno.test(`[fees] in the shipped config/${runMode}.toml holds the documented defaults`, () => {
    const { config } = loadConfig({ runMode, env: {}, envFile: false });
    assert.deepEqual(config.fees, { maker_bps: "2", taker_bps: "5", slippage_bps: "1" });
  });
}

Deno.test("[fees] keeps fractional basis points exact and reads TOML numbers", async () => {
  const { config } = await loadToml(
    `${MINIMAL_TOML}\n[fees]\nmaker_bps = "0.25"\ntaker_bps = 7.5\nslippage_bps = 0\n`,
  );
  assert.deepEqual(config.fees, { maker_bps: "0.25", taker_bps: "7.5", slippage_bps: "0" });
});

Deno.test("[fees] rejects negative and above-10000 basis points naming the key", async () => {
  for (
    const [line, key] of [['maker_bps = "-1"', "maker_bps"], [
      "slippage_bps = 10001",
      "slippage_bps",
    ]]
  ) {
    await assert.rejects(loadToml(`${MINIMAL_TOML}\n[fees]\n${line}\n`), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.match(
        e.message,
        new RegExp(`fees\\.${key}: expected a decimal amount between 0 and 10000`),
      );
      return true;
    });
  }
});

Deno.test("[fees] is overridable through TRADING__FEES__<KEY>", async () => {
  const { config, warnings } = await loadToml(MINIMAL_TOML, { TRADING__FEES__TAKER_BPS: "10" });
  assert.deepEqual(warnings, []);
  assert.equal(config.fees.taker_bps, "10");
});
