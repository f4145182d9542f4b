import assert from "node:assert/strict";
import { isLogLevel, logLevelRank, parseLogLevel } from "./log_level.ts";

Deno.test("parseLogLevel() accepts every level, ignoring case and spaces", () => {
  assert.equal(parseLogLevel("trace"), "trace");
  assert.equal(parseLogLevel(" WARN "), "warn");
  assert.equal(parseLogLevel("Error"), "error");
});

Deno.test("parseLogLevel() rejects an unknown level naming the allowed values", () => {
  assert.throws(() => parseLogLevel("verbose"), (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.equal(
      e.message,
      'Cannot parse log level "verbose": expected one of "trace", "debug", "info", "warn", "error"',
    );
    return true;
  });
  assert.throws(() => parseLogLevel("toString"), RangeError);
});

Deno.test("log levels are ranked from trace to error", () => {
  assert.ok(logLevelRank("trace") < logLevelRank("debug"));
  assert.ok(logLevelRank("warn") < logLevelRank("error"));
  assert.equal(isLogLevel("info"), true);
  assert.equal(isLogLevel(3), false);
});
