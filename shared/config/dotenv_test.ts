import assert from "node:assert/strict";
import { ConfigError, parseDotenv } from "./mod.ts";

Deno.test("parseDotenv() reads KEY=VALUE, export, comments, blank lines and quotes", () => {
  const text = [
    "# a comment",
    "",
    "DATABASE_URL=postgres://u:p@h/db",
    "export REDIS_URL = redis://127.0.0.1:6379",
    "  RUN_MODE=test # trailing comment",
    "HASH=abc#def",
    "SINGLE='raw \\n # kept'",
    'DOUBLE="line1\\nline2 \\"q\\" \\\\" # comment',
    "EMPTY=",
    'EMPTY_QUOTED=""',
    "REPEAT=1",
    "REPEAT=2",
  ].join("\r\n");
  assert.deepEqual(parseDotenv(text, ".env"), {
    DATABASE_URL: "postgres://u:p@h/db",
    REDIS_URL: "redis://127.0.0.1:6379",
    RUN_MODE: "test",
    HASH: "abc#def",
    SINGLE: "raw \\n # kept",
    DOUBLE: 'line1\nline2 "q" \\',
    EMPTY: "",
    EMPTY_QUOTED: "",
    REPEAT: "2",
  });
});

Deno.test("parseDotenv() rejects a malformed line naming file and line, not echoing it", () => {
  const cases: [string, RegExp][] = [
    ["OK=1\nSECRET_WITHOUT_EQUALS hunter2\n", /^app\/\.env:2: missing "="/],
    ["OK=1\n\n1BAD=x\n", /^app\/\.env:3: invalid variable name/],
    ['A="unterminated\n', /^app\/\.env:1: unterminated double quote/],
    ["A='x\n", /^app\/\.env:1: unterminated single quote/],
    ['A="x" trailing\n', /^app\/\.env:1: text after the closing quote/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => parseDotenv(text, "app/.env"), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.code, "CONFIG_PARSE");
      assert.equal(e.file, "app/.env");
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes("hunter2"));
      return true;
    });
  }
});
