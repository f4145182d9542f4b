/**
 * End to end: `scripts/config.ts` run as a child process, as `deno task config` runs it.
 */
import assert from "node:assert/strict";
import { runScript } from "./_run_script.ts";
import { makeTempFiles, MINIMAL_TOML } from "@shared/config/testing.ts";

/** Runs the script in `cwd` (default: an empty temp dir) with a clean environment plus `env`. */
async function runConfig(args: string[], options: { cwd?: string; env?: Record<string, string> }) {
  const cwd = options.cwd ?? await Deno.makeTempDir({ prefix: "config_script_test_" });
  const run = await runScript("scripts/config.ts", args, {
    permissions: ["--allow-read", "--allow-env"],
    cwd,
    env: options.env,
    clearEnv: true,
  });
  if (options.cwd === undefined) await Deno.remove(cwd, { recursive: true });
  return run;
}

Deno.test("scripts/config.ts exits 2 with a single stderr line on a bad config", async () => {
  const dir = await makeTempFiles({
    "development.toml": `${MINIMAL_TOML}\n[cache.redis]\nttl_seconds = "abc"\n`,
  });
  try {
    const { code, stdout, stderr } = await runConfig(["--dir", dir], { cwd: dir });
    assert.equal(code, 2);
    assert.equal(stdout, "");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, /development\.toml: cache\.redis\.ttl_seconds: expected an integer/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scripts/config.ts exits 2 on an unknown flag", async () => {
  const { code, stdout, stderr } = await runConfig(["--foo"], {});
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(stderr, 'error: Unknown option "--foo"\n');
});

Deno.test("scripts/config.ts --check validates the shipped files in every mode", async () => {
  for (const mode of ["development", "production", "test"]) {
    const { code, stdout, stderr } = await runConfig(["--mode", mode, "--check"], {});
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^config ok: .*config/${mode}\\.toml \\(${mode}\\)\\n$`));
  }
});

Deno.test("scripts/config.ts prints redacted JSON, reads .env from the cwd, warns on stderr", async () => {
  const dir = await makeTempFiles({
    "test.toml": `${MINIMAL_TOML}\n[http]\nport = 1\n`,
    ".env": "TRADING__HTTP__INGEST_PORT=9555\nDATABASE_URL=postgres://me:hunter2@db/trading\n",
  });
  try {
    const { code, stdout, stderr } = await runConfig(["--dir", dir], {
      cwd: dir,
      env: { RUN_MODE: "test" },
    });
    assert.equal(code, 0, stderr);
    assert.equal(stderr, 'warning: test.toml: unknown key "http.port" (ignored)\n');
    const printed = JSON.parse(stdout);
    assert.equal(printed.http.ingest_port, 9555);
    assert.equal(printed.database.url, "postgres://me:***@db/trading");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
