import assert from "node:assert/strict";
import { parseFlags, UsageError } from "./mod.ts";

const SPEC = {
  options: {
    mode: { type: "string" },
    check: { type: "boolean", short: "c" },
    symbol: { type: "string", multiple: true },
  },
} as const;

Deno.test("parseFlags() returns typed values", () => {
  const { values, positionals } = parseFlags(
    ["--mode", "test", "-c", "--symbol=BTCUSD", "--symbol", "ETHUSD"],
    SPEC,
  );
  const mode: string | undefined = values.mode;
  assert.equal(mode, "test");
  assert.equal(values.check, true);
  assert.deepEqual(values.symbol, ["BTCUSD", "ETHUSD"]);
  assert.deepEqual(positionals, []);
});

Deno.test("parseFlags() allows positionals only when the spec says so", () => {
  const { positionals } = parseFlags(["a", "b"], { options: {}, allowPositionals: true });
  assert.deepEqual(positionals, ["a", "b"]);
});

function usageMessage(args: string[]): string {
  try {
    parseFlags(args, SPEC);
  } catch (e) {
    assert.ok(e instanceof UsageError);
    assert.ok(!e.message.includes("\n"));
    return e.message;
  }
  throw new assert.AssertionError({ message: `expected ${args.join(" ")} to be rejected` });
}

Deno.test("parseFlags() turns parseArgs errors into one-line UsageErrors", () => {
  assert.equal(usageMessage(["--foo"]), 'Unknown option "--foo"');
  assert.equal(usageMessage(["-x"]), 'Unknown option "-x"');
  assert.equal(usageMessage(["--mode"]), 'Option "--mode" needs a value');
  assert.equal(usageMessage(["--check=yes"]), 'Option "-c, --check" does not take an argument');
  assert.equal(usageMessage(["extra"]), 'Unexpected argument "extra"');
});
