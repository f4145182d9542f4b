// `deno task live` refuses bad flags, symbols and strategies with one error line and exit 2.
import assert from "node:assert/strict";
import { runScript } from "./_run_script.ts";

Deno.test("deno task live: bad flags, symbols and strategies fail with one line and exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["--bogus"], /^error: Unknown option "--bogus"$/],
    [["--symbols", "btc/usd"], /^error: Option "--symbols": invalid symbol "btc\/usd"/],
    [
      ["--symbols", "BTCUSD@KRAKEN,BTCUSD@BINANCE"],
      /^error: Option "--symbols": BTCUSD is asked for twice; one trader consumes a symbol from one exchange/,
    ],
    [["--duration", "soon"], /^error: Option "--duration"/],
    [["--paper-trading", "--strategy", "no_such_strategy"], /no_such_strategy/],
  ];
  for (const [args, pattern] of cases) {
    const run = await runScript("services/trader/main.ts", ["live", "--mode", "test", ...args], {
      env: { DATABASE_URL: "", REDIS_URL: "" },
    });
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stdout, "", args.join(" "));
    // Log lines may come first (the paper trader opens the store); the error is one line.
    const lines = run.stderr.trimEnd().split("\n").filter((l) => l.startsWith("error:"));
    assert.equal(lines.length, 1, `${args.join(" ")}: ${run.stderr}`);
    assert.match(lines[0]!, pattern);
  }
});
