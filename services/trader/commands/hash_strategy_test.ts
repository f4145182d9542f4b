import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, runScript } from "../../../tests/_run_script.ts";
import { sha256Line } from "./hash_strategy.ts";

const EXAMPLE = "services/backtest/examples/buy_the_dip.ts";

/** Runs the trader CLI as `deno task trader` does, in `cwd`. */
function trader(args: string[], cwd: string) {
  return runScript("services/trader/main.ts", args, { cwd });
}

async function sha256sum(args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command("sha256sum", { args, cwd, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("trader hash-strategy prints exactly what sha256sum prints", async () => {
  const run = await trader(["hash-strategy", EXAMPLE], ROOT);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  assert.equal(run.stdout, await sha256sum([EXAMPLE], ROOT));
  assert.match(run.stdout, /^[0-9a-f]{64} {2}services\/backtest\/examples\/buy_the_dip\.ts\n$/);
  const dir = await Deno.makeTempDir({ prefix: "hash_strategy_" });
  try {
    await Deno.writeTextFile(join(dir, "a b.ts"), "export default 1;\n");
    await Deno.writeTextFile(join(dir, "back\\slash.ts"), "");
    const files = ["a b.ts", "back\\slash.ts"];
    const both = await trader(["hash-strategy", ...files], dir);
    assert.equal(both.code, 0, both.stderr);
    assert.equal(both.stdout, await sha256sum(files, dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trader hash-strategy: a missing file or no file is one line and exit 2", async () => {
  for (
    const [args, line] of [
      [["hash-strategy", "nope.ts"], 'error: Strategy file "nope.ts" not found'],
      [["hash-strategy"], /^error: Missing strategy file/],
      [["frobnicate"], /^error: Unknown command "frobnicate"/],
    ] as const
  ) {
    const run = await trader([...args], ROOT);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    if (typeof line === "string") assert.equal(lines[0], line);
    else assert.match(lines[0]!, line);
  }
});

Deno.test("sha256Line() escapes names with a backslash or newline like coreutils", () => {
  assert.equal(sha256Line("ab", "x.ts"), "ab  x.ts\n");
  assert.equal(sha256Line("ab", "a\\b\nc"), "\\ab  a\\\\b\\nc\n");
});
