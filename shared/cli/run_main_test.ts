import assert from "node:assert/strict";
import { ConfigError } from "../config/mod.ts";
import { runMain, type RunMainOptions, UsageError } from "./mod.ts";

/** Runs `main` through runMain and returns the exit code and the error lines. */
async function run(
  main: (args: string[]) => Promise<number | void>,
  options: Omit<RunMainOptions, "exit" | "writeError"> = {},
): Promise<{ code: number | undefined; lines: string[] }> {
  let code: number | undefined;
  const lines: string[] = [];
  await runMain(main, {
    args: [],
    debug: false,
    ...options,
    exit: (c) => (code = c),
    writeError: (line) => lines.push(line),
  });
  return { code, lines };
}

Deno.test("runMain() exits with main's code, 0 when it returns nothing", async () => {
  assert.deepEqual(await run(() => Promise.resolve()), { code: 0, lines: [] });
  assert.deepEqual(await run(() => Promise.resolve(3)), { code: 3, lines: [] });
});

Deno.test("runMain() passes the arguments to main", async () => {
  let seen: string[] = [];
  await run((args) => {
    seen = args;
    return Promise.resolve();
  }, { args: ["--check", "x"] });
  assert.deepEqual(seen, ["--check", "x"]);
});

Deno.test("runMain() prints a ConfigError's one line as is and exits 2", async () => {
  const result = await run(() => {
    throw new ConfigError("CONFIG_INVALID", "config/test.toml: ipc.capacity: expected x, got 3");
  });
  assert.deepEqual(result, {
    code: 2,
    lines: ["config/test.toml: ipc.capacity: expected x, got 3"],
  });
});

Deno.test("runMain() prints a UsageError as 'error: <message>' and exits 2", async () => {
  const result = await run(() => Promise.reject(new UsageError('Unknown option "--foo"')));
  assert.deepEqual(result, { code: 2, lines: ['error: Unknown option "--foo"'] });
});

Deno.test("runMain() prints any other error as one line and exits 1, with no stack", async () => {
  const result = await run(() => Promise.reject(new Error("disk on fire\nsecond line")));
  assert.deepEqual(result, { code: 1, lines: ["error: disk on fire second line"] });
  const thrown = await run(() => Promise.reject("a string"));
  assert.deepEqual(thrown, { code: 1, lines: ["error: a string"] });
});

Deno.test("runMain() adds the stack of an unexpected error in debug mode only", async () => {
  const result = await run(() => Promise.reject(new Error("boom")), { debug: true });
  assert.equal(result.code, 1);
  assert.equal(result.lines[0], "error: boom");
  assert.match(result.lines[1] ?? "", /^Error: boom\n\s+at /);
  const usage = await run(() => Promise.reject(new UsageError("bad")), { debug: true });
  assert.equal(usage.lines.length, 1, "user mistakes never print a stack");
});
